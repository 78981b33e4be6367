/**
 * The native addon (native/ternary): onnxruntime sessions with the project's TernaryMatMul kernel, created
 * through the C API of the libonnxruntime that onnxruntime-node loaded. Optional by design: without a C
 * compiler at install time, or on a platform it was not built for, it is absent and the runtime uses
 * onnxruntime's own 2-bit kernel (MLAS) — `ternaryAddon()` says why, once.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import ort from "onnxruntime-node";

export interface AddonOutput {
  type: number;
  dims: number[];
  data: ArrayBuffer;
}

export interface AddonInput {
  type: number;
  dims: readonly number[];
  data: ArrayBufferView;
}

export interface TernarySessionOptions {
  threads: number;
  memArena?: boolean;
  spinning?: boolean;
  prepacking?: boolean;
  lutGemm?: boolean;
  profilePrefix?: string;
  /** A vector path by name (default: the best this CPU runs, or BITNET_TERNARY_ISA). */
  isa?: string;
}

export interface IsaInfo {
  selected: string;
  best: string;
  available: string[];
  forcedError?: string;
}

export interface TernaryAddon {
  isaInfo(): IsaInfo;
  createSession(modelPath: string, options: TernarySessionOptions): Promise<object>;
  run(session: object, inputNames: string[], inputs: AddonInput[], outputNames: string[]): Promise<AddonOutput[]>;
  release(session: object): void;
  outputNames(session: object): string[];
  /** The kernel alone: y [m, n] = quantize(a [m, kIn]) · ternary(w [n, kPad/4])ᵀ. */
  matmul(a: Float32Array, w: Uint8Array, m: number, n: number, kIn: number, kPad: number, block: number, isa: string, threads: number): Float32Array;
}

export type AddonState = { addon: TernaryAddon; path: string } | { addon: null; reason: string };

let state: AddonState | undefined;

/** Where the built addon lives: BITNET_TERNARY_ADDON, else under the project root (the CLI sets the former). */
export function addonPath(): string {
  return process.env.BITNET_TERNARY_ADDON ?? path.resolve(/*turbopackIgnore: true*/ process.cwd(), "native/ternary/build/Release/bitnet_ternary.node");
}

/**
 * The library onnxruntime-node loads (the addon binds to the same one, so one onnxruntime runs in the process),
 * resolved from the addon's own folder: the project's node_modules, whatever the working directory.
 */
function onnxruntimeLibrary(from: string): string | undefined {
  const require = createRequire(from);
  let dir: string;
  try {
    dir = path.dirname(require.resolve("onnxruntime-node/package.json"));
  } catch {
    return undefined;
  }
  const arch = process.arch;
  const file = process.platform === "darwin" ? "libonnxruntime.1.dylib" : "libonnxruntime.so.1";
  for (const napi of ["napi-v6", "napi-v3"]) {
    const candidate = path.join(dir, "bin", napi, process.platform, arch, file);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function ternaryAddon(): AddonState {
  if (state) return state;
  const file = addonPath();
  if (!existsSync(file)) return (state = { addon: null, reason: `not built (${path.relative(process.cwd(), file)} is missing: no C compiler at install?)` });
  const library = onnxruntimeLibrary(file);
  if (!library) return (state = { addon: null, reason: "onnxruntime-node's library was not found" });
  try {
    // onnxruntime-node must have loaded its library first, so that dlopen finds that very copy.
    void ort.env;
    const require = createRequire(file);
    const addon = require(file) as TernaryAddon & { loadOrt(lib: string): number };
    addon.loadOrt(library);
    state = { addon, path: file };
  } catch (error) {
    state = { addon: null, reason: `failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
  return state;
}

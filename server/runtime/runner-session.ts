/**
 * What the ONNX runner needs from a session: run named tensors, get named outputs' data. Two makers: the
 * onnxruntime-node session over model.onnx (MLAS kernels), and the native addon's session over
 * model.ternary.onnx (the project's TernaryMatMul); `openSession` picks, and says which ran.
 */
import path from "node:path";
import ort from "onnxruntime-node";
import type { BitNetManifest } from "@/server/checkpoint/onnx-manifest";
import { sessionOptions, type RunnerTuning } from "./session-options";
import { ternaryAddon, type AddonInput, type TernaryAddon } from "./ternary-addon";

export interface RunnerSession {
  /** "ternary-<isa>" (the project's kernel, e.g. ternary-avx2) or "mlas" (onnxruntime's MatMulNBits). */
  readonly kernel: string;
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, { data: ort.Tensor["data"] }>>;
  release(): Promise<void>;
}

/** Which kernel a load asks for: `ternary` falls back to `mlas` (with one log line) when the addon is absent. */
export type KernelChoice = "ternary" | "mlas";

export interface SessionTuning extends RunnerTuning {
  kernel?: KernelChoice;
  /** The ternary kernel's vector path (default: the best, or BITNET_TERNARY_ISA). */
  isa?: string;
  log?: (line: string) => void;
}

export function kernelChoice(): KernelChoice {
  return process.env.BITNET_KERNEL === "mlas" ? "mlas" : "ternary";
}

export async function openSession(dir: string, manifest: BitNetManifest, tuning: SessionTuning): Promise<RunnerSession> {
  const wanted = tuning.kernel ?? kernelChoice();
  if (wanted === "ternary" && manifest.ternaryGraph) {
    const loaded = ternaryAddon();
    if (loaded.addon) return AddonSession.create(loaded.addon, path.join(dir, manifest.ternaryGraph), tuning);
    (tuning.log ?? console.warn)(`[runtime] the ternary kernel is unavailable (${loaded.reason}); using onnxruntime's MatMulNBits`);
  }
  const session = await ort.InferenceSession.create(path.join(dir, "model.onnx"), sessionOptions(tuning));
  return { kernel: "mlas", run: (feeds) => session.run(feeds), release: () => session.release() };
}

const TYPE_CODES: Record<string, number> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, float16: 10 };
const ARRAYS: Record<number, (b: ArrayBuffer) => ort.Tensor["data"]> = {
  1: (b) => new Float32Array(b),
  2: (b) => new Uint8Array(b),
  3: (b) => new Int8Array(b),
  6: (b) => new Int32Array(b),
  7: (b) => new BigInt64Array(b),
  // fp16 stays raw bits, as onnxruntime-node returns it (KvBuffers keeps them so).
  10: (b) => new Uint16Array(b),
};

class AddonSession implements RunnerSession {
  private outputNames: string[];

  private constructor(
    private addon: TernaryAddon,
    private handle: object,
    readonly kernel: string,
  ) {
    // The runner reads every output.
    this.outputNames = addon.outputNames(handle);
  }

  static async create(addon: TernaryAddon, file: string, tuning: SessionTuning): Promise<AddonSession> {
    const { selected, forcedError } = addon.isaInfo();
    const isa = tuning.isa ?? selected;
    if (forcedError && !tuning.isa) (tuning.log ?? console.warn)(`[runtime] ${forcedError}`);
    const options = sessionOptions(tuning);
    const handle = await addon.createSession(file, {
      threads: options.intraOpNumThreads ?? 1,
      memArena: options.enableCpuMemArena,
      spinning: tuning.spinning === true,
      prepacking: tuning.prepacking !== false,
      lutGemm: tuning.lutGemm === true,
      profilePrefix: tuning.profilePrefix,
      isa,
    });
    return new AddonSession(addon, handle, `ternary-${isa}`);
  }

  async run(feeds: Record<string, ort.Tensor>): Promise<Record<string, { data: ort.Tensor["data"] }>> {
    const names = Object.keys(feeds);
    const inputs: AddonInput[] = names.map((name) => {
      const t = feeds[name];
      const type = TYPE_CODES[t.type];
      if (type === undefined) throw new Error(`AddonSession: input ${name} has unsupported type ${t.type}`);
      return { type, dims: t.dims, data: t.data as ArrayBufferView };
    });
    const outputs = await this.addon.run(this.handle, names, inputs, this.outputNames);
    const result: Record<string, { data: ort.Tensor["data"] }> = {};
    outputs.forEach((o, i) => (result[this.outputNames[i]] = { data: ARRAYS[o.type](o.data) }));
    return result;
  }

  async release(): Promise<void> {
    this.addon.release(this.handle);
  }
}

/**
 * What `BITNET_MODEL` names: a hub repo id (downloaded), a local hub-format checkpoint folder
 * (converted), an already converted folder (loaded as is), or `demo` (a random-weight model generated
 * locally, for trying the app offline).
 */
import { existsSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_REPO, isRepoId } from "@/server/hub/hub-config";
import { HostError } from "./host-error";

import { MANIFEST_FILE } from "@/server/checkpoint/onnx-manifest";

/** Written by the converter (server/convert/convert.ts) into every converted model folder. */
export const CONVERTED_MANIFEST = MANIFEST_FILE;

export type ModelSource =
  | { kind: "hub"; repo: string; revision: string }
  | { kind: "checkpoint"; dir: string }
  | { kind: "converted"; dir: string }
  | { kind: "demo" };

export function resolveModelSource(value: string | undefined, revision: string): ModelSource {
  const spec = value?.trim() || DEFAULT_REPO;
  if (spec.toLowerCase() === "demo") return { kind: "demo" };

  const looksLikePath = /^(\/|\.{1,2}(\/|$)|~(\/|$))/.test(spec) || path.isAbsolute(spec);
  const dir = path.resolve(spec.replace(/^~(?=\/|$)/, os.homedir()));
  if (looksLikePath || (existsSync(dir) && statSync(dir).isDirectory())) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new HostError("model_not_found", `BITNET_MODEL points to ${dir}, which is not a folder.`, MODEL_HINT);
    }
    if (existsSync(path.join(dir, CONVERTED_MANIFEST))) return { kind: "converted", dir };
    if (existsSync(path.join(dir, "config.json"))) return { kind: "checkpoint", dir };
    throw new HostError(
      "model_not_found",
      `${dir} is neither a converted model (no ${CONVERTED_MANIFEST}) nor a hub-format checkpoint (no config.json).`,
      MODEL_HINT,
    );
  }
  if (isRepoId(spec)) return { kind: "hub", repo: spec, revision };
  throw new HostError("invalid_model", `BITNET_MODEL="${spec}" is not a hub repo id, a folder, or "demo".`, MODEL_HINT);
}

export function modelIdOf(source: ModelSource): string {
  switch (source.kind) {
    case "hub":
      return source.repo;
    case "demo":
      return "demo";
    default:
      return path.basename(source.dir);
  }
}

const MODEL_HINT =
  'Set BITNET_MODEL to a hub repo id (e.g. microsoft/bitnet-b1.58-2B-4T), a checkpoint or converted folder, or "demo".';

/**
 * Where models come from and where they are kept, read from the environment once per call so tests
 * (and `bitnet pull --revision`) can override any of it.
 */
import os from "node:os";
import path from "node:path";
import { HUB_URL } from "@huggingface/hub";

export const DEFAULT_REPO = "microsoft/bitnet-b1.58-2B-4T";
export const DEFAULT_REVISION = "main";
/** What a BitNet checkpoint needs; other files in the repo (README, images) are not downloaded. */
export const MODEL_FILES = [
  "config.json",
  "generation_config.json",
  "model.safetensors",
  "tokenizer.json",
  "tokenizer_config.json",
] as const;

/** process.env or a plain object (tests, `--cache`). */
export type Env = Record<string, string | undefined>;

export interface HubConfig {
  hubUrl: string;
  accessToken: string | undefined;
  cacheRoot: string;
  revision: string;
  /** HF_HUB_OFFLINE=1: use the cache only, never the network (as huggingface_hub does). */
  offline: boolean;
}

/** `BITNET_CACHE`, else `$XDG_CACHE_HOME/bitnet-chat`, else `~/.cache/bitnet-chat`. */
export function defaultCacheRoot(env: Env = process.env): string {
  if (env.BITNET_CACHE) return path.resolve(env.BITNET_CACHE);
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "bitnet-chat");
}

export function hubConfigFromEnv(env: Env = process.env): HubConfig {
  return {
    hubUrl: (env.HF_ENDPOINT || HUB_URL).replace(/\/+$/, ""),
    // HUGGING_FACE_HUB_TOKEN is the older name huggingface_hub still honours.
    accessToken: env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined,
    cacheRoot: defaultCacheRoot(env),
    revision: env.BITNET_REVISION || DEFAULT_REVISION,
    offline: /^(1|true|yes|on)$/i.test(env.HF_HUB_OFFLINE ?? ""),
  };
}

/** True for `owner/name` — what the hub calls a repo id. */
export function isRepoId(value: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(value) && !value.startsWith(".") && !value.includes("..");
}

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
  /** This app's own cache (converted models, the demo); older versions also kept downloads here. */
  cacheRoot: string;
  /** The Hugging Face cache where downloads go (shared with other Hugging Face tools). */
  hubCache: string;
  revision: string;
  /** HF_HUB_OFFLINE=1: use the cache only, never the network (as huggingface_hub does). */
  offline: boolean;
}

/** `BITNET_CACHE`, else `$XDG_CACHE_HOME/bitnet-chat`, else `~/.cache/bitnet-chat`. */
export function defaultCacheRoot(env: Env = process.env): string {
  if (env.BITNET_CACHE) return path.resolve(/*turbopackIgnore: true*/ env.BITNET_CACHE);
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "bitnet-chat");
}

/**
 * The Hugging Face hub cache, by huggingface_hub's rules: HF_HUB_CACHE (or its older name
 * HUGGINGFACE_HUB_CACHE), else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else
 * `~/.cache/huggingface/hub`. The same rules as @huggingface/hub's getHFHubCachePath(), which reads only
 * process.env; here `env` can be given (tests, `bitnet pull --hub-cache`).
 */
export function defaultHubCache(env: Env = process.env): string {
  const explicit = env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE;
  // turbopackIgnore: a user's cache folder, not a project file for the build to trace (its warning was the
  // one `npm start` printed on a fresh clone).
  if (explicit) return path.resolve(/*turbopackIgnore: true*/ explicit);
  const home = env.HF_HOME || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "huggingface");
  return path.join(path.resolve(/*turbopackIgnore: true*/ home), "hub");
}

export function hubConfigFromEnv(env: Env = process.env): HubConfig {
  return {
    hubUrl: (env.HF_ENDPOINT || HUB_URL).replace(/\/+$/, ""),
    // HUGGING_FACE_HUB_TOKEN is the older name huggingface_hub still honours.
    accessToken: env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined,
    cacheRoot: defaultCacheRoot(env),
    hubCache: defaultHubCache(env),
    revision: env.BITNET_REVISION || DEFAULT_REVISION,
    offline: /^(1|true|yes|on)$/i.test(env.HF_HUB_OFFLINE ?? ""),
  };
}

/** True for `owner/name` — what the hub calls a repo id. */
export function isRepoId(value: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(value) && !value.startsWith(".") && !value.includes("..");
}

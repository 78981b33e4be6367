/** "New chats use the last used settings": the last valid settings live in localStorage. */
import { DEFAULT_GENERATION_PARAMS, generationParamsSchema, type GenerationParams } from "@/lib/schemas/params";

const KEY = "bitnet-chat:last-params";

/** Stored values are re-validated: limits may have changed since they were written. */
export function parseStoredParams(raw: string | null): GenerationParams {
  if (!raw) return DEFAULT_GENERATION_PARAMS;
  try {
    const parsed = generationParamsSchema.partial().safeParse(JSON.parse(raw));
    return parsed.success ? { ...DEFAULT_GENERATION_PARAMS, ...parsed.data } : DEFAULT_GENERATION_PARAMS;
  } catch {
    return DEFAULT_GENERATION_PARAMS;
  }
}

export function readLastParams(): GenerationParams {
  try {
    return parseStoredParams(window.localStorage.getItem(KEY));
  } catch {
    return DEFAULT_GENERATION_PARAMS; // storage disabled (private mode, blocked cookies)
  }
}

export function writeLastParams(params: GenerationParams): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(params));
  } catch {
    // Not being able to remember settings is not worth interrupting the user for.
  }
}

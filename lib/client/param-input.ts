/**
 * Parses what is typed into a numeric settings field against the shared zod schema, so the
 * browser flags exactly what the server would reject, with the same message.
 */
import type { ZodType } from "zod";

export type ParamInputResult = { ok: true; value: number | null } | { ok: false; message: string };

export function parseParamInput(text: string, schema: ZodType, nullable: boolean): ParamInputResult {
  const trimmed = text.trim();
  if (trimmed === "") return nullable ? { ok: true, value: null } : { ok: false, message: "A value is required" };
  const number = Number(trimmed);
  if (!Number.isFinite(number)) return { ok: false, message: "Enter a number" };
  const parsed = schema.safeParse(number);
  return parsed.success ? { ok: true, value: number } : { ok: false, message: parsed.error.issues[0]?.message ?? "Invalid value" };
}

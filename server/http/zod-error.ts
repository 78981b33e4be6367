import type { z } from "zod";
import { RequestError } from "@/lib/api/request-error";

/** The dotted path of an issue, e.g. `params.temperature` (array indexes included: `messages.3.content`). */
export function issueField(issue: z.core.$ZodIssue, prefix?: string): string | undefined {
  const path = issue.path.map(String).join(".");
  const full = [prefix, path].filter(Boolean).join(".");
  return full || undefined;
}

/**
 * The first issue as a 400 naming the field. Schema messages already say "temperature must be …";
 * zod's generic ones ("Invalid input: expected number, received string") get the field in front.
 */
export function requestErrorFromZod(error: z.ZodError, prefix?: string): RequestError {
  const issue = error.issues[0];
  if (!issue) return new RequestError(400, "invalid_request", "Invalid request");
  const field = issueField(issue, prefix);
  const leaf = issue.path.length ? String(issue.path[issue.path.length - 1]) : undefined;
  const named = leaf !== undefined && issue.message.startsWith(leaf);
  const message = field && !named ? `${field}: ${issue.message}` : issue.message;
  return new RequestError(400, "invalid_request", message, field);
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw requestErrorFromZod(result.error, prefix);
  return result.data;
}

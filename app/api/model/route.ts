import { modelActionSchema } from "@/lib/schemas/model-action";
import { authModeFromEnv } from "@/server/auth/auth-mode";
import { getModelHost } from "@/server/host/model-host";
import { requestAdmin } from "@/server/http/request-store";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The model's state (ModelStatusDto); also makes sure acquisition has started. */
export const GET = withErrors(async () => {
  const host = getModelHost();
  host.start();
  return jsonResponse(host.status());
});

/**
 * `{"action":"use-demo"|"use-real"|"retry"}`. All run in the background (a download or conversion
 * takes minutes): the answer is 202 with the status right after the switch; progress comes from GET.
 * A switch of model is awaited (it resolves once the old model is freed and the new run has started,
 * well before it is ready): answering before it would hand the page the old status (the error it came
 * from), which it would show until its next poll.
 */
export const POST = withErrors(async (request: Request) => {
  // On a team server the model is everyone's: only an admin switches or reloads it.
  if (authModeFromEnv() === "accounts") await requestAdmin(request);
  const { action } = parseOrThrow(modelActionSchema, await readJsonBody(request));
  const host = getModelHost();
  const work = action === "use-demo" ? host.useDemoModel() : action === "use-real" ? host.useRealModel() : host.retry();
  // Failures land in the host's status (state "error" with a message); log them here as well.
  const logged = work.catch((error: unknown) => console.error(`[model] ${action} failed:`, error));
  if (action !== "retry") await logged;
  return jsonResponse(host.status(), { status: 202 });
});

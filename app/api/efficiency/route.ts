import { efficiencyQuerySchema } from "@/lib/schemas/efficiency";
import { efficiencyReport } from "@/server/chat/efficiency-report";
import { requestStore } from "@/server/http/request-store";
import { getModelHost } from "@/server/host/model-host";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { parseOrThrow } from "@/server/http/zod-error";
import { memoryBandwidth } from "@/server/runtime/memory-bandwidth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `?limit=` recent answers (default 200). The first call measures memory bandwidth (well under a second). */
export const GET = withErrors(async (request: Request) => {
  const { limit } = parseOrThrow(efficiencyQuerySchema, { limit: new URL(request.url).searchParams.get("limit") ?? undefined });
  return jsonResponse(await efficiencyReport({ db: await requestStore(request), status: getModelHost().status(), bandwidth: memoryBandwidth, limit }));
});

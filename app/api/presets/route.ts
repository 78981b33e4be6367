import { savePresetSchema } from "@/lib/schemas/presets";
import { listPresets, savePreset } from "@/server/chat/presets";
import { requestStore } from "@/server/http/request-store";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `{ presets: PresetDto[] }`, oldest first. */
export const GET = withErrors(async (request: Request) => jsonResponse({ presets: await listPresets(await requestStore(request)) }));

/** Body `{ name, params }`; saving under an existing name replaces it. Answers 201 `{ preset }`. */
export const POST = withErrors(async (request: Request) => {
  const body = parseOrThrow(savePresetSchema, await readJsonBody(request));
  return jsonResponse({ preset: await savePreset(await requestStore(request), body) }, { status: 201 });
});

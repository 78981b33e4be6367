import { savePresetSchema } from "@/lib/schemas/presets";
import { listPresets, savePreset } from "@/server/chat/presets";
import { getDb } from "@/server/db/client";
import { jsonResponse, withErrors } from "@/server/http/json-response";
import { readJsonBody } from "@/server/http/read-json";
import { parseOrThrow } from "@/server/http/zod-error";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `{ presets: PresetDto[] }`, oldest first. */
export const GET = withErrors(async () => jsonResponse({ presets: await listPresets(getDb()) }));

/** Body `{ name, params }`; saving under an existing name replaces it. Answers 201 `{ preset }`. */
export const POST = withErrors(async (request: Request) => {
  const body = parseOrThrow(savePresetSchema, await readJsonBody(request));
  return jsonResponse({ preset: await savePreset(getDb(), body) }, { status: 201 });
});

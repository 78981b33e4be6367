/** Preset use cases behind `/api/presets`: list, save (create or replace by name), delete. */
import type { PresetDto, SavePresetRequest } from "@/lib/schemas/presets";
import type { PresetRow } from "@/server/db/schema";
import type { Store } from "@/server/db/store";
import { ChatError } from "./chat-error";
import { newId } from "./ids";

function toPresetDto(row: PresetRow): PresetDto {
  return { id: row.id, name: row.name, params: row.params, createdAt: row.createdAt.toISOString() };
}

export async function listPresets(db: Store): Promise<PresetDto[]> {
  return (await db.presets.listPresets()).map(toPresetDto);
}

export async function savePreset(db: Store, args: SavePresetRequest): Promise<PresetDto> {
  return toPresetDto(await db.presets.savePreset({ id: newId(), name: args.name, params: args.params, createdAt: new Date() }));
}

export async function deletePreset(db: Store, args: { id: string }): Promise<void> {
  if (!(await db.presets.deletePreset({ id: args.id }))) throw new ChatError("not_found", "Preset not found", "id");
}

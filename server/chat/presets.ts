/** Preset use cases behind `/api/presets`: list, save (create or replace by name), delete. */
import type { PresetDto, SavePresetRequest } from "@/lib/schemas/presets";
import * as presetsRepo from "@/server/db/presets-repo";
import type { PresetRow } from "@/server/db/schema";
import type { Db } from "@/server/db/types";
import { ChatError } from "./chat-error";
import { newId } from "./ids";

function toPresetDto(row: PresetRow): PresetDto {
  return { id: row.id, name: row.name, params: row.params, createdAt: row.createdAt.toISOString() };
}

export function listPresets(db: Db): PresetDto[] {
  return presetsRepo.listPresets(db).map(toPresetDto);
}

export function savePreset(db: Db, args: SavePresetRequest): PresetDto {
  return toPresetDto(presetsRepo.savePreset(db, { id: newId(), name: args.name, params: args.params, createdAt: new Date() }));
}

export function deletePreset(db: Db, args: { id: string }): void {
  if (!presetsRepo.deletePreset(db, { id: args.id })) throw new ChatError("not_found", "Preset not found", "id");
}

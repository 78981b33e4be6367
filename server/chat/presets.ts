/** Preset use cases behind `/api/presets`: list, save (create or replace by name), delete. */
import { MAX_PRESETS_PER_OWNER, type PresetDto, type SavePresetRequest } from "@/lib/schemas/presets";
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

/**
 * Create or replace by name; a new name beyond the owner's bound is refused (409) until one is deleted.
 * The owner is the store today (no accounts: everyone shares its presets); with accounts, the presets
 * counted here become the signed-in user's.
 */
export async function savePreset(db: Store, args: SavePresetRequest): Promise<PresetDto> {
  const limit = MAX_PRESETS_PER_OWNER;
  return db.transaction(async (tx) => {
    const existing = await tx.presets.listPresets();
    if (existing.length >= limit && !existing.some((p) => p.name === args.name)) {
      throw new ChatError("conflict", `At most ${limit} presets can be saved: delete one to save "${args.name}"`, "name");
    }
    return toPresetDto(await tx.presets.savePreset({ id: newId(), name: args.name, params: args.params, createdAt: new Date() }));
  });
}

export async function deletePreset(db: Store, args: { id: string }): Promise<void> {
  if (!(await db.presets.deletePreset({ id: args.id }))) throw new ChatError("not_found", "Preset not found", "id");
}

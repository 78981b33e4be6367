import { z } from "zod";
import { generationParamsSchema, type GenerationParams } from "./params";

export const MAX_PRESET_NAME_CHARS = 40;
/**
 * Saved presets one owner may keep. Today the owner is the store (everyone with access shares its presets);
 * the bound is looked up per owner (server/chat/presets.ts) so accounts can get their own.
 */
export const MAX_PRESETS_PER_OWNER = 100;

/** `POST /api/presets`: the complete settings, system prompt included, under a name. */
export const savePresetSchema = z.object({
  name: z
    .string({ error: "name is required" })
    .trim()
    .min(1, "name must not be empty")
    .max(MAX_PRESET_NAME_CHARS, `name must be at most ${MAX_PRESET_NAME_CHARS} characters`),
  params: generationParamsSchema,
});
export type SavePresetRequest = z.infer<typeof savePresetSchema>;

export interface PresetDto {
  id: string;
  name: string;
  params: GenerationParams;
  createdAt: string;
}

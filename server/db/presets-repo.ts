/** Saved settings presets, one function per query. Synchronous: see ./types.ts. */
import { asc, eq } from "drizzle-orm";
import type { GenerationParams } from "@/lib/schemas/params";
import { presets, type PresetRow } from "./schema";
import type { Db } from "./types";

export function listPresets(db: Db): PresetRow[] {
  return db.select().from(presets).orderBy(asc(presets.seq)).all();
}

/** Saving under an existing name replaces that preset's settings (keeping its id and place). */
export function savePreset(db: Db, args: { id: string; name: string; params: GenerationParams; createdAt: Date }): PresetRow {
  return db
    .insert(presets)
    .values(args)
    .onConflictDoUpdate({ target: presets.name, set: { params: args.params } })
    .returning()
    .get();
}

export function deletePreset(db: Db, args: { id: string }): boolean {
  return db.delete(presets).where(eq(presets.id, args.id)).run().changes > 0;
}

/** Saved settings presets on PostgreSQL: the same functions as ../presets-repo.ts. */
import { asc, eq } from "drizzle-orm";
import type { GenerationParams } from "@/lib/schemas/params";
import type { PresetRow } from "../schema";
import { presets } from "./schema";
import type { PgDb } from "./types";

export function listPresets(db: PgDb): Promise<PresetRow[]> {
  return db.select().from(presets).orderBy(asc(presets.seq));
}

export async function savePreset(db: PgDb, args: { id: string; name: string; params: GenerationParams; createdAt: Date }): Promise<PresetRow> {
  const [row] = await db
    .insert(presets)
    .values(args)
    .onConflictDoUpdate({ target: presets.name, set: { params: args.params } })
    .returning();
  return row!;
}

export async function deletePreset(db: PgDb, args: { id: string }): Promise<boolean> {
  return ((await db.delete(presets).where(eq(presets.id, args.id))).rowCount ?? 0) > 0;
}

/** Saved settings presets, one function per query. Synchronous: see ./types.ts. */
import { and, asc, eq } from "drizzle-orm";
import type { GenerationParams } from "@/lib/schemas/params";
import { NO_OWNER } from "./owner";
import { presets, type PresetRow } from "./schema";
import type { Db } from "./types";

/** Only `ownerId`'s presets; every one when it is undefined. */
function ownedBy(ownerId: string | undefined) {
  return ownerId === undefined ? undefined : eq(presets.ownerId, ownerId);
}

export function listPresets(db: Db, args: { ownerId?: string } = {}): PresetRow[] {
  return db.select().from(presets).where(ownedBy(args.ownerId)).orderBy(asc(presets.seq)).all();
}

/** Saving under an existing name replaces that preset's settings (keeping its id and place). */
export function savePreset(db: Db, args: { id: string; name: string; params: GenerationParams; createdAt: Date; ownerId?: string }): PresetRow {
  return db
    .insert(presets)
    .values({ ...args, ownerId: args.ownerId ?? NO_OWNER })
    .onConflictDoUpdate({ target: [presets.ownerId, presets.name], set: { params: args.params } })
    .returning()
    .get();
}

export function deletePreset(db: Db, args: { id: string; ownerId?: string }): boolean {
  return db.delete(presets).where(and(eq(presets.id, args.id), ownedBy(args.ownerId))).run().changes > 0;
}

/** Saved settings presets on PostgreSQL: the same functions as ../presets-repo.ts. */
import { and, asc, eq } from "drizzle-orm";
import type { GenerationParams } from "@/lib/schemas/params";
import type { PresetRow } from "../schema";
import { NO_OWNER } from "../owner";
import { presets } from "./schema";
import type { PgDb } from "./types";

/** Only `ownerId`'s presets; every one when it is undefined. */
function ownedBy(ownerId: string | undefined) {
  return ownerId === undefined ? undefined : eq(presets.ownerId, ownerId);
}

export function listPresets(db: PgDb, args: { ownerId?: string } = {}): Promise<PresetRow[]> {
  return db.select().from(presets).where(ownedBy(args.ownerId)).orderBy(asc(presets.seq));
}

export async function savePreset(db: PgDb, args: { id: string; name: string; params: GenerationParams; createdAt: Date; ownerId?: string }): Promise<PresetRow> {
  const [row] = await db
    .insert(presets)
    .values({ ...args, ownerId: args.ownerId ?? NO_OWNER })
    .onConflictDoUpdate({ target: [presets.ownerId, presets.name], set: { params: args.params } })
    .returning();
  return row!;
}

export async function deletePreset(db: PgDb, args: { id: string; ownerId?: string }): Promise<boolean> {
  return ((await db.delete(presets).where(and(eq(presets.id, args.id), ownedBy(args.ownerId)))).rowCount ?? 0) > 0;
}

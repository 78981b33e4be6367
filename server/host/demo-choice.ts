/**
 * "Use offline demo model", remembered across restarts: a small file in the app's cache
 * (`<cache>/demo-choice.json`, next to the demo's checkpoint and converted model). A restart then loads
 * the demo at once instead of failing on the real model again; the choice lasts until the real model
 * is available (found without the network) or the user asks for it ("Use the real model"). It names the
 * model it stands in for: a run with another BITNET_MODEL (a local folder, once) neither uses nor forgets it.
 * A file, not the database: the model host comes before (and without) any database, and the choice
 * belongs to the cache it describes.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const FILE = "demo-choice.json";

export function demoChoicePath(cacheRoot: string): string {
  return path.join(cacheRoot, FILE);
}

/** Whether the demo was chosen to stand in for `configured` (a choice written before it named its model stands in for any). */
export function isDemoRemembered(cacheRoot: string, configured?: string): boolean {
  try {
    const choice = JSON.parse(readFileSync(demoChoicePath(cacheRoot), "utf8")) as { model?: unknown; for?: unknown };
    return choice.model === "demo" && (configured === undefined || typeof choice.for !== "string" || choice.for === configured);
  } catch {
    return false;
  }
}

/** `configured`: the model the demo stands in for (BITNET_MODEL's id). */
export function rememberDemo(cacheRoot: string, configured: string): void {
  mkdirSync(cacheRoot, { recursive: true });
  writeFileSync(demoChoicePath(cacheRoot), `${JSON.stringify({ model: "demo", for: configured, chosenAt: new Date().toISOString() })}\n`);
}

export function forgetDemo(cacheRoot: string): void {
  rmSync(demoChoicePath(cacheRoot), { force: true });
}

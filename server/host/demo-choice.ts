/**
 * "Use offline demo model", remembered across restarts: a small file in the app's cache
 * (`<cache>/demo-choice.json`, next to the demo's checkpoint and converted model). A restart then loads
 * the demo at once instead of failing on the real model again; the choice lasts until the real model
 * is available (found without the network) or the user asks for it ("Use the real model").
 * A file, not the database: the model host comes before (and without) any database, and the choice
 * belongs to the cache it describes.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const FILE = "demo-choice.json";

export function demoChoicePath(cacheRoot: string): string {
  return path.join(cacheRoot, FILE);
}

export function isDemoRemembered(cacheRoot: string): boolean {
  try {
    return (JSON.parse(readFileSync(demoChoicePath(cacheRoot), "utf8")) as { model?: unknown }).model === "demo";
  } catch {
    return false;
  }
}

export function rememberDemo(cacheRoot: string): void {
  mkdirSync(cacheRoot, { recursive: true });
  writeFileSync(demoChoicePath(cacheRoot), `${JSON.stringify({ model: "demo", chosenAt: new Date().toISOString() })}\n`);
}

export function forgetDemo(cacheRoot: string): void {
  rmSync(demoChoicePath(cacheRoot), { force: true });
}

/** A tiny checkpoint in the hub's file layout, for the fake hub server to serve. */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { generateTinyCheckpoint } from "@/server/demo/tiny-checkpoint";

export async function makeHubSource(seed = 7): Promise<string> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), "bitnet-hub-source-"));
  await generateTinyCheckpoint({ outDir, seed, shape: "tiny" });
  return outDir;
}

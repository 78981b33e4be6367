/** `bitnet logits` prints one JSON object: argmax per position, the last row, and every row with --all. */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

async function logits(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", path.join(ROOT, "bin/bitnet.ts"), "logits", ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
  const lines = stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

describe("bitnet logits", () => {
  it("prints argmax and logits_last, plus all rows with --all", async () => {
    const model = inject("tinyOnnx");
    const out = await logits(["--model", model, "--ids", "128000,9906,1917", "--all"]);
    const argmax = out.argmax as number[];
    const last = out.logits_last as number[];
    const all = out.logits as number[][];
    expect(argmax).toHaveLength(3);
    expect(last).toHaveLength(128256);
    expect(all).toHaveLength(3);
    expect(all[2]).toEqual(last);
    all.forEach((row, t) => expect(row.indexOf(row.reduce((m, x) => Math.max(m, x), -Infinity))).toBe(argmax[t]));

    const short = await logits(["--model", model, "--ids", "128000,9906,1917"]);
    expect(short.logits).toBeUndefined();
    expect(short.argmax).toEqual(argmax);
  }, 120_000);
});

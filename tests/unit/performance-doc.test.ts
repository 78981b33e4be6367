/**
 * docs/performance.md stays the current page (the journal holds the history): short, every script and
 * journal entry it cites exists, and every figure table says which machine it ran on.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PAGE = readFileSync(path.join(ROOT, "docs/performance.md"), "utf8");

describe("docs/performance.md", () => {
  it("is at most 300 lines", () => {
    expect(PAGE.split("\n").length).toBeLessThanOrEqual(300);
  });

  it("cites only scripts and journal entries that exist", () => {
    const scripts = [...PAGE.matchAll(/\bscripts\/[\w/.-]+\.(?:ts|mjs)/g)].map((m) => m[0]);
    const links = [...PAGE.matchAll(/\]\(((?:perf-journal\/)[^)#]*)\)/g)].map((m) => path.join("docs", m[1]!));
    expect(scripts.length).toBeGreaterThan(3);
    expect(links.length).toBeGreaterThan(5);
    expect([...scripts, ...links].filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  it("names the machine (a label of its machine table) in every figure table's header row or in its section heading", () => {
    const labels = [...PAGE.matchAll(/^\| \*\*([\w-]+)\*\* \|/gm)].map((m) => m[1]!);
    expect(labels.length).toBeGreaterThan(0);
    const names = (text: string) => text.includes("machine") || labels.some((label) => text.includes(label));
    const unnamed: string[] = [];
    let heading = "";
    const lines = PAGE.split("\n");
    lines.forEach((line, i) => {
      if (line.startsWith("#")) heading = line;
      const tableStart = line.startsWith("|") && !lines[i - 1]?.startsWith("|");
      if (tableStart && !line.includes("label") && !names(line) && !names(heading) && !names(lines.slice(Math.max(0, i - 3), i).join(" "))) unnamed.push(line);
    });
    expect(unnamed).toEqual([]);
  });
});

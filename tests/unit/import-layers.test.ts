/**
 * The server folders import only downward (ARCHITECTURE.md): checkpoint at the bottom; hub, convert,
 * demo, runtime and reference on it; engine on runtime; chat / openai / workers on engine; host and
 * http wire them for the app. Tests and test helpers may reach further down and are not checked.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Folder → the server folders its (non-test) files may import. */
const ALLOWED: Record<string, string[]> = {
  checkpoint: [],
  db: [],
  hub: ["checkpoint"],
  convert: ["checkpoint"],
  demo: ["checkpoint"],
  runtime: ["checkpoint"],
  // The reference runner implements runtime's ModelRunner contract (a type import).
  reference: ["checkpoint", "runtime"],
  engine: ["checkpoint", "runtime"],
  workers: ["engine"],
  chat: ["db", "engine"],
  host: ["checkpoint", "hub", "convert", "demo", "runtime", "engine", "workers"],
  openai: ["engine", "host"],
  http: ["chat", "engine"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "testing" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function importedSpecifiers(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)"([^"]+)"/g)].map((m) => m[1]);
}

describe("server/ import layers", () => {
  const folders = readdirSync(path.join(ROOT, "server"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

  it("every server folder has a place in the layer map", () => {
    expect(folders.filter((f) => !(f in ALLOWED))).toEqual([]);
  });

  it("non-test files import only the folders below them, and never app/ or components/", () => {
    const violations: string[] = [];
    for (const folder of folders) {
      for (const file of sourceFiles(path.join(ROOT, "server", folder))) {
        for (const spec of importedSpecifiers(file)) {
          const rel = path.relative(ROOT, file);
          const server = spec.match(/^@\/server\/([^/]+)/);
          if (server && server[1] !== folder && !(ALLOWED[folder] ?? []).includes(server[1])) violations.push(`${rel} → ${spec}`);
          if (/^@\/(app|components)\//.test(spec)) violations.push(`${rel} → ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("lib/ (isomorphic) imports nothing from server/", () => {
    const violations = sourceFiles(path.join(ROOT, "lib")).flatMap((file) =>
      importedSpecifiers(file)
        .filter((spec) => spec.startsWith("@/server/"))
        .map((spec) => `${path.relative(ROOT, file)} → ${spec}`),
    );
    expect(violations).toEqual([]);
  });
});

/**
 * ARCHITECTURE.md stays true to the tree: every path it names exists, and its drawing of server/ lists
 * exactly the folders of the layer map that import-layers.test.ts enforces, each in its layer, top down.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LAYER } from "../support/server-layers";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOC = readFileSync(path.join(ROOT, "ARCHITECTURE.md"), "utf8");

/** Repository paths the document names: `code spans` and drawing entries that look like a file or folder. */
function namedPaths(doc: string): string[] {
  const spans = [...doc.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  const drawing = doc.slice(doc.indexOf("```") + 3, doc.indexOf("```", doc.indexOf("```") + 3));
  const tops = [...drawing.matchAll(/^([a-z][\w.-]*\/)\s/gm)].map((m) => m[1]!);
  const inline = [...drawing.matchAll(/(?<![\w/.@-])((?:[a-z][\w.-]*\/)+[\w.-]*\.(?:ts|tsx|mjs|md))\b/g)].map((m) => m[1]!);
  const candidates = [...spans, ...tops, ...inline].filter((p) => /^[a-z][\w.-]*\/[\w./-]*$|^[\w.-]+\.(?:ts|tsx|mjs|md)$/.test(p) && !p.startsWith("/"));
  return [...new Set(candidates)];
}

/** The server/ drawing's folders with their layer numbers, in the order drawn. */
function drawnLayers(doc: string): [string, number][] {
  const drawn: [string, number][] = [];
  let layer: number | undefined;
  for (const line of doc.split("\n")) {
    const m = line.match(/^\s{2,}(?:layer (\d+)\s+)?([a-z]+)\/\s/);
    if (!m) continue;
    if (m[1] !== undefined) layer = Number(m[1]);
    if (layer === undefined) throw new Error(`ARCHITECTURE.md: ${m[2]}/ is drawn before any "layer N"`);
    drawn.push([m[2]!, layer]);
  }
  return drawn;
}

function sourceText(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceText(full);
      return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? readFileSync(full, "utf8") : "";
    })
    .join("\n");
}

/** Code names the document uses (`startAnswer`, `RunningAnswer.publish`, `forwardBatch(rows)`): camelCase or PascalCase; declared at the top of a module, or a method. */
function namedIdentifiers(doc: string): { name: string; member?: string }[] {
  return [...doc.matchAll(/`([A-Za-z]\w*)(?:\.(\w+))?(?:\([^`]*\))?`/g)]
    .filter((m) => /[a-z][A-Z]|^[A-Z][a-z]/.test(m[1]!) || m[2] !== undefined)
    .map((m) => ({ name: m[1]!, member: m[2] }));
}

describe("ARCHITECTURE.md", () => {
  it("names only paths that exist", () => {
    const paths = namedPaths(DOC);
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  it("draws server/ with the layer map that import-layers.test.ts enforces, top layer first", () => {
    const drawn = drawnLayers(DOC);
    expect(Object.fromEntries(drawn)).toEqual(LAYER);
    expect(drawn.length).toBe(Object.keys(LAYER).length);
    const layers = drawn.map(([, layer]) => layer);
    expect(layers).toEqual([...layers].sort((a, b) => b - a));
  });

  it("names only functions, classes and methods that server/ declares", () => {
    const code = sourceText(path.join(ROOT, "server"));
    const named = namedIdentifiers(DOC);
    expect(named.length).toBeGreaterThan(10);
    const missing = named.filter(({ name, member }) => {
      const defined = name === "engine" || new RegExp(`^(?:export )?(?:async )?(?:function\\*? ?|class |const |interface |type )${name}\\b|^\\s+(?:async )?${name}\\(`, "m").test(code);
      return !defined || (member !== undefined && !new RegExp(`\\b${member}\\(`).test(code));
    });
    expect(missing).toEqual([]);
  });

  it("draws every server folder", () => {
    const folders = readdirSync(path.join(ROOT, "server"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(drawnLayers(DOC).map(([folder]) => folder).sort()).toEqual(folders.sort());
  });
});

/**
 * `npm install` prints no engine warning on the Node versions the README promises: every locked package's
 * `engines.node` admits the lowest version of each range package.json states (optional platform packages,
 * which npm skips elsewhere, aside), and `npm start`'s check (scripts/check-node.mjs) reads that range.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { satisfies } from "../../scripts/check-node.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), "utf8")) as Record<string, unknown>;

describe("Node engines", () => {
  const range = (read("package.json").engines as { node: string }).node;
  const floors = range.split("||").map((term) => semver.minVersion(term.trim())!.version);

  it("every locked dependency installs without an engine warning on each promised range's lowest version", () => {
    const packages = (read("package-lock.json").packages ?? {}) as Record<string, { engines?: { node?: string }; optional?: boolean }>;
    const refused = Object.entries(packages).flatMap(([name, pkg]) =>
      !name || pkg.optional || !pkg.engines?.node ? [] : floors.filter((v) => !semver.satisfies(v, pkg.engines!.node!)).map((v) => `${name} (${pkg.engines!.node}) on ${v}`),
    );
    expect(floors).toEqual(["20.19.0", "22.13.0"]);
    expect(refused).toEqual([]);
  });

  it("npm start's check agrees with semver on the promised range", () => {
    for (const version of ["20.9.0", "20.18.3", "20.19.0", "20.20.2", "21.7.0", "22.12.0", "22.13.0", "24.1.0"]) {
      expect(satisfies(version, range), version).toBe(semver.satisfies(version, range));
    }
    expect(satisfies(process.version, range)).toBe(true);
  });
});

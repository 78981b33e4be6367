#!/usr/bin/env node
/**
 * `npm start` runs this first: the Node versions package.json's `engines` promises are the ones every
 * dependency installs on without an engine warning (tests/unit/node-engines.test.ts checks the lockfile
 * against them); on another version this says so plainly instead of failing later in an obscure way.
 * Plain Node, no dependencies: ranges are `^X.Y.Z` or `>=X.Y.Z`, joined by `||`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

/** [major, minor, patch] of "v20.19.1" / "20.19.1". */
export function parseVersion(text) {
  return text.replace(/^v/, "").split(".").map((n) => Number.parseInt(n, 10) || 0);
}

function atLeast(version, floor) {
  for (let i = 0; i < 3; i++) if (version[i] !== floor[i]) return version[i] > floor[i];
  return true;
}

/** Whether `version` is in `range` (`^20.19.0 || >=22.13.0`). */
export function satisfies(version, range) {
  const v = parseVersion(version);
  return range.split("||").some((part) => {
    const term = part.trim();
    if (term.startsWith("^")) {
      const floor = parseVersion(term.slice(1));
      return v[0] === floor[0] && atLeast(v, floor);
    }
    if (term.startsWith(">=")) return atLeast(v, parseVersion(term.slice(2)));
    throw new Error(`check-node: unsupported range term "${term}"`);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const range = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node;
  if (!satisfies(process.version, range)) {
    console.error(`BitNet Chat needs Node.js ${range.replace(/\s*\|\|\s*/g, " or ")}; this is ${process.version}. Install a supported version (https://nodejs.org) and run npm install again.`);
    process.exit(1);
  }
}

#!/usr/bin/env node
/**
 * `npm start` runs this before serving: it runs `next build` only when the sources differ from the
 * ones the current `.next` was built from, so a restart takes seconds instead of a full build.
 * The sources are hashed by content (a `git checkout` that only touches mtimes does not rebuild);
 * the hash is stored in `.next/source-hash` after a successful build. `--force` always builds.
 * Plain Node (no tsx): it must run before anything is compiled.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const STAMP = path.join(ROOT, ".next", "source-hash");
/** What the production build is made of. Tests, docs and scripts are not. */
const SOURCE_DIRS = ["app", "components", "lib", "server", "drizzle", "public"];
const SOURCE_FILES = ["package-lock.json", "package.json", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "instrumentation.ts", "proxy.ts"];
const SKIP = /(^|\/)(node_modules|\.next)(\/|$)|\.test\.tsx?$/;

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (SKIP.test(path.relative(ROOT, full))) continue;
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

export function sourceHash() {
  const hash = createHash("sha256");
  const files = [...SOURCE_DIRS.flatMap((d) => [...walk(path.join(ROOT, d))]), ...SOURCE_FILES.map((f) => path.join(ROOT, f)).filter((f) => existsSync(f) && statSync(f).isFile())];
  for (const file of files) hash.update(`${path.relative(ROOT, file)}\0`).update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

const current = sourceHash();
const built = existsSync(path.join(ROOT, ".next", "BUILD_ID")) && existsSync(STAMP) ? readFileSync(STAMP, "utf8").trim() : null;
if (built === current && !process.argv.includes("--force")) {
  console.log("Sources unchanged since the last build: skipping `next build`.");
} else {
  console.log(built ? "Sources changed since the last build: building." : "No build yet: building.");
  // Nothing leaves the machine: Next's anonymous build telemetry is off for this project (not a user setting).
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  const result = spawnSync(path.join(ROOT, "node_modules", ".bin", "next"), ["build"], { cwd: ROOT, stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, `${current}\n`);
}

/**
 * Nothing leaves the machine (README): Next's anonymous telemetry is on by default, so every project script
 * that runs `next` turns it off itself, without asking the user to opt out.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const scripts = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

describe("Next's telemetry", () => {
  it("is disabled by every npm script that runs next, and by the build npm start runs", () => {
    const runsNext = Object.entries(scripts).filter(([, command]) => /(^|&&\s*|\s)next\s/.test(command));
    expect(runsNext.map(([name]) => name).sort()).toEqual(["build", "dev", "serve", "start"]);
    for (const [name, command] of runsNext) {
      for (const call of command.split("&&").filter((part) => /(^|\s)next\s/.test(part))) expect(call.trim(), name).toMatch(/^NEXT_TELEMETRY_DISABLED=1 next /);
    }
    expect(readFileSync(path.join(ROOT, "scripts/build-if-changed.mjs"), "utf8")).toMatch(/NEXT_TELEMETRY_DISABLED: "1"/);
  });

  it("is off for Next itself under the scripts' setting, with a fresh user profile", () => {
    const home = mkdtempSync(path.join(tmpdir(), "telemetry-"));
    try {
      // Run outside the project: Next may keep its telemetry notes in a `cache/` folder of the working directory.
      const status = (env: Record<string, string>): string =>
        execFileSync(path.join(ROOT, "node_modules/.bin/next"), ["telemetry", "status"], { cwd: home, env: { PATH: process.env.PATH ?? "", HOME: home, NODE_ENV: "production", ...env } }).toString();
      expect(status({})).toMatch(/Enabled/);
      expect(status({ NEXT_TELEMETRY_DISABLED: "1" })).toMatch(/opted-out/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

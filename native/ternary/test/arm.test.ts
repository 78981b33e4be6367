/**
 * The NEON and NEON-dotprod paths, checked on this (x86) machine: cross-compiled for aarch64 and run under
 * qemu-user by test/run-arm.sh. Runs where Debian's gcc-aarch64-linux-gnu and qemu-user are installed;
 * BITNET_REQUIRE_ARM_CHECK=1 (set by .ci/run, which installs them) makes their absence a failure.
 */
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const has = (tool: string) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
const tools = has("aarch64-linux-gnu-gcc") && (has("qemu-aarch64") || has("qemu-aarch64-static"));
if (!tools && process.env.BITNET_REQUIRE_ARM_CHECK === "1") throw new Error("BITNET_REQUIRE_ARM_CHECK=1 but gcc-aarch64-linux-gnu / qemu-user are not installed");

describe.runIf(tools)("ARM paths under qemu", () => {
  it("neon and neon-dotprod agree with plain C (exact mode bit for bit), with and without the dot-product extension", () => {
    const out = execFileSync("bash", [path.join(import.meta.dirname, "run-arm.sh")], { encoding: "utf8", timeout: 120_000 });
    expect(out).toMatch(/with dotprod[\s\S]*paths scalar neon neon-dotprod; \d+ cases, 0 differences/);
    expect(out).toMatch(/without dotprod[\s\S]*paths scalar neon; \d+ cases, 0 differences/);
  }, 180_000);
});

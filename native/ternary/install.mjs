#!/usr/bin/env node
/**
 * Builds the ternary kernel addon at `npm install` (the project's postinstall), with node-gyp and the
 * Node headers that came with this Node — nothing is downloaded. Never fails the install: without a C
 * compiler (or on an unsupported platform) it prints one line and the app runs onnxruntime's own kernel.
 * BITNET_SKIP_NATIVE=1 skips the build.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

function nodeGyp() {
  // npm hands its bundled node-gyp to install scripts; outside npm, look next to npm itself.
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  const npmDir = path.resolve(path.dirname(process.execPath), "../lib/node_modules/npm");
  const candidate = path.join(npmDir, "node_modules/node-gyp/bin/node-gyp.js");
  return existsSync(candidate) ? candidate : undefined;
}

/** The headers of the running Node, when its install has them (official builds and Debian's do). */
function nodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  return existsSync(path.join(prefix, "include/node/node_api.h")) ? prefix : undefined;
}

function main() {
  if (process.env.BITNET_SKIP_NATIVE === "1") return console.log("[ternary] BITNET_SKIP_NATIVE=1: not building the ternary kernel");
  const gyp = nodeGyp();
  if (!gyp) return console.log("[ternary] node-gyp not found: the app will use onnxruntime's MatMulNBits kernel");
  const dir = nodeDir();
  const args = [gyp, "rebuild", "--directory", here, ...(dir ? [`--nodedir=${dir}`] : [])];
  const result = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (result.status === 0) return console.log("[ternary] built native/ternary (the project's ternary kernel)");
  const reason = (result.stderr || result.stdout || "").split("\n").find((l) => /error|not found|No such/i.test(l)) ?? `exit ${result.status}`;
  console.log(`[ternary] could not build the ternary kernel (${reason.trim()}): the app will use onnxruntime's MatMulNBits kernel`);
}

main();

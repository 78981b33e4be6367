/**
 * The machine a figure was measured on: CPU model, the widest vector ISA it has, cores. onnxruntime's
 * 2-bit kernels and ours differ by up to 4× between AVX2 and AVX-512, so no speed figure goes without it.
 */
import { readFileSync } from "node:fs";
import os from "node:os";

export interface CpuInfo {
  model: string;
  /** avx512vnni | avx512 | avx2 | neon-dotprod | neon | the architecture when none of these. */
  isa: string;
  cores: number;
}

/** From /proc/cpuinfo's flag names (x86 `flags`, ARM `Features`). */
export function isaFromFlags(flags: ReadonlySet<string>, arch: string): string {
  if (flags.has("avx512_vnni") && flags.has("avx512bw")) return "avx512vnni";
  if (flags.has("avx512f") && flags.has("avx512bw")) return "avx512";
  if (flags.has("avx2") && flags.has("fma")) return "avx2";
  if (flags.has("asimddp")) return "neon-dotprod";
  if (flags.has("asimd") || arch === "arm64") return "neon";
  return arch;
}

export function cpuInfo(): CpuInfo {
  const cores = os.availableParallelism();
  let model = os.cpus()[0]?.model?.trim() || "unknown";
  let flags = new Set<string>();
  try {
    const text = readFileSync("/proc/cpuinfo", "utf8");
    const line = text.match(/^(?:flags|Features)\s*:\s*(.*)$/m);
    if (line) flags = new Set(line[1].trim().split(/\s+/));
    const named = text.match(/^(?:model name|Hardware|CPU part)\s*:\s*(.*)$/m);
    if (model === "unknown" && named) model = named[1].trim();
  } catch {
    // Not Linux: the model name from os.cpus() and the architecture.
  }
  return { model, isa: isaFromFlags(flags, process.arch), cores };
}

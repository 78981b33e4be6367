import { describe, expect, it } from "vitest";
import { cpuInfo, isaFromFlags } from "./cpu-info";

describe("cpuInfo", () => {
  it("names the widest vector ISA from the kernel's flag names", () => {
    const x86 = "fpu sse2 avx fma avx2";
    expect(isaFromFlags(new Set(x86.split(" ")), "x64")).toBe("avx2");
    expect(isaFromFlags(new Set(`${x86} avx512f avx512bw avx512vl`.split(" ")), "x64")).toBe("avx512");
    expect(isaFromFlags(new Set(`${x86} avx512f avx512bw avx512_vnni`.split(" ")), "x64")).toBe("avx512vnni");
    expect(isaFromFlags(new Set("fp asimd".split(" ")), "arm64")).toBe("neon");
    expect(isaFromFlags(new Set("fp asimd asimddp".split(" ")), "arm64")).toBe("neon-dotprod");
    expect(isaFromFlags(new Set(), "riscv64")).toBe("riscv64");
  });

  it("describes this machine", () => {
    const cpu = cpuInfo();
    expect(cpu.model.length).toBeGreaterThan(0);
    expect(cpu.cores).toBeGreaterThan(0);
    expect(cpu.isa).toMatch(/^(avx512vnni|avx512|avx2|neon-dotprod|neon|x64|arm64|\w+)$/);
  });
});

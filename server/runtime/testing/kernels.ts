/**
 * The kernels the runtime tests run on: onnxruntime's MatMulNBits (always) and the project's ternary kernel
 * (when native/ternary is built). Where it is required (BITNET_REQUIRE_NATIVE=1, as .ci/run sets), a
 * missing addon fails the tests instead of leaving them to the fallback.
 */
import { ternaryAddon } from "@/server/runtime/ternary-addon";
import type { KernelChoice } from "@/server/runtime/runner-session";

export function testKernels(): KernelChoice[] {
  const loaded = ternaryAddon();
  if (!loaded.addon && process.env.BITNET_REQUIRE_NATIVE === "1") throw new Error(`BITNET_REQUIRE_NATIVE=1 but the ternary kernel is unavailable: ${loaded.reason}`);
  return loaded.addon ? ["ternary", "mlas"] : ["mlas"];
}

/** The runner's kernel name matches the choice (a silent fallback would test the other kernel twice). */
export function kernelMatches(kernel: string, choice: KernelChoice): boolean {
  return choice === "mlas" ? kernel === "mlas" : kernel.startsWith("ternary-");
}

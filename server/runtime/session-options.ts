/**
 * onnxruntime session options for the converted BitNet graph (measurements: docs/performance.md).
 */
import os from "node:os";
import type { InferenceSession } from "onnxruntime-node";

export interface RunnerTuning {
  /** Intra-op threads; default: every core. */
  threads?: number;
  /** MLAS' 2-bit LUT GEMM (`mlas.use_lut_gemm`). */
  lutGemm?: boolean;
  /** ORT's CPU memory arena (default on). */
  memArena?: boolean;
  /** Intra-op worker threads spin while waiting for work (ORT's default; `session.intra_op.allow_spinning`). */
  spinning?: boolean;
  /** ORT's weight prepacking (default on; `session.disable_prepacking` when false). */
  prepacking?: boolean;
  /** Collect an ORT profile (JSON file prefix). */
  profilePrefix?: string;
}

export function sessionOptions(tuning: RunnerTuning = {}): InferenceSession.SessionOptions {
  const threads = tuning.threads ?? os.availableParallelism();
  return {
    executionProviders: ["cpu"],
    graphOptimizationLevel: "all",
    executionMode: "sequential",
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    enableCpuMemArena: tuning.memArena ?? true,
    enableMemPattern: false,
    enableProfiling: tuning.profilePrefix !== undefined,
    profileFilePrefix: tuning.profilePrefix,
    extra: {
      mlas: { use_lut_gemm: tuning.lutGemm ? "1" : "0" },
      session: { intra_op: { allow_spinning: tuning.spinning === false ? "0" : "1" }, disable_prepacking: tuning.prepacking === false ? "1" : "0" },
    },
  };
}

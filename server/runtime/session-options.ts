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
  /**
   * Intra-op worker threads spin while waiting for work (`session.intra_op.allow_spinning`; default off:
   * spinning workers hold the cores while JavaScript samples and streams, and under any other load they
   * measured 2.3× slower decode — docs/performance.md "Speed 3").
   */
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
      session: { intra_op: { allow_spinning: tuning.spinning === true ? "1" : "0" }, disable_prepacking: tuning.prepacking === false ? "1" : "0" },
    },
  };
}

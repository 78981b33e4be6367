/**
 * The efficiency meter's arithmetic: what one answer moved through memory, against what the machine
 * can move and what a 16-bit model would have needed. Decode is memory-bound on a CPU (every weight is
 * read once per token), so time scales with bytes per token at a given bandwidth.
 */
export interface AnswerEfficiencyInput {
  completionTokens: number;
  decodeTokPerS: number;
  ttftMs: number;
  totalMs: number;
}

export interface WeightsInfo {
  bytesPerToken: number;
  fp16BytesPerToken: number;
}

export interface AnswerEfficiency {
  bytesPerToken: number;
  /** Weight bytes per second this answer streamed while decoding. */
  weightBytesPerSecond: number;
  /** That as a share of the measured memory bandwidth (0–1+), when it is known. */
  shareOfBandwidth: number | null;
  /** How much smaller the weights are than at 16 bits. */
  sizeRatio: number;
  /** The decode part of this answer at fp16 weights, at the same effective bandwidth. */
  fp16DecodeMs: number;
  /** The whole answer at fp16 weights (prompt time kept as measured). */
  fp16TotalMs: number;
}

export function answerEfficiency(
  stats: AnswerEfficiencyInput,
  weights: WeightsInfo,
  memoryBytesPerSecond: number | null,
): AnswerEfficiency | null {
  if (!(stats.decodeTokPerS > 0) || stats.completionTokens < 2 || !(weights.bytesPerToken > 0)) return null;
  const weightBytesPerSecond = weights.bytesPerToken * stats.decodeTokPerS;
  const sizeRatio = weights.fp16BytesPerToken / weights.bytesPerToken;
  const decodeMs = Math.max(0, stats.totalMs - stats.ttftMs);
  const fp16DecodeMs = decodeMs * sizeRatio;
  return {
    bytesPerToken: weights.bytesPerToken,
    weightBytesPerSecond,
    shareOfBandwidth: memoryBytesPerSecond && memoryBytesPerSecond > 0 ? weightBytesPerSecond / memoryBytesPerSecond : null,
    sizeRatio,
    fp16DecodeMs,
    fp16TotalMs: stats.ttftMs + fp16DecodeMs,
  };
}

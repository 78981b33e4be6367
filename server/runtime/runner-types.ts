/**
 * The contract between the converted ONNX model (server/convert, server/runtime) and the generation loop
 * (server/engine): a model runner owns one inference session and one KV cache.
 * Implemented by the ONNX runner (onnxruntime-node) and by the float64 reference (tests).
 */
export interface ModelInfo {
  vocabSize: number;
  /** Positions the KV cache holds (≤ the config's max_position_embeddings). */
  maxPositions: number;
  numLayers: number;
  hiddenSize: number;
  bosTokenId: number;
  /** Token ids that end a chat answer (`<|eot_id|>`, `<|end_of_text|>`). */
  eosTokenIds: number[];
}

export interface ModelRunner {
  readonly info: ModelInfo;
  /** The kernel the ternary projections run on, where the runner has a choice ("ternary-avx2", "mlas", …). */
  readonly kernel?: string;
  /** Number of positions currently in the KV cache. */
  readonly length: number;
  /**
   * Runs `ids` at positions [length, length + ids.length), appends their keys/values to the cache,
   * and returns the logits of the last `keepLogits` positions (default 1), row-major
   * [keepLogits × vocabSize]. The returned array may be reused by the next call: copy it to keep it.
   */
  forward(ids: ArrayLike<number>, options?: { keepLogits?: number }): Promise<Float32Array>;
  /** Forgets every position ≥ `length` (0 = empty cache), so a shared prompt prefix can be reused. */
  truncate(length: number): void;
  /** Frees the session and the cache. */
  dispose(): Promise<void>;
}

/** One sequence's part of a batched forward pass. */
export interface BatchRow {
  /** The KV-cache slot of the sequence (0 ≤ slot < maxSlots). */
  slot: number;
  /** New tokens, at positions [slotLength(slot), slotLength(slot) + ids.length); at least one. */
  ids: ArrayLike<number>;
  /** Logits of the last `keepLogits` of them (default 1). */
  keepLogits?: number;
}

/**
 * A runner that holds several sequences, each in its own KV-cache slot, and runs new tokens of any of them
 * in one forward pass (continuous batching). Slot 0 is the one `forward`/`length`/`truncate` use.
 */
export interface BatchedModelRunner extends ModelRunner {
  /** Slots the runner can hold at once. */
  readonly maxSlots: number;
  /**
   * Runs every row's tokens in one pass, appends their keys/values to each row's slot, and returns each
   * row's logits ([keepLogits × vocabSize], in row order; may be reused by the next call: copy to keep).
   * At most one row per slot.
   */
  forwardBatch(rows: readonly BatchRow[]): Promise<Float32Array[]>;
  slotLength(slot: number): number;
  /** Forgets every position ≥ `length` of `slot`. */
  truncateSlot(slot: number, length: number): void;
}

export function isBatchedRunner(runner: ModelRunner): runner is BatchedModelRunner {
  return typeof (runner as BatchedModelRunner).forwardBatch === "function";
}

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

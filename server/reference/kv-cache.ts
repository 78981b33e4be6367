/**
 * Float64 keys and values per layer, token-major [position, nKV * D] (RoPE already applied to keys),
 * grown by doubling so a short test sequence does not allocate max_position_embeddings rows.
 */
export class KvCache {
  /** Positions filled. */
  length = 0;
  private capacity = 0;
  keys: Float64Array[];
  values: Float64Array[];

  constructor(
    readonly numLayers: number,
    /** nKV * D: one position's keys (or values) in one layer. */
    readonly rowSize: number,
    readonly maxPositions: number,
  ) {
    this.keys = Array.from({ length: numLayers }, () => new Float64Array(0));
    this.values = Array.from({ length: numLayers }, () => new Float64Array(0));
  }

  /** Makes room for positions [0, positions). */
  reserve(positions: number): void {
    if (positions > this.maxPositions) {
      throw new Error(`forward: ${positions} positions exceed the model's ${this.maxPositions}`);
    }
    if (positions <= this.capacity) return;
    const capacity = Math.min(this.maxPositions, Math.max(positions, 2 * this.capacity, 16));
    const grow = (old: Float64Array) => {
      const next = new Float64Array(capacity * this.rowSize);
      next.set(old.subarray(0, this.length * this.rowSize));
      return next;
    };
    this.keys = this.keys.map(grow);
    this.values = this.values.map(grow);
    this.capacity = capacity;
  }

  truncate(length: number): void {
    if (!Number.isInteger(length) || length < 0 || length > this.length) {
      throw new Error(`truncate: ${length} is not in 0..${this.length}`);
    }
    this.length = length;
  }
}

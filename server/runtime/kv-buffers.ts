/**
 * The ONNX runner's KV cache: per layer one key and one value buffer [kvHeads, C, headDim] (head-major,
 * so each buffer is the graph's past input as is, without a copy), plus the additive mask [C] that hides
 * capacity beyond the cached length. C grows in steps as positions are added and shrinks again when a
 * truncated cache is reused (memory follows the context actually used); resizing copies the cached rows
 * once. Headroom is ≈ √(2L) positions: attention reads all C positions of every layer each step, and a
 * regrowth copies all L, so per token the slack costs ~headroom/2 and the copies ~L/headroom position
 * reads — balanced at √(2L) (64 positions at a 2k context).
 */

/** Capacity is a multiple of this many positions. */
const CAPACITY_STEP = 32;

export interface KvShape {
  numLayers: number;
  numKvHeads: number;
  headDim: number;
  maxPositions: number;
}

export class KvBuffers {
  private cap = 0;
  private len = 0;
  private keys: Float32Array[] = [];
  private values: Float32Array[] = [];
  /** 0 for cached positions, -inf beyond; sized to the capacity. */
  private maskData = new Float32Array(0);

  constructor(private readonly shape: KvShape) {
    this.release();
  }

  /** Positions held. */
  get length(): number {
    return this.len;
  }

  /** Positions the buffers can hold before they grow. */
  get capacity(): number {
    return this.cap;
  }

  /** The graph's past inputs for one layer: [kvHeads, capacity, headDim]. */
  key(layer: number): Float32Array {
    return this.keys[layer];
  }

  value(layer: number): Float32Array {
    return this.values[layer];
  }

  /** Additive mask [capacity]: 0 for the cached positions, -inf for unused capacity. */
  get mask(): Float32Array {
    return this.maskData;
  }

  /**
   * Makes room for `count` more positions (before `append`). Also shrinks buffers more than twice the
   * size needed (after a truncate; `reserve(0)` before a run), so a short conversation after a long
   * one neither holds the long one's memory nor attends over its masked capacity.
   */
  reserve(count: number): void {
    const need = this.len + count;
    const { maxPositions } = this.shape;
    if (need > maxPositions) throw new Error(`KV cache: ${need} positions exceed ${maxPositions}`);
    if (need <= this.cap && this.cap <= 2 * sized(need, maxPositions)) return;
    this.resize(sized(need, maxPositions));
  }

  private resize(cap: number): void {
    const { numLayers, numKvHeads: nKV, headDim: D } = this.shape;
    const move = (old: Float32Array): Float32Array => {
      const next = new Float32Array(nKV * cap * D);
      for (let h = 0; h < nKV; h++) next.set(old.subarray(h * this.cap * D, (h * this.cap + this.len) * D), h * cap * D);
      return next;
    };
    for (let i = 0; i < numLayers; i++) {
      this.keys[i] = move(this.keys[i]);
      this.values[i] = move(this.values[i]);
    }
    const mask = new Float32Array(cap).fill(-Infinity);
    mask.fill(0, 0, this.len);
    this.maskData = mask;
    this.cap = cap;
  }

  /**
   * Appends S positions to every layer from the graph's new rows [S, kvHeads*headDim] (token-major).
   * `rows(layer)` gives [newKeys, newValues]; the capacity must have been reserved.
   */
  append(count: number, rows: (layer: number) => [Float32Array, Float32Array]): void {
    const { numLayers, numKvHeads: nKV, headDim: D } = this.shape;
    const L = this.len;
    if (L + count > this.cap) throw new Error("KV cache: append past the reserved capacity");
    for (let i = 0; i < numLayers; i++) {
      const [k, v] = rows(i);
      scatterRows(k, this.keys[i], L, count, nKV, D, this.cap);
      scatterRows(v, this.values[i], L, count, nKV, D, this.cap);
    }
    this.maskData.fill(0, L, L + count);
    this.len = L + count;
  }

  /** Forgets every position ≥ `length` (the rows stay allocated and are overwritten later). */
  truncate(length: number): void {
    this.maskData.fill(-Infinity, length, this.len);
    this.len = length;
  }

  /** Drops the buffers (back to capacity 0). */
  release(): void {
    this.keys = Array.from({ length: this.shape.numLayers }, () => new Float32Array(0));
    this.values = Array.from({ length: this.shape.numLayers }, () => new Float32Array(0));
    this.maskData = new Float32Array(0);
    this.cap = 0;
    this.len = 0;
  }
}

/** Capacity for `need` positions: ≈ √(2·need) headroom, rounded up to CAPACITY_STEP (0 for 0). */
function sized(need: number, maxPositions: number): number {
  if (need === 0) return 0;
  return Math.min(maxPositions, Math.ceil((need + Math.sqrt(2 * need)) / CAPACITY_STEP) * CAPACITY_STEP);
}

/** new rows [S, nKV*D] (token-major) → head-major buffer [nKV, cap, D] at positions L..L+S-1. */
function scatterRows(src: Float32Array, dst: Float32Array, L: number, S: number, nKV: number, D: number, cap: number): void {
  for (let s = 0; s < S; s++) {
    for (let h = 0; h < nKV; h++) {
      dst.set(src.subarray((s * nKV + h) * D, (s * nKV + h + 1) * D), (h * cap + L + s) * D);
    }
  }
}

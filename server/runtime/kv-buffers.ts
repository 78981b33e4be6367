/**
 * The ONNX runner's KV cache for up to N sequences ("slots"): per layer one key buffer [slots, kvHeads, C,
 * headDim] and one value buffer [slots, kvHeads, headDim, C] (values transposed: the graph multiplies them
 * as transposed B, see the manifest), slot-major, so the first R slots are the graph's past inputs as they
 * are, without a copy, plus the additive mask [slots, C] that hides, per slot,
 * the capacity beyond its cached length. All slots share the capacity C, which grows in steps as positions
 * are added and shrinks again when truncated or freed slots leave it oversized (memory follows the longest
 * context actually held); resizing copies the cached rows once. Headroom is ≈ √(2L) positions: attention
 * reads all C positions of every layer each step, and a regrowth copies all L, so per token the slack costs
 * ~headroom/2 and the copies ~L/headroom position reads — balanced at √(2L) (64 positions at a 2k context).
 *
 * Memory: every layer's keys and values live in ONE ArrayBuffer with room for maxPositions per slot,
 * allocated when first needed (and again only when more slots are needed than it holds, or to give memory
 * back after a large shrink). It is zero-filled by calloc from fresh mmap'ed pages, so only the pages of
 * the [slots, kvHeads, C, D] prefix of each layer's region ever become resident, and a resize moves the
 * rows within the buffer instead of allocating new ones: no cache-sized garbage buffers waiting for V8's
 * GC (measured with a fresh allocation per resize: 2× the cache resident after a 2k context —
 * docs/performance.md "Memory").
 *
 * Element type: the graph's (manifest `kvDtype`). float16 values are kept as their raw bits (Uint16Array:
 * Node 20 has no Float16Array, and the runner never does arithmetic on them, it only copies rows).
 */

/** Capacity is a multiple of this many positions. */
const CAPACITY_STEP = 32;

export type KvArray = Float32Array | Uint16Array;
export type KvElement = "float16" | "float32";

export interface KvShape {
  numLayers: number;
  numKvHeads: number;
  headDim: number;
  maxPositions: number;
}

/** New positions one slot gets in the next run. */
export interface SlotRequest {
  slot: number;
  count: number;
}

export class KvBuffers {
  private cap = 0;
  private slots = 0;
  private lens: number[] = [];
  /** All layers' keys and values: 2·numLayers regions of slotRoom·kvHeads·maxPositions·D elements. */
  private backing: KvArray | null = null;
  /** Slots the backing buffer has room for. */
  private slotRoom = 0;
  /** Largest slots·capacity laid out in the backing buffer so far (its resident part). */
  private touched = 0;
  private keys: KvArray[] = [];
  private values: KvArray[] = [];
  /** [slots, cap]: 0 for a slot's cached positions, -inf beyond. */
  private maskData = new Float32Array(0);

  private readonly Elements: typeof Float32Array | typeof Uint16Array;

  constructor(
    private readonly shape: KvShape,
    readonly element: KvElement = "float32",
  ) {
    this.Elements = element === "float16" ? Uint16Array : Float32Array;
    this.release();
  }

  /** Positions held by `slot` (0 for a slot never used). */
  length(slot = 0): number {
    return this.lens[slot] ?? 0;
  }

  /** Positions each slot can hold before the buffers grow. */
  get capacity(): number {
    return this.cap;
  }

  /** Slots the buffers are laid out for. */
  get slotCount(): number {
    return this.slots;
  }

  /** One layer's keys for the first `rows` slots: [rows, kvHeads, capacity, headDim] (a view, no copy). */
  key(layer: number, rows = this.slots): KvArray {
    return this.keys[layer].subarray(0, rows * this.slotSize);
  }

  value(layer: number, rows = this.slots): KvArray {
    return this.values[layer].subarray(0, rows * this.slotSize);
  }

  /** Additive mask [rows, capacity] of the first `rows` slots: 0 for cached positions, -inf for the rest. */
  mask(rows = this.slots): Float32Array {
    return this.maskData.subarray(0, rows * this.cap);
  }

  /**
   * Makes room for the requested new positions (before `append`); `reserve([])` before a run only lets the
   * buffers shrink. Shrinks buffers more than twice the size needed (after a truncate or a freed slot), so
   * a short conversation after a long one neither holds the long one's memory nor attends over its masked
   * capacity; slots above the highest one in use or requested are dropped.
   */
  reserve(requests: readonly SlotRequest[]): void {
    const { maxPositions } = this.shape;
    let need = 0;
    let slots = 0;
    for (let s = 0; s < this.slots; s++) {
      if (this.lens[s] > 0) {
        need = Math.max(need, this.lens[s]);
        slots = s + 1;
      }
    }
    for (const { slot, count } of requests) {
      const total = this.length(slot) + count;
      if (total > maxPositions) throw new Error(`KV cache: ${total} positions exceed ${maxPositions}`);
      need = Math.max(need, total);
      slots = Math.max(slots, slot + 1);
    }
    const fits = need <= this.cap && this.cap <= 2 * sized(need, maxPositions);
    if (fits && slots <= this.slots && (slots === this.slots || this.slots <= 2 * slots)) return;
    this.resize(sized(need, maxPositions), slots);
  }

  private get slotSize(): number {
    return this.shape.numKvHeads * this.cap * this.shape.headDim;
  }

  private resize(cap: number, slots: number): void {
    const { numLayers, numKvHeads: nKV, headDim: D, maxPositions } = this.shape;
    const kept = Math.min(slots, this.slots);
    const old = this.backing;
    // A new buffer when there is none, when it lacks room for the slots, or when the cache shrank far below
    // what was resident (so memory is given back); otherwise the rows move within the buffer.
    const fresh = old === null || slots > this.slotRoom || slots * cap * 4 < this.touched;
    const slotRoom = !fresh ? this.slotRoom : slots > this.slotRoom && old !== null ? Math.max(slots, 2 * this.slotRoom) : slots;
    const region = slotRoom * nKV * maxPositions * D;
    const backing = fresh ? new this.Elements(2 * numLayers * region) : old;
    const oldRegion = this.slotRoom * nKV * maxPositions * D;
    for (let b = 0; b < 2 * numLayers; b++) {
      // Keys: block j = (slot, head) holds len rows of D floats at j·cap·D. Values (odd b, transposed): block
      // j = (slot, head, d) holds len floats at j·cap. A block moves from its old to its new offset: when
      // growing the last block goes first, when shrinking the first, so no block overwrites one not yet moved.
      const unit = b % 2 === 0 ? D : 1;
      const perSlot = b % 2 === 0 ? nKV : nKV * D;
      const blocks = kept * perSlot;
      for (let i = 0; i < blocks; i++) {
        const j = cap > this.cap ? blocks - 1 - i : i;
        const rows = this.lens[Math.floor(j / perSlot)] * unit;
        if (rows === 0) continue;
        const from = b * oldRegion + j * this.cap * unit;
        const to = b * region + j * cap * unit;
        if (fresh) backing!.set(old!.subarray(from, from + rows), to);
        else if (from !== to) backing!.copyWithin(to, from, from + rows);
      }
    }
    this.backing = backing;
    this.slotRoom = slotRoom;
    this.touched = fresh ? slots * cap : Math.max(this.touched, slots * cap);
    const size = slots * nKV * cap * D;
    this.keys = Array.from({ length: numLayers }, (_, i) => backing!.subarray(2 * i * region, 2 * i * region + size));
    this.values = Array.from({ length: numLayers }, (_, i) => backing!.subarray((2 * i + 1) * region, (2 * i + 1) * region + size));
    this.lens.length = slots;
    for (let s = kept; s < slots; s++) this.lens[s] = 0;
    const mask = new Float32Array(slots * cap).fill(-Infinity);
    for (let s = 0; s < slots; s++) mask.fill(0, s * cap, s * cap + this.lens[s]);
    this.maskData = mask;
    this.cap = cap;
    this.slots = slots;
  }

  /**
   * Appends `count` positions to `slot` in every layer from the graph's new rows [T, kvHeads*headDim]
   * (token-major, flat over all sequences of the run), starting at row `from`. `rows(layer)` gives
   * [newKeys, newValues]; the capacity must have been reserved.
   */
  append(slot: number, count: number, from: number, rows: (layer: number) => [KvArray, KvArray]): void {
    const { numLayers, numKvHeads: nKV, headDim: D } = this.shape;
    const L = this.length(slot);
    if (slot >= this.slots || L + count > this.cap) throw new Error("KV cache: append past the reserved capacity");
    const base = slot * nKV * this.cap;
    for (let i = 0; i < numLayers; i++) {
      const [k, v] = rows(i);
      // A Float32Array copied into fp16 bits (or back) would be converted numerically: refuse, never garble.
      if (!(k instanceof this.Elements) || !(v instanceof this.Elements)) throw new Error(`KV cache: new rows are not ${this.element}`);
      scatterRows(k, this.keys[i], from, L, count, nKV, D, this.cap, base);
      scatterColumns(v, this.values[i], from, L, count, nKV, D, this.cap, base);
    }
    this.maskData.fill(0, slot * this.cap + L, slot * this.cap + L + count);
    this.lens[slot] = L + count;
  }

  /** Forgets every position ≥ `length` of `slot` (the rows stay allocated and are overwritten later). */
  truncate(slot: number, length: number): void {
    const L = this.length(slot);
    if (length >= L) return;
    this.maskData.fill(-Infinity, slot * this.cap + length, slot * this.cap + L);
    this.lens[slot] = length;
  }

  /** Drops the buffers (back to capacity 0, no slots). */
  release(): void {
    this.backing = null;
    this.slotRoom = 0;
    this.touched = 0;
    this.keys = Array.from({ length: this.shape.numLayers }, () => new this.Elements(0));
    this.values = Array.from({ length: this.shape.numLayers }, () => new this.Elements(0));
    this.maskData = new Float32Array(0);
    this.lens = [];
    this.cap = 0;
    this.slots = 0;
  }
}

/**
 * Capacity for `need` positions: ≈ √(2·need) headroom, rounded up to CAPACITY_STEP — never 0: the graph's
 * probabilities × past values product (FusedMatMul) leaves its output uninitialized when the past is
 * empty (a reduction over C = 0; measured: a prompt's first chunk then gave other logits than with one
 * masked position), so an empty cache is fed as CAPACITY_STEP masked positions.
 */
function sized(need: number, maxPositions: number): number {
  if (need === 0) return Math.min(maxPositions, CAPACITY_STEP);
  return Math.min(maxPositions, Math.ceil((need + Math.sqrt(2 * need)) / CAPACITY_STEP) * CAPACITY_STEP);
}

/** new rows [T, nKV*D] (token-major), rows from..from+S-1 → head-major slot at `base` [nKV, cap, D], positions L..L+S-1. */
function scatterRows(src: KvArray, dst: KvArray, from: number, L: number, S: number, nKV: number, D: number, cap: number, base: number): void {
  for (let s = 0; s < S; s++) {
    for (let h = 0; h < nKV; h++) {
      const at = ((from + s) * nKV + h) * D;
      dst.set(src.subarray(at, at + D), ((base + h * cap) + L + s) * D);
    }
  }
}

/** new rows [T, nKV*D] (token-major), rows from..from+S-1 → transposed slot at `base` [nKV, D, cap], positions L..L+S-1. */
function scatterColumns(src: KvArray, dst: KvArray, from: number, L: number, S: number, nKV: number, D: number, cap: number, base: number): void {
  for (let s = 0; s < S; s++) {
    for (let h = 0; h < nKV; h++) {
      const at = ((from + s) * nKV + h) * D;
      const to = (base + h * cap) * D + L + s;
      for (let d = 0; d < D; d++) dst[to + d * cap] = src[at + d];
    }
  }
}

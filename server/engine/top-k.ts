/**
 * Partial selection of the k largest logits with a min-heap: O(V log k) worst case and close to O(V) in
 * practice (most logits lose against the heap's root), so the 128256-entry vocabulary is never sorted.
 * The buffers are allocated once per job and reused every token.
 */
export class TopKSelector {
  readonly idx: Int32Array;
  readonly val: Float32Array;
  private readonly order: number[] = [];

  constructor(readonly capacity: number) {
    this.idx = new Int32Array(capacity);
    this.val = new Float32Array(capacity);
  }

  /**
   * Fills `idx`/`val` with the `k` largest of `logits[0..n)`, sorted descending (ties: lower id first),
   * and returns how many were written (min(k, n)). NaN logits are never selected.
   */
  select(logits: Float32Array, n: number, k: number): number {
    const size = Math.min(k, n, this.capacity);
    const { idx, val } = this;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const v = logits[i]!;
      if (v !== v) continue; // NaN
      if (count < size) {
        idx[count] = i;
        val[count] = v;
        count++;
        if (count === size) for (let j = (size >> 1) - 1; j >= 0; j--) this.siftDown(j, size);
      } else if (v > val[0]!) {
        idx[0] = i;
        val[0] = v;
        this.siftDown(0, size);
      }
    }
    this.sortDescending(count);
    return count;
  }

  /** Min-heap on value; among equal values the higher id is "smaller" so lower ids survive. */
  private less(a: number, b: number): boolean {
    const va = this.val[a]!;
    const vb = this.val[b]!;
    return va < vb || (va === vb && this.idx[a]! > this.idx[b]!);
  }

  private siftDown(start: number, size: number): void {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) return;
      const r = l + 1;
      const m = r < size && this.less(r, l) ? r : l;
      if (!this.less(m, i)) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    const ti = this.idx[a]!;
    this.idx[a] = this.idx[b]!;
    this.idx[b] = ti;
    const tv = this.val[a]!;
    this.val[a] = this.val[b]!;
    this.val[b] = tv;
  }

  private sortDescending(count: number): void {
    const order = this.order;
    order.length = count;
    for (let i = 0; i < count; i++) order[i] = i;
    const { idx, val } = this;
    order.sort((a, b) => val[b]! - val[a]! || idx[a]! - idx[b]!);
    const sortedIdx = order.map((o) => idx[o]!);
    const sortedVal = order.map((o) => val[o]!);
    for (let i = 0; i < count; i++) {
      idx[i] = sortedIdx[i]!;
      val[i] = sortedVal[i]!;
    }
  }
}

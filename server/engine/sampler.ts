/**
 * Next-token sampling in TypeScript, with Hugging Face semantics and order:
 * repetition penalty → temperature → top-k → top-p → draw (seeded). Temperature 0 is greedy argmax.
 * One Sampler per job: it owns the PRNG and the set of ids the repetition penalty applies to.
 */
import { createRng, randomSeed, type Rng } from "@/lib/seeded-rng";
import { TopKSelector } from "./top-k";

export interface SamplerOptions {
  /** 0 = greedy. */
  temperature: number;
  /** ≤ 0 or ≥ vocab = off. */
  topK: number;
  /** ≥ 1 = off. */
  topP: number;
  /** 1 = off. */
  repetitionPenalty: number;
  /** null/undefined = random. */
  seed?: number | null;
}

/** When top-k is off but top-p is on, the nucleus is first looked for among this many best tokens. */
const NUCLEUS_PROBE = 256;

/**
 * The distribution the last `sample` drew from, over the logits as the sampler left them (after the
 * repetition penalty), for token-logprobs.ts to read right after the draw without recomputing it:
 * - greedy: argmax (temperature 0): its distribution is the softmax of the logits;
 * - full: softmax((logit - max) / t) over the whole vocabulary, total weight z;
 * - kept: top-k and/or top-p: `idx[0..count)` best ids descending with their weights; the first `keep`
 *   were eligible and were drawn in proportion to their weights (their sum is `sum`), the others had 0.
 */
export type DrawnFrom =
  | { kind: "greedy" }
  | { kind: "full"; max: number; t: number; z: number }
  | { kind: "kept"; idx: Int32Array; weight: Float64Array; count: number; keep: number; sum: number };

export class Sampler {
  private readonly prng: Rng;
  private readonly seenFlag: Uint8Array;
  private readonly seenIds: number[] = [];
  private readonly selector: TopKSelector;
  private readonly topK: number;
  private readonly probs: Float64Array;
  private wide: { idx: Int32Array; prob: Float64Array } | null = null;
  private weights: Float64Array | null = null;
  /** The logits of the penalized ids before the penalty (seenIds order; seenPos maps an id to its slot + 1). */
  private readonly rawSeen: number[] = [];
  private readonly seenPos: Int32Array;
  /** See DrawnFrom; valid until the next `sample`. */
  drawn: DrawnFrom = { kind: "greedy" };

  constructor(
    private readonly options: SamplerOptions,
    private readonly vocabSize: number,
  ) {
    this.prng = createRng(options.seed ?? randomSeed());
    this.seenFlag = new Uint8Array(vocabSize);
    this.seenPos = new Int32Array(options.repetitionPenalty === 1 ? 0 : vocabSize);
    this.topK = options.topK > 0 && options.topK < vocabSize ? Math.floor(options.topK) : 0;
    this.selector = new TopKSelector(Math.max(this.topK, Math.min(NUCLEUS_PROBE, vocabSize)));
    this.probs = new Float64Array(this.selector.capacity);
  }

  /** Records ids (prompt and generated) for the repetition penalty. */
  observe(ids: ArrayLike<number>): void {
    if (this.options.repetitionPenalty === 1) return;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id >= 0 && id < this.vocabSize && this.seenFlag[id] === 0) {
        this.seenFlag[id] = 1;
        this.seenIds.push(id);
        this.seenPos[id] = this.seenIds.length;
      }
    }
  }

  /** Picks the next id from one row of logits. The row is modified in place (penalty). */
  sample(logits: Float32Array): number {
    const n = this.vocabSize;
    this.applyRepetitionPenalty(logits);
    const t = this.options.temperature;
    this.drawn = GREEDY;
    if (!(t > 0)) return argmax(logits, n);
    const topP = this.options.topP;
    if (this.topK > 0) {
      const count = this.selector.select(logits, n, this.topK);
      return count === 0 ? argmax(logits, n) : this.sampleSelected(count, t, topP);
    }
    if (topP >= 1) return this.sampleFull(logits, n, t);
    return this.sampleNucleus(logits, n, t, topP);
  }

  private applyRepetitionPenalty(logits: Float32Array): void {
    const penalty = this.options.repetitionPenalty;
    if (penalty === 1) return;
    const raw = this.rawSeen;
    raw.length = this.seenIds.length;
    for (let i = 0; i < this.seenIds.length; i++) {
      const id = this.seenIds[i]!;
      const v = logits[id]!;
      raw[i] = v;
      logits[id] = v < 0 ? v * penalty : v / penalty;
    }
  }

  /** The model's own logit of `id` in a row this sampler just sampled (undoing the repetition penalty). */
  rawLogit(logits: Float32Array, id: number): number {
    const pos = this.seenPos.length > 0 ? this.seenPos[id]! : 0;
    return pos > 0 && pos <= this.rawSeen.length ? this.rawSeen[pos - 1]! : logits[id]!;
  }

  /** Ids whose logits the penalty changed in the row just sampled, and their logits before it. */
  get penalized(): { ids: readonly number[]; raw: readonly number[] } {
    return { ids: this.options.repetitionPenalty === 1 ? [] : this.seenIds, raw: this.rawSeen };
  }

  /**
   * Samples among the `count` best (already in the selector) after top-p. `z` is the full distribution's
   * total weight; without it top-p applies to the distribution renormalized over the selected (HF's top-k → top-p).
   */
  private sampleSelected(count: number, t: number, topP: number, z?: number): number {
    const { idx, val } = this.selector;
    const probs = this.probs;
    const max = val[0]!;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const p = Math.exp((val[i]! - max) / t);
      probs[i] = p;
      sum += p;
    }
    const keep = nucleusSize(probs, count, (z ?? sum) * topP);
    const kept = sumOf(probs, keep);
    this.drawn = { kind: "kept", idx, weight: probs, count, keep, sum: kept };
    return idx[this.draw(probs, keep, kept)]!;
  }

  /** Top-p without top-k: the nucleus is usually within the best few hundred; otherwise widen exactly. */
  private sampleNucleus(logits: Float32Array, n: number, t: number, topP: number): number {
    const { weights, z } = this.expWeights(logits, n, t);
    const count = this.selector.select(logits, n, this.selector.capacity);
    if (count === 0) return argmax(logits, n);
    const { idx } = this.selector;
    let probeMass = 0;
    for (let i = 0; i < count; i++) probeMass += weights[idx[i]!]!;
    if (probeMass >= topP * z) return this.sampleSelected(count, t, topP, z);
    // Tokens below (1 - topP) / n each cannot be needed: together they hold less than 1 - topP.
    const floor = ((1 - topP) / n) * z;
    const candidates: number[] = [];
    for (let i = 0; i < n; i++) if (weights[i]! >= floor) candidates.push(i);
    candidates.sort((a, b) => logits[b]! - logits[a]! || a - b);
    const wide = this.wideBuffers(candidates.length);
    for (let i = 0; i < candidates.length; i++) {
      wide.idx[i] = candidates[i]!;
      wide.prob[i] = weights[candidates[i]!]!;
    }
    const keep = nucleusSize(wide.prob, candidates.length, topP * z);
    const kept = sumOf(wide.prob, keep);
    this.drawn = { kind: "kept", idx: wide.idx, weight: wide.prob, count: candidates.length, keep, sum: kept };
    return wide.idx[this.draw(wide.prob, keep, kept)]!;
  }

  private sampleFull(logits: Float32Array, n: number, t: number): number {
    const { weights, z, max } = this.expWeights(logits, n, t);
    this.drawn = { kind: "full", max, t, z };
    let u = this.prng.next() * z;
    let last = 0;
    for (let i = 0; i < n; i++) {
      const p = weights[i]!;
      if (p > 0) last = i;
      u -= p;
      if (u < 0) return i;
    }
    return last; // rounding left u ≥ 0: the last token with mass
  }

  /** exp((logit - max) / t) for the whole vocabulary into a buffer reused every token, and their sum. */
  private expWeights(logits: Float32Array, n: number, t: number): { weights: Float64Array; z: number; max: number } {
    this.weights ??= new Float64Array(n);
    const weights = this.weights;
    const max = maxOf(logits, n);
    let z = 0;
    for (let i = 0; i < n; i++) {
      const w = Math.exp((logits[i]! - max) / t);
      weights[i] = w;
      z += w;
    }
    return { weights, z, max };
  }

  /** Index of a draw among probs[0..count) (total `sum`) in proportion to their weights. */
  private draw(probs: ArrayLike<number>, count: number, sum: number): number {
    let u = this.prng.next() * sum;
    for (let i = 0; i < count; i++) {
      u -= probs[i]!;
      if (u < 0) return i;
    }
    return count - 1;
  }

  private wideBuffers(size: number): { idx: Int32Array; prob: Float64Array } {
    if (!this.wide || this.wide.idx.length < size) this.wide = { idx: new Int32Array(size), prob: new Float64Array(size) };
    return this.wide;
  }
}

const GREEDY: DrawnFrom = { kind: "greedy" };

function sumOf(values: ArrayLike<number>, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i]!;
  return sum;
}

/** How many of the descending `probs` top-p keeps: until the mass before a token reaches `target` (at least 1). */
function nucleusSize(probs: ArrayLike<number>, count: number, target: number): number {
  let cum = 0;
  for (let i = 0; i < count; i++) {
    if (i > 0 && cum >= target) return i;
    cum += probs[i]!;
  }
  return count;
}

export function argmax(logits: Float32Array, n: number): number {
  let best = 0;
  let bestVal = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = logits[i]!;
    if (v > bestVal) {
      bestVal = v;
      best = i;
    }
  }
  return best;
}

export function maxOf(logits: Float32Array, n: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i]! > m) m = logits[i]!;
  return m;
}

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

export class Sampler {
  private readonly prng: Rng;
  private readonly seenFlag: Uint8Array;
  private readonly seenIds: number[] = [];
  private readonly selector: TopKSelector;
  private readonly topK: number;
  private readonly probs: Float64Array;
  private wide: { idx: Int32Array; prob: Float64Array } | null = null;
  private weights: Float64Array | null = null;

  constructor(
    private readonly options: SamplerOptions,
    private readonly vocabSize: number,
  ) {
    this.prng = createRng(options.seed ?? randomSeed());
    this.seenFlag = new Uint8Array(vocabSize);
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
      }
    }
  }

  /** Picks the next id from one row of logits. The row is modified in place (penalty). */
  sample(logits: Float32Array): number {
    const n = this.vocabSize;
    this.applyRepetitionPenalty(logits);
    const t = this.options.temperature;
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
    for (const id of this.seenIds) {
      const v = logits[id]!;
      logits[id] = v < 0 ? v * penalty : v / penalty;
    }
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
    return idx[this.draw(probs, keep)]!;
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
    return wide.idx[this.draw(wide.prob, keep)]!;
  }

  private sampleFull(logits: Float32Array, n: number, t: number): number {
    const { weights, z } = this.expWeights(logits, n, t);
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
  private expWeights(logits: Float32Array, n: number, t: number): { weights: Float64Array; z: number } {
    this.weights ??= new Float64Array(n);
    const weights = this.weights;
    const max = maxOf(logits, n);
    let z = 0;
    for (let i = 0; i < n; i++) {
      const w = Math.exp((logits[i]! - max) / t);
      weights[i] = w;
      z += w;
    }
    return { weights, z };
  }

  private draw(probs: ArrayLike<number>, count: number): number {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += probs[i]!;
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

function maxOf(logits: Float32Array, n: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i]! > m) m = logits[i]!;
  return m;
}

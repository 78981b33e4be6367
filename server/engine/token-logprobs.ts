/**
 * Per-token log-probabilities for the token view and OpenAI's `logprobs`: for each sampled token, its
 * log-probability under the distribution the sampler drew from (after repetition penalty, temperature,
 * top-k, top-p; the softmax of the logits for greedy), the model's own (raw) log-probability, and the
 * best alternatives. Read from the sampler's state right after the draw (sampler.ts `drawn`): one extra
 * pass over the vocabulary for the normalizer (none when the sampler computed it at temperature 1) and a
 * partial selection of the best few when the sampler's own selection does not hold them — never a sort
 * of the 128k logits.
 */
import { maxOf, type Sampler } from "./sampler";
import { TopKSelector } from "./top-k";

/** Most alternatives recorded per token (OpenAI's `top_logprobs` limit). */
export const MAX_TOP_LOGPROBS = 20;

export interface TokenAlternative {
  id: number;
  /** The token alone, decoded (may hold U+FFFD when it is part of a multi-byte character). */
  text: string;
  /** Its exact bytes (UTF-8, or part of a character). */
  bytes: number[];
  /** Under the sampled distribution; -Infinity when top-k/top-p left it out. */
  logprob: number;
  /** Under the model's softmax (no penalty, temperature or truncation). */
  rawLogprob: number;
}

export interface TokenRecord extends TokenAlternative {
  /** The text this token added to the answer, whole characters only ("" while a character is incomplete). */
  piece: string;
  /** Best alternatives by sampled probability (the chosen token among them when it is one of the best). */
  top: TokenAlternative[];
}

export class LogprobRecorder {
  private readonly selector: TopKSelector;

  constructor(
    private readonly vocabSize: number,
    /** Alternatives per token, 0…MAX_TOP_LOGPROBS. */
    readonly topN: number,
    private readonly tokenInfo: (id: number) => TokenInfo,
  ) {
    this.selector = new TopKSelector(Math.max(1, Math.min(topN, MAX_TOP_LOGPROBS)));
  }

  /** The record of `id`, just drawn by `sampler` from `logits` (the row as the sampler left it); `piece` is set by the caller. */
  record(sampler: Sampler, logits: Float32Array, id: number): TokenRecord {
    const n = this.vocabSize;
    const drawn = sampler.drawn;
    // The best alternatives first: the sampler's selection is sorted by the same logits, so reuse it when
    // it holds enough; its first entry is also the row's maximum, which spares a pass.
    const k = Math.min(this.topN, n);
    const reuse = drawn.kind === "kept" && drawn.count >= k;
    const best = reuse ? drawn.idx : this.selector.idx;
    if (!reuse && k > 0) this.selector.select(logits, n, k);
    let max: number;
    let z: number;
    if (drawn.kind === "full" && drawn.t === 1) {
      max = drawn.max;
      z = drawn.z;
    } else {
      if (drawn.kind === "full") max = drawn.max;
      else if (drawn.kind === "kept" && drawn.count > 0) max = logits[drawn.idx[0]!]!;
      else max = k > 0 ? logits[best[0]!]! : maxOf(logits, n);
      z = sumExpBelow(logits, n, max);
    }
    const logZ = max + Math.log(z);
    const rawLogZ = rawNormalizer(sampler, logits, max, z);

    const sampled = (token: number): number => {
      switch (drawn.kind) {
        case "greedy":
          return logits[token]! - logZ;
        case "full":
          return (logits[token]! - drawn.max) / drawn.t - Math.log(drawn.z);
        case "kept":
          for (let i = 0; i < drawn.keep; i++) if (drawn.idx[i] === token) return Math.log(drawn.weight[i]! / drawn.sum);
          return -Infinity;
      }
    };
    const entry = (token: number): TokenAlternative => ({
      id: token,
      ...this.tokenInfo(token),
      logprob: sampled(token),
      rawLogprob: sampler.rawLogit(logits, token) - rawLogZ,
    });

    const top: TokenAlternative[] = [];
    for (let i = 0; i < k; i++) top.push(entry(best[i]!));
    return { ...(top.find((t) => t.id === id) ?? entry(id)), piece: "", top };
  }
}

/** exp(-k / STEPS_PER_UNIT) for k = 0 … TABLE_SPAN · STEPS_PER_UNIT: what sumExpBelow interpolates from. */
const STEPS_PER_UNIT = 64;
const TABLE_SPAN = 64;
const EXP_TABLE = Float64Array.from({ length: TABLE_SPAN * STEPS_PER_UNIT + 1 }, (_, k) => Math.exp(-k / STEPS_PER_UNIT));

/**
 * Σ exp(logit - max) over the row. Math.exp over 128k logits was most of a record's cost (≈ 1 ms of
 * ≈ 1.2 ms); a table of exp at steps of 1/64 times a cubic Taylor term for the remainder (r < 1/64, so
 * the error is below r⁴/24 ≈ 1e-9 relative) is ≈ 4× faster. Terms below e^-64 are dropped: even 128k of
 * them are < 1e-22 of the sum. NaN and -∞ logits count as nothing, as in the sampler.
 */
export function sumExpBelow(logits: Float32Array, n: number, max: number): number {
  const limit = TABLE_SPAN * STEPS_PER_UNIT;
  const inv = 1 / STEPS_PER_UNIT;
  let z = 0;
  for (let i = 0; i < n; i++) {
    const d = (max - logits[i]!) * STEPS_PER_UNIT;
    if (d < limit) {
      const k = d | 0;
      const r = (d - k) * inv;
      z += EXP_TABLE[k]! * (1 - r * (1 - r * (0.5 - r * (1 / 6))));
    }
  }
  return z;
}

/**
 * log Σ exp(raw logits): the penalized sum `z` (relative to `max`) with the penalized ids' terms swapped
 * for their raw ones — a few hundred terms instead of a second pass over the vocabulary.
 */
function rawNormalizer(sampler: Sampler, logits: Float32Array, max: number, z: number): number {
  const { ids, raw } = sampler.penalized;
  // `raw` covers the ids penalized in this row (an id observed since is not among them yet).
  const count = Math.min(ids.length, raw.length);
  if (count === 0) return max + Math.log(z);
  let m = max;
  for (let i = 0; i < count; i++) if (raw[i]! > m) m = raw[i]!;
  // Rescale z to the new reference m, then replace the penalized terms.
  let rest = z * Math.exp(max - m);
  let swapped = 0;
  for (let i = 0; i < count; i++) {
    rest -= Math.exp(logits[ids[i]!]! - m);
    swapped += Math.exp(raw[i]! - m);
  }
  return m + Math.log(Math.max(0, rest) + swapped);
}

export interface TokenInfo {
  text: string;
  bytes: number[];
}

const utf8 = new TextEncoder();

/**
 * One token's text and bytes, worked out once per id (alternatives repeat a lot; the vocabulary bounds the
 * map). A token of whole characters is exactly their UTF-8; only a partial one needs `tokenBytes`.
 */
export function cachedTokenInfo(decode: (ids: number[]) => string, tokenBytes?: (id: number) => number[] | undefined): (id: number) => TokenInfo {
  const infos = new Map<number, TokenInfo>();
  return (id) => {
    let info = infos.get(id);
    if (info === undefined) {
      const text = decode([id]);
      const bytes = (text.includes("\uFFFD") ? tokenBytes?.(id) : undefined) ?? Array.from(utf8.encode(text));
      infos.set(id, (info = { text, bytes }));
    }
    return info;
  };
}

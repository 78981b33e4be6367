/**
 * Prompt-lookup drafting (Saxena 2023, "prompt lookup decoding"; HF `prompt_lookup_num_tokens`): when the
 * last few tokens of the text so far occurred earlier in the prompt or the answer, the tokens that
 * followed them there are a free guess at what comes next. The guesses are only proposals: the model
 * verifies them all in one forward pass (generate.ts), so a wrong guess costs time, never correctness.
 */

/** Longest and shortest n-gram (suffix of the text) looked up; longer matches are tried first. */
const MAX_NGRAM = 3;
const MIN_NGRAM = 1;
/** Earlier positions scanned for a match, newest first (bounds the per-step cost on long contexts). */
const SCAN_WINDOW = 4096;

/**
 * The `k` tokens that followed the most recent earlier occurrence of the longest matching suffix of `ids`
 * (MAX_NGRAM down to MIN_NGRAM tokens), continuing periodically past the end of the text, or [] when none
 * matches.
 */
export function lookupDraft(ids: readonly number[], k: number): number[] {
  const n = ids.length;
  if (k <= 0) return [];
  const from = Math.max(0, n - SCAN_WINDOW);
  for (let size = Math.min(MAX_NGRAM, n - 1); size >= MIN_NGRAM; size--) {
    // Candidate starts `s` of an earlier copy of the suffix ids[n-size..n); it must end before n.
    for (let s = n - size - 1; s >= from; s--) {
      let match = true;
      for (let i = 0; i < size; i++) {
        if (ids[s + i] !== ids[n - size + i]) {
          match = false;
          break;
        }
      }
      if (match) return copyFrom(ids, s + size, k);
    }
  }
  return [];
}

/**
 * The k tokens from `start` on, copying past the end of `ids` from the draft itself (an LZ77-style
 * overlapping copy). The newest match of a repeating pattern ("x x x", "a b a b") sits right before the
 * end, so copying only up to the end would propose one or two tokens where the pattern predicts k.
 */
function copyFrom(ids: readonly number[], start: number, k: number): number[] {
  const n = ids.length;
  const draft: number[] = [];
  for (let j = start; draft.length < k; j++) draft.push(j < n ? ids[j]! : draft[j - n]!);
  return draft;
}

/**
 * Relative cost of a forward pass with M = 1…8 rows against one sequence's cache (M = 1 ≡ 1): the CPU-time
 * table of docs/perf-journal/2026-11-30-04-tokens-per-forward-pass.md (2B shape, 2 threads, contexts 16–2048;
 * M = 5 and 7 interpolated).
 */
export const ROW_COST = [1, 1.2, 1.27, 1.5, 1.8, 2.08, 2.28, 2.48];

/**
 * Chooses how many draft tokens to verify per pass from the recent acceptance rate: the k that maximises
 * expected tokens per unit of forward-pass cost. With per-token acceptance a, k drafts yield
 * (1 - a^(k+1)) / (1 - a) tokens for ROW_COST[k]. When no k > 0 pays off, drafting stops (k = 0) except
 * for a 1-token probe every PROBE_EVERY steps, so acceptance that picks up again is noticed; the probe
 * costs ≈ (ROW_COST[1] - 1) / PROBE_EVERY of a pass.
 */
export class DraftLength {
  /** Exponential moving average of the acceptance per drafted token. */
  private rate = 0.5;
  private idle = 0;
  drafted = 0;
  accepted = 0;

  constructor(
    private readonly maxK = ROW_COST.length - 1,
    private readonly cost: readonly number[] = ROW_COST,
  ) {}

  /** Draft length for the next pass (before capping by what the lookup finds and what room is left). */
  next(): number {
    let best = 0;
    let bestValue = 1 / this.cost[0]!;
    const a = Math.min(this.rate, 0.999);
    for (let k = 1; k <= Math.min(this.maxK, this.cost.length - 1); k++) {
      const value = (1 - a ** (k + 1)) / (1 - a) / this.cost[k]!;
      if (value > bestValue) {
        best = k;
        bestValue = value;
      }
    }
    if (best > 0) return best;
    return ++this.idle % PROBE_EVERY === 0 ? 1 : 0;
  }

  /** Records the outcome of a pass that verified `drafted` tokens and accepted the first `accepted`. */
  record(drafted: number, accepted: number): void {
    if (drafted === 0) return;
    this.drafted += drafted;
    this.accepted += accepted;
    // A rejection ends the run, so accepted/drafted understates a when the later drafts were never
    // judged; count only the judged ones (the accepted ones plus the one that failed).
    const judged = accepted < drafted ? accepted + 1 : drafted;
    const observed = accepted / judged;
    this.rate = RATE_DECAY * this.rate + (1 - RATE_DECAY) * observed;
  }
}

const PROBE_EVERY = 16;
const RATE_DECAY = 0.7;

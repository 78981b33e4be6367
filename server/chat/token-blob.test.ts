import { describe, expect, it } from "vitest";
import { createRng } from "@/lib/seeded-rng";
import { decodeTokenBlob, encodeTokenBlob, TokenBlobError, type StoredToken } from "./token-blob";

function rng(seed: number): () => number {
  const r = createRng(seed);
  return () => r.next();
}

const VOCAB = 128_256;

/**
 * An answer of `count` tokens with 5 alternatives each. Token ids follow Zipf's law over the vocabulary
 * (rank r drawn with probability ∝ 1/r, as word and token frequencies of text do), or are uniform (every
 * alternative a different token: the worst case, which text does not produce).
 */
function answer(count: number, ids: "zipf" | "uniform", seed = 1): StoredToken[] {
  const next = rng(seed);
  const harmonic = Math.log(VOCAB) + 0.5772;
  const id = () => (ids === "uniform" ? Math.floor(next() * VOCAB) : Math.min(VOCAB - 1, Math.floor(Math.exp(next() * harmonic)) - 1));
  const text = (i: number) => ` w${i.toString(36)}`.slice(0, 2 + (i % 6));
  const lp = () => -next() * 12;
  return Array.from({ length: count }, () => {
    const chosen = id();
    const top = [chosen, id(), id(), id(), id()].map((a) => ({ id: a, text: text(a), logprob: lp(), rawLogprob: lp() }));
    return { ...top[0]!, text: text(chosen), top };
  });
}

describe("token blob", () => {
  it("a draft blob (the partial saves' fast deflate) decodes to exactly what the default one does", () => {
    const tokens = answer(600, "zipf", 3);
    const draft = encodeTokenBlob(tokens, { draft: true });
    const final = encodeTokenBlob(tokens);
    expect(draft.equals(final)).toBe(false);
    expect(decodeTokenBlob(draft)).toEqual(decodeTokenBlob(final));
    expect(decodeTokenBlob(final).map((t) => t.text).join("")).toBe(tokens.map((t) => t.text).join(""));
  });

  it("keeps a piece longer than 0xffff UTF-8 bytes as its first 0xffff bytes, without shifting what follows", () => {
    const long = "é".repeat(40_000); // 80,000 bytes
    const tokens: StoredToken[] = [
      { id: 1, text: long, logprob: -1, rawLogprob: -1, top: [] },
      { id: 2, text: "after", logprob: -2, rawLogprob: -2, top: [] },
    ];
    const back = decodeTokenBlob(encodeTokenBlob(tokens));
    expect(Buffer.byteLength(back[0]!.text, "utf8")).toBeLessThanOrEqual(0xffff + 3);
    expect(back[0]!.text.startsWith("é".repeat(32_000))).toBe(true);
    expect(back[1]!.text).toBe("after");
  });

  it("round-trips ids and texts exactly and log-probabilities to half precision", () => {
    const tokens: StoredToken[] = [
      { id: 9906, text: "Hello", logprob: -0.123, rawLogprob: -0.456, top: [{ id: 9906, text: "Hello", logprob: -0.123, rawLogprob: -0.456 }, { id: 13347, text: "Hi", logprob: -Infinity, rawLogprob: -3.5 }] },
      { id: 11, text: "", logprob: -19.75, rawLogprob: -20.1, top: [] }, // first half of a character
      { id: 12, text: "日本 😀", logprob: 0, rawLogprob: -1e-6, top: [{ id: 12, text: "\uFFFD", logprob: 0, rawLogprob: -1e-6 }] },
    ];
    const back = decodeTokenBlob(encodeTokenBlob(tokens));
    expect(back.map((t) => [t.id, t.text, t.top.map((a) => [a.id, a.text])])).toEqual(tokens.map((t) => [t.id, t.text, t.top.map((a) => [a.id, a.text])]));
    back.forEach((t, i) => {
      const want = tokens[i]!;
      expect(Math.abs(t.logprob - want.logprob)).toBeLessThanOrEqual(Math.abs(want.logprob) / 1000 + 1e-6);
      expect(Math.abs(t.rawLogprob - want.rawLogprob)).toBeLessThanOrEqual(Math.abs(want.rawLogprob) / 1000 + 1e-6);
    });
    expect(back[0]!.top[1]!.logprob).toBe(-Infinity);
    expect(decodeTokenBlob(encodeTokenBlob([]))).toEqual([]);
  });

  it("keeps a 2,048-token answer with top-5 alternatives well under 200 KB", () => {
    const tokens = answer(2048, "zipf");
    const size = encodeTokenBlob(tokens).length;
    const worst = encodeTokenBlob(answer(2048, "uniform")).length;
    console.log(`token blob, 2048 tokens × top-5: ${(size / 1024).toFixed(1)} KB (Zipf ids); ${(worst / 1024).toFixed(1)} KB (uniform ids, worst case)`);
    expect(size).toBeLessThan(100 * 1024);
    expect(worst).toBeLessThan(150 * 1024);
    expect(decodeTokenBlob(encodeTokenBlob(tokens))).toHaveLength(2048);
  });

  it("refuses bytes it did not write", () => {
    const good = encodeTokenBlob(answer(10, "zipf"));
    expect(() => decodeTokenBlob(Buffer.from("not a blob"))).toThrow(TokenBlobError);
    expect(() => decodeTokenBlob(good.subarray(0, good.length - 5))).toThrow(TokenBlobError);
    expect(() => decodeTokenBlob(Buffer.from([]))).toThrow(TokenBlobError);
  });
});

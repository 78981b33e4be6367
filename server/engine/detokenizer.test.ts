import { describe, expect, it } from "vitest";
import { Detokenizer } from "./detokenizer";

/**
 * A byte-level "tokenizer" like Llama 3's: every id is a byte string, decoding concatenates the bytes
 * and turns invalid UTF-8 into U+FFFD. Ids ≥ 1000 are special tokens (skipped).
 */
function byteTokenizer(text: string, cuts: number[]): { ids: number[]; decode: (ids: number[]) => string } {
  const bytes = new TextEncoder().encode(text);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(bytes.slice(start, cut));
    start = cut;
  }
  const decoder = new TextDecoder();
  const decode = (ids: number[]) => {
    const parts = ids.filter((id) => id < 1000).map((id) => pieces[id]!);
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      all.set(p, o);
      o += p.length;
    }
    return decoder.decode(all);
  };
  return { ids: pieces.map((_, i) => i), decode };
}

function stream(decode: (ids: number[]) => string, ids: number[]): { pieces: string[]; tail: string } {
  const d = new Detokenizer(decode);
  const pieces = ids.map((id) => d.push(id));
  return { pieces, tail: d.flush() };
}

describe("Detokenizer", () => {
  it("streams plain text token by token", () => {
    const { ids, decode } = byteTokenizer("Hello world, again", [5, 11, 12]);
    const r = stream(decode, ids);
    expect(r.pieces).toEqual(["Hello", " world", ",", " again"]);
    expect(r.tail).toBe("");
  });

  it("holds back an emoji split over several tokens and emits it whole", () => {
    const text = "Hi 😀!";
    const { ids, decode } = byteTokenizer(text, [3, 4, 5, 6, 7]); // 😀 is 4 bytes: 3..7
    const r = stream(decode, ids);
    expect(r.pieces).toEqual(["Hi ", "", "", "", "😀", "!"]);
    for (const p of r.pieces) expect(p).not.toContain("\uFFFD");
    expect(r.pieces.join("") + r.tail).toBe(text);
  });

  it("streams CJK split inside characters exactly", () => {
    const text = "日本語のテキスト";
    const bytes = new TextEncoder().encode(text).length;
    const cuts = [];
    for (let i = 2; i < bytes; i += 2) cuts.push(i); // every token holds 2 bytes of 3-byte characters
    const { ids, decode } = byteTokenizer(text, cuts);
    const r = stream(decode, ids);
    for (const p of r.pieces) expect(p).not.toContain("\uFFFD");
    expect(r.pieces.join("")).toBe(text);
    expect(r.pieces.filter((p) => p.length > 0).length).toBeGreaterThan(3); // really incremental
  });

  it("concatenation equals decode(all) with special tokens interleaved", () => {
    const text = "a🎉b中c";
    const { ids, decode } = byteTokenizer(text, [1, 3, 5, 6, 8]);
    const withSpecial = [ids[0]!, 1001, ...ids.slice(1, 3), 1002, ...ids.slice(3)];
    const r = stream(decode, withSpecial);
    expect(r.pieces.join("") + r.tail).toBe(decode(withSpecial));
    expect(r.pieces.join("")).toBe(text);
  });

  it("flushes an incomplete character at the end as decode(all) does", () => {
    const { ids, decode } = byteTokenizer("ok🙂", [2, 4]); // stream stops after 2 of 4 emoji bytes
    const cut = ids.slice(0, 2);
    const r = stream(decode, cut);
    expect(r.pieces).toEqual(["ok", ""]);
    expect(r.pieces.join("") + r.tail).toBe(decode(cut));
  });

  it("keeps decoding exact for decoders that treat the first token specially", () => {
    // SentencePiece-like: a leading space is stripped only at the very start of the text.
    const vocab = ["▁Hello", "▁world", "!"];
    const decode = (ids: number[]) => ids.map((id) => vocab[id]!).join("").replaceAll("▁", " ").replace(/^ /, "");
    const r = stream(decode, [0, 1, 2]);
    expect(r.pieces).toEqual(["Hello", " world", "!"]);
  });
});

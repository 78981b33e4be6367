import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { loadTokenizer } from "@/server/runtime/load-tokenizer";
import { createChatTokenizer, turnEncoderFor } from "./chat-prompt";
import { encodeSliced, safeSlices, SLICE_CHARS } from "./sliced-encode";
import type { ChatTurn } from "./types";
import { createRng } from "@/lib/seeded-rng";

let tokenizer: PreTrainedTokenizer;
beforeAll(async () => {
  tokenizer = await loadTokenizer(inject("tinySource"));
});

const WORDS = ["hello", "world", "naïve", "日本語", "model's", "I'll", "123456", "x=1;", "\n", "\n\n", "  ", "\t", "--", "Émile", "ok.", "", "😀", "<|eot_id|>"];
function randomText(seed: number, length: number): string {
  const rng = createRng(seed);
  let s = "";
  while (s.length < length) {
    const r = rng.nextU32();
    s += WORDS[r % WORDS.length]! + [" ", "", "\n", "  "][(r >>> 8) % 4]!;
  }
  return s;
}

describe("sliced tokenization", () => {
  it("cuts only at safe points, never losing or reordering characters", () => {
    const text = randomText(3, 20_000);
    const slices = safeSlices(text, 500);
    expect(slices.length).toBeGreaterThan(10);
    expect(slices.join("")).toBe(text);
    expect(safeSlices("a".repeat(5_000), 500)).toEqual(["a".repeat(5_000)]);
  });

  it("gives exactly the ids of tokenizing the whole text", async () => {
    const encode = (t: string) => Array.from(tokenizer.encode(t, { add_special_tokens: false }), Number);
    for (let seed = 1; seed <= 20; seed++) {
      const text = randomText(seed, 3_000 + seed * 97);
      expect(await encodeSliced(encode, text, 64 + seed * 13), `seed ${seed}`).toEqual(encode(text));
    }
  });

  it("lets the event loop run between slices of at most about SLICE_CHARS characters", async () => {
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const seen: { turn: number; chars: number }[] = [];
    const encode = (t: string) => (seen.push({ turn: turns, chars: t.length }), Array.from(tokenizer.encode(t, { add_special_tokens: false }), Number));
    const text = randomText(11, 30_000);
    try {
      expect(await encodeSliced(encode, text)).toEqual(encode(text));
    } finally {
      spinning = false;
    }
    const slices = seen.slice(0, -1); // the last call is the whole-text comparison
    expect(slices.length).toBeGreaterThanOrEqual(30_000 / (SLICE_CHARS + 100));
    for (let i = 1; i < slices.length; i++) expect(slices[i]!.turn, `slice ${i}`).toBeGreaterThan(slices[i - 1]!.turn);
    expect(Math.max(...slices.map((s) => s.chars))).toBeLessThan(SLICE_CHARS + 100);
  });

  it("several long single words tokenized at once get the event loop back between each other", async () => {
    // Five requests, each with one 20,000-letter "word" (no safe point: one slice each, ~0.2 s each here).
    const words = Array.from({ length: 5 }, (_, k) => {
      const rng = createRng(100 + k);
      return Array.from({ length: 20_000 }, () => String.fromCharCode(97 + (rng.nextU32() % 26))).join("");
    });
    const encode = (t: string) => Array.from(tokenizer.encode(t, { add_special_tokens: false }), Number);
    const sliceMs: number[] = [];
    const timed = (t: string) => {
      const started = performance.now();
      const ids = encode(t);
      sliceMs.push(performance.now() - started);
      return ids;
    };
    let longestGap = 0;
    let last = performance.now();
    let spinning = true;
    const spin = () => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    try {
      // Started in the same turn, as requests arriving together are.
      const all = await Promise.all(words.map((w) => encodeSliced(timed, w)));
      spin(); // the time since the loop's last turn counts too
      all.forEach((ids, k) => expect(ids).toEqual(encode(words[k]!)));
    } finally {
      spinning = false;
    }
    const slowest = Math.max(...sliceMs);
    const total = sliceMs.reduce((a, b) => a + b, 0);
    // The loop waited at most about one word, never the five in a row.
    expect(longestGap, `longest gap ${longestGap.toFixed(0)} ms; slices ${sliceMs.map((m) => m.toFixed(0)).join(", ")} ms`).toBeLessThan(Math.min(1.5 * slowest + 20, total * 0.6));
  });

  it("the chat tokenizer's per-message encoder tokenizes a long message (and a partial answer) in slices", async () => {
    const calls: number[] = [];
    const spy = Object.create(tokenizer) as PreTrainedTokenizer;
    spy.encode = ((text: string, options?: object) => (calls.push(text.length), tokenizer.encode(text, options))) as PreTrainedTokenizer["encode"];
    const turns = createChatTokenizer(spy, { bosTokenId: 128000 }).turns!;
    const long = randomText(12, 20_000);
    calls.length = 0;
    await turns.encodeTurn({ role: "user", content: long });
    expect(calls.length).toBeGreaterThan(10);
    expect(Math.max(...calls)).toBeLessThan(SLICE_CHARS + 100);
    calls.length = 0;
    await turns.encodeContinuation(long);
    expect(Math.max(...calls)).toBeLessThan(SLICE_CHARS + 100);
  });

  it("per-message encoding of the BitNet template equals encoding the whole prompt", async () => {
    const chat = createChatTokenizer(tokenizer, { bosTokenId: 128000 });
    expect(chat.turns).toBeDefined();
    const messages: ChatTurn[] = [
      { role: "system", content: " Be terse. " },
      { role: "user", content: randomText(5, 4_000) },
      { role: "assistant", content: randomText(6, 900) },
      { role: "user", content: "and now?" },
    ];
    const turns = chat.turns!;
    const ids = [...turns.prefix];
    for (const m of messages) ids.push(...(await turns.encodeTurn(m)));
    ids.push(...turns.suffix);
    expect(ids).toEqual(chat.encodeChat(messages));

    // Continue: the generation prompt, then the partial answer tokenized on its own, as encodeChat does.
    const partial: ChatTurn = { role: "assistant", content: " The answer so far " + randomText(9, 2_500) };
    const continued = [...ids.slice(0, -turns.suffix.length), ...(await turns.encodeContinuation(partial.content))];
    expect(continued).toEqual(chat.encodeChat([...messages, partial], { continueFinalMessage: true }));
  });

  it("is not offered for a template whose messages depend on each other", () => {
    const numbered = Object.create(tokenizer) as PreTrainedTokenizer;
    numbered.apply_chat_template = ((messages: { content: string }[]) =>
      messages.map((m, i) => `${i}:${m.content}<|eot_id|>`).join("")) as PreTrainedTokenizer["apply_chat_template"];
    expect(turnEncoderFor(numbered, 128000)).toBeUndefined();
  });
});

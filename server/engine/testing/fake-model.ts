/**
 * Test doubles for engine tests that do not need real weights: a byte-level tokenizer with a chat
 * template and a deterministic runner whose logits depend only on (previous token, position).
 * Real-model tests use the tiny checkpoint; these make stop reasons, the queue and abort easy to steer.
 */
import type { ModelInfo, ModelRunner } from "@/server/runtime/runner-types";
import type { ChatTokenizer, EncodeChatOptions } from "../chat-prompt";
import type { ChatTurn } from "../types";

export const BOS = 256;
export const EOT = 257;
export const END_OF_TEXT = 258;
export const FAKE_VOCAB = 260;

/** Ids 0–255 are UTF-8 bytes; "Role: content<eot>" per message, then "Assistant: ". */
export function fakeTokenizer(): ChatTokenizer {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const bytes = (s: string) => Array.from(encoder.encode(s));
  const title = (role: string) => role[0]!.toUpperCase() + role.slice(1);
  const turn = (m: ChatTurn) => [...bytes(`${title(m.role)}: ${m.content.trim()}`), EOT];
  return {
    turns: {
      prefix: [BOS],
      suffix: bytes("Assistant: "),
      encodeTurn: async (m) => turn(m),
      encodeContinuation: async (partial) => bytes(`Assistant: ${partial.trimStart()}`),
    },
    encodeChat(messages: readonly ChatTurn[], options: EncodeChatOptions = {}) {
      const ids = [BOS];
      const partial = options.continueFinalMessage && messages.at(-1)?.role === "assistant" ? messages.at(-1)! : null;
      for (const m of partial ? messages.slice(0, -1) : messages) ids.push(...turn(m));
      ids.push(...bytes(`Assistant: ${partial ? partial.content.trimStart() : ""}`));
      return ids;
    },
    decode(ids: number[]) {
      return decoder.decode(new Uint8Array(ids.filter((id) => id < 256)));
    },
    tokenBytes: (id: number) => (id < 256 ? [id] : []),
  };
}

export interface FakeRunnerOptions {
  maxPositions?: number;
  /** Preferred next token given the tokens so far (logit +20), e.g. to force text or EOS. */
  script?: (ids: readonly number[]) => number | undefined;
  /** Resolves before each forward pass: lets tests hold the model busy. */
  gate?: () => Promise<void>;
  /** Throws on the n-th forward call (1-based). */
  failOnCall?: number;
}

export class FakeRunner implements ModelRunner {
  readonly info: ModelInfo;
  readonly ids: number[] = [];
  /** Tokens run by each forward call. */
  readonly calls: number[][] = [];
  private logits = new Float32Array(FAKE_VOCAB);

  constructor(private readonly options: FakeRunnerOptions = {}) {
    this.info = {
      vocabSize: FAKE_VOCAB,
      maxPositions: options.maxPositions ?? 512,
      numLayers: 1,
      hiddenSize: 8,
      bosTokenId: BOS,
      eosTokenIds: [EOT, END_OF_TEXT],
    };
  }

  get length(): number {
    return this.ids.length;
  }

  async forward(ids: ArrayLike<number>, options?: { keepLogits?: number }): Promise<Float32Array> {
    const keep = options?.keepLogits ?? 1;
    if (keep < 1 || keep > ids.length) throw new Error(`forward: keepLogits must be in 1..${ids.length}`);
    await this.options.gate?.();
    this.calls.push(Array.from(ids));
    if (this.calls.length === this.options.failOnCall) throw new Error("fake forward failure");
    if (this.ids.length + ids.length > this.info.maxPositions) throw new Error("KV cache overflow");
    for (let i = 0; i < ids.length; i++) this.ids.push(ids[i]!);
    if (this.logits.length < keep * FAKE_VOCAB) this.logits = new Float32Array(keep * FAKE_VOCAB);
    for (let r = 0; r < keep; r++) {
      // Row r: the logits after the first `end` tokens (the last `keep` positions of this call).
      const end = this.ids.length - keep + 1 + r;
      const row = this.logits.subarray(r * FAKE_VOCAB, (r + 1) * FAKE_VOCAB);
      const prev = this.ids[end - 1]!;
      // Printable ASCII only (and no EOS) unless scripted, so decoded text stays readable.
      row.fill(-1e9);
      for (let i = 32; i < 127; i++) row[i] = hash(prev, end, i) * 4 - 2;
      const forced = this.options.script?.(this.ids.slice(0, end));
      if (forced !== undefined) row[forced] = 20;
    }
    await Promise.resolve();
    return this.logits.subarray(0, keep * FAKE_VOCAB);
  }

  truncate(length: number): void {
    this.ids.length = Math.min(length, this.ids.length);
  }

  async dispose(): Promise<void> {}
}

function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x165667b1, 0xc2b2ae35) ^ Math.imul(c + 0x27d4eb2f, 0x61c88647);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return ((h ^ (h >>> 15)) >>> 0) / 2 ** 32;
}

/** A gate the test opens step by step: each forward pass waits for one `step()` (or all after `open()`). */
export function manualGate(): { gate: () => Promise<void>; step(): void; open(): void; waiting(): number } {
  const queue: (() => void)[] = [];
  let opened = false;
  return {
    gate: () => (opened ? Promise.resolve() : new Promise<void>((resolve) => queue.push(resolve))),
    step: () => queue.shift()?.(),
    open: () => {
      opened = true;
      for (const r of queue.splice(0)) r();
    },
    waiting: () => queue.length,
  };
}

/**
 * The token view's records of one answer (see server/engine/token-logprobs.ts) as one compact binary blob,
 * stored next to the message and carried (base64) in the JSON export. Column-wise arrays compress well
 * and deflate (node:zlib) squeezes the rest; log-probabilities are IEEE half floats (±0.002 at -1, ±0.02
 * at -20: finer than any display of them; -Infinity = left out by top-k/top-p stays exact).
 *
 * Layout before deflate (little endian):
 *   "BTR1" | u32 count | u8 topN | 3 bytes 0 |
 *   i32 id[count] | i32 altId[count × topN] (-1: fewer alternatives) |
 *   f16 logprob[count] | f16 rawLogprob[count] | f16 altLogprob[count × topN] | f16 altRaw[count × topN] |
 *   u16 textBytes[count] then the chosen tokens' texts (UTF-8) |
 *   u32 n | i32 tableId[n] | u16 tableBytes[n] then the alternatives' texts (UTF-8), one per distinct id.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { f16BitsToNumber, numberToF16Bits } from "@/server/checkpoint/bf16";

export interface StoredAlternative {
  id: number;
  text: string;
  logprob: number;
  rawLogprob: number;
}

export interface StoredToken extends StoredAlternative {
  top: StoredAlternative[];
}

const MAGIC = 0x31525442; // "BTR1"

/**
 * Bounds of what a blob may hold, checked before anything is allocated: blobs come back from imports, and a
 * few kilobytes of deflate can claim millions of records (or inflate to gigabytes).
 * An answer never holds more tokens than the context window (4,096 positions), and the app records five
 * alternatives per token (the token view's, server/chat/send-message.ts).
 */
export const MAX_RECORDED_TOKENS = 4_096;
export const MAX_RECORDED_ALTERNATIVES = 5;
/**
 * What a blob may inflate to: the fixed-size columns of 4,096 records with 5 alternatives (≈ 0.33 MB) plus
 * ~300 bytes of text per stored string (token pieces are a few bytes). Inflating stops there.
 */
export const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

export class TokenBlobError extends Error {
  constructor(message: string) {
    super(`Invalid token records: ${message}`);
    this.name = "TokenBlobError";
  }
}

/**
 * `draft`: deflate at level 1 (about half the time, ≈ 5 % larger) for the partial saves while an answer
 * streams; the final save writes the blob at the default level.
 */
export function encodeTokenBlob(all: readonly StoredToken[], options: { draft?: boolean } = {}): Buffer {
  // An answer of a model with a longer context than the bounds keeps its first records (decode would refuse more).
  const tokens = all.length > MAX_RECORDED_TOKENS ? all.slice(0, MAX_RECORDED_TOKENS) : all;
  const count = tokens.length;
  const topN = Math.min(MAX_RECORDED_ALTERNATIVES, tokens.reduce((m, t) => Math.max(m, t.top.length), 0));
  // Strings are written straight into the output (no per-token byte arrays): partial saves re-encode the
  // whole answer's records every second while it streams (measured: docs/performance.md).
  const texts = tokens.map((t) => t.text);
  const table = new Map<number, string>();
  for (const t of tokens) {
    for (let k = 0; k < Math.min(topN, t.top.length); k++) if (!table.has(t.top[k].id)) table.set(t.top[k].id, t.top[k].text);
  }
  const cells = count * topN;
  // Each string's UTF-8 length once: for the size here and the length fields and copies below.
  const textStrings = utf8Strings(texts);
  const tableStrings = utf8Strings([...table.values()]);
  const size = 12 + 4 * count + 4 * cells + 4 * count + 4 * cells + 2 * count + textStrings.bytes + 4 + 6 * table.size + tableStrings.bytes;
  const out = Buffer.alloc(size);
  let o = out.writeUInt32LE(MAGIC, 0);
  o = out.writeUInt32LE(count, o);
  o = out.writeUInt8(topN, o) + 3;
  for (const t of tokens) o = out.writeInt32LE(t.id, o);
  for (const t of tokens) for (let k = 0; k < topN; k++) o = out.writeInt32LE(t.top[k]?.id ?? -1, o);
  const half = (x: number) => numberToF16Bits(x);
  for (const t of tokens) o = out.writeUInt16LE(half(t.logprob), o);
  for (const t of tokens) o = out.writeUInt16LE(half(t.rawLogprob), o);
  for (const t of tokens) for (let k = 0; k < topN; k++) o = out.writeUInt16LE(half(t.top[k]?.logprob ?? -Infinity), o);
  for (const t of tokens) for (let k = 0; k < topN; k++) o = out.writeUInt16LE(half(t.top[k]?.rawLogprob ?? -Infinity), o);
  o = writeStrings(out, o, textStrings);
  o = out.writeUInt32LE(table.size, o);
  for (const id of table.keys()) o = out.writeInt32LE(id, o);
  o = writeStrings(out, o, tableStrings);
  return deflateRawSync(out.subarray(0, o), options.draft ? { level: 1 } : {});
}

/** A token's text is a few bytes; the cap only keeps a pathological piece from corrupting the layout. */
const MAX_STRING_BYTES = 0xffff;

interface Utf8Strings {
  strings: readonly string[];
  /** Each string's full UTF-8 length. */
  lengths: number[];
  /** What is stored of them in all (each capped at MAX_STRING_BYTES). */
  bytes: number;
}

function utf8Strings(strings: readonly string[]): Utf8Strings {
  const lengths = strings.map((text) => Buffer.byteLength(text, "utf8"));
  return { strings, lengths, bytes: lengths.reduce((sum, n) => sum + Math.min(n, MAX_STRING_BYTES), 0) };
}

/**
 * Throws TokenBlobError when the bytes are not a blob this module wrote, or hold more than the bounds above;
 * with `vocabSize`, also when a token id (chosen or alternative) is outside the vocabulary.
 */
export function decodeTokenBlob(blob: Uint8Array, options: { vocabSize?: number } = {}): StoredToken[] {
  let raw: Buffer;
  try {
    raw = inflateRawSync(blob, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new TokenBlobError(`inflates to more than ${MAX_INFLATED_BYTES} bytes`);
    throw new TokenBlobError("not deflate data");
  }
  const r = new Reader(raw);
  if (r.u32() !== MAGIC) throw new TokenBlobError("unknown format");
  const count = r.u32();
  const topN = r.u8();
  r.skip(3);
  if (count > MAX_RECORDED_TOKENS) throw new TokenBlobError(`${count} records: an answer has at most ${MAX_RECORDED_TOKENS}`);
  if (topN > MAX_RECORDED_ALTERNATIVES) throw new TokenBlobError(`${topN} alternatives per token: at most ${MAX_RECORDED_ALTERNATIVES} are recorded`);
  const cells = count * topN;
  const ids = r.many(count, () => r.i32());
  const altIds = r.many(cells, () => r.i32());
  const half = () => f16BitsToNumber(r.u16());
  const logprob = r.many(count, half);
  const rawLogprob = r.many(count, half);
  const altLogprob = r.many(cells, half);
  const altRaw = r.many(cells, half);
  const texts = r.strings(count);
  const tableIds = r.many(r.u32(), () => r.i32());
  const tableTexts = r.strings(tableIds.length);
  if (!r.atEnd) throw new TokenBlobError("trailing bytes");
  if (options.vocabSize !== undefined) {
    const vocabSize = options.vocabSize;
    const outside = ids.find((id) => id < 0 || id >= vocabSize) ?? altIds.find((id) => id >= vocabSize);
    if (outside !== undefined) throw new TokenBlobError(`token id ${outside} is outside the model's vocabulary (0…${vocabSize - 1})`);
  }
  const table = new Map(tableIds.map((id, i) => [id, tableTexts[i]!]));
  return ids.map((id, i) => {
    const top: StoredAlternative[] = [];
    for (let k = 0; k < topN; k++) {
      const altId = altIds[i * topN + k]!;
      if (altId < 0) break;
      const text = table.get(altId);
      if (text === undefined) throw new TokenBlobError(`no text for token ${altId}`);
      top.push({ id: altId, text, logprob: altLogprob[i * topN + k]!, rawLogprob: altRaw[i * topN + k]! });
    }
    return { id, text: texts[i]!, logprob: logprob[i]!, rawLogprob: rawLogprob[i]!, top };
  });
}

function writeStrings(out: Buffer, offset: number, { strings, lengths }: Utf8Strings): number {
  let o = offset;
  for (const n of lengths) o = out.writeUInt16LE(Math.min(n, MAX_STRING_BYTES), o);
  strings.forEach((text, i) => {
    // Past MAX_STRING_BYTES only the first ones are kept (cut mid-character at worst, as before).
    o += lengths[i] <= MAX_STRING_BYTES ? out.write(text, o, "utf8") : Buffer.from(text, "utf8").copy(out, o, 0, MAX_STRING_BYTES);
  });
  return o;
}

class Reader {
  private o = 0;
  private readonly decoder = new TextDecoder();
  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.o + n > this.buf.length) throw new TokenBlobError("truncated");
  }
  u8(): number {
    this.need(1);
    return this.buf.readUInt8(this.o++);
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.o);
    this.o += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.o);
    this.o += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.o);
    this.o += 4;
    return v;
  }
  skip(n: number): void {
    this.need(n);
    this.o += n;
  }
  many<T>(n: number, read: () => T): T[] {
    this.need(n); // every element is at least one byte: refuse absurd counts before allocating
    return Array.from({ length: n }, read);
  }
  strings(n: number): string[] {
    const lengths = this.many(n, () => this.u16());
    return lengths.map((len) => {
      this.need(len);
      const s = this.decoder.decode(this.buf.subarray(this.o, this.o + len));
      this.o += len;
      return s;
    });
  }
  get atEnd(): boolean {
    return this.o === this.buf.length;
  }
}

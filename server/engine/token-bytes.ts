/**
 * The exact bytes of one token, for OpenAI's `logprobs` (`bytes`). A byte-level BPE token (Llama 3) may
 * hold part of a UTF-8 character: decoding it alone gives U+FFFD, so its bytes are read from its vocabulary
 * string (chat-prompt.ts `tokenBytes`), through GPT-2's byte ↔ printable-character table (the fixed mapping byte-level BPE
 * vocabularies are written in: printable bytes stand for themselves, the other 68 map to U+0100…).
 */

let unicodeToByte: Map<string, number> | null = null;

function byteTable(): Map<string, number> {
  if (unicodeToByte) return unicodeToByte;
  const printable = (from: string, to: string) => Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, i) => from.charCodeAt(0) + i);
  const direct = new Set([...printable("!", "~"), ...printable("¡", "¬"), ...printable("®", "ÿ")]);
  const table = new Map<string, number>();
  let shifted = 0;
  for (let b = 0; b < 256; b++) table.set(String.fromCharCode(direct.has(b) ? b : 256 + shifted++), b);
  unicodeToByte = table;
  return table;
}

/** A byte-level BPE vocabulary string → its bytes; undefined when it is not one (a special token). */
export function byteLevelBytes(vocabString: string): number[] | undefined {
  const table = byteTable();
  const chars = Array.from(vocabString);
  return chars.every((c) => table.has(c)) ? chars.map((c) => table.get(c)!) : undefined;
}

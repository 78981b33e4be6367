/**
 * Token counts for attached files, before any model is asked: BitNet b1.58 2B4T, the demo and the test
 * models all use Llama 3's vocabulary, which llama3-tokenizer-js encodes exactly (server/demo's tests
 * check it against the model's own tokenizer), so the count is the prompt's, with no model loaded.
 */
import llama3Tokenizer from "llama3-tokenizer-js";

export function countTokens(text: string): number {
  return llama3Tokenizer.encode(text, { bos: false, eos: false }).length;
}

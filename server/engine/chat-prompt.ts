/**
 * The prompt side of the tokenizer as the engine needs it: BitNet's chat template (from the model folder's
 * tokenizer_config.json, applied by @huggingface/transformers) and streaming-safe decoding.
 */
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import type { ChatTurn } from "./types";

export interface ChatTokenizer {
  /** Token ids of the conversation rendered with the chat template, ending with the assistant's generation prompt. */
  encodeChat(messages: readonly ChatTurn[]): number[];
  /** Text of generated ids (special tokens skipped; no space clean-up, which would break incremental decoding). */
  decode(ids: number[]): string;
}

export interface ChatTokenizerOptions {
  /** `<|begin_of_text|>`: prepended when the template does not write it itself. */
  bosTokenId?: number;
}

export function createChatTokenizer(tokenizer: PreTrainedTokenizer, options: ChatTokenizerOptions = {}): ChatTokenizer {
  const { bosTokenId } = options;
  return {
    encodeChat(messages) {
      const ids = tokenizer.apply_chat_template(
        messages.map((m) => ({ role: m.role, content: m.content })),
        { add_generation_prompt: true, tokenize: true, return_tensor: false, return_dict: false },
      ) as number[];
      const plain = Array.from(ids, Number);
      if (bosTokenId !== undefined && plain[0] !== bosTokenId) plain.unshift(bosTokenId);
      return plain;
    },
    decode(ids) {
      if (ids.length === 0) return "";
      return tokenizer.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false });
    },
  };
}

/** The rendered prompt text (for `--verbose` output and tests). */
export function renderChat(tokenizer: PreTrainedTokenizer, messages: readonly ChatTurn[]): string {
  return tokenizer.apply_chat_template(
    messages.map((m) => ({ role: m.role, content: m.content })),
    { add_generation_prompt: true, tokenize: false },
  ) as string;
}

/**
 * The prompt side of the tokenizer as the engine needs it: BitNet's chat template (from the model folder's
 * tokenizer_config.json, applied by @huggingface/transformers) and streaming-safe decoding.
 */
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import type { ChatTurn } from "./types";

export interface EncodeChatOptions {
  /** The last message is a partial assistant answer: the prompt ends inside it (see GenerateRequest). */
  continueFinalMessage?: boolean;
}

export interface ChatTokenizer {
  /** Token ids of the conversation rendered with the chat template, ending with the assistant's generation prompt. */
  encodeChat(messages: readonly ChatTurn[], options?: EncodeChatOptions): number[];
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
    encodeChat(messages, encodeOptions = {}) {
      let ids: number[];
      const partial = encodeOptions.continueFinalMessage ? messages.at(-1) : undefined;
      if (partial?.role === "assistant") {
        // The template has no "continue" switch: render the turns before the answer with the
        // generation prompt, append the answer so far, and tokenize the whole text at once (so the
        // boundary tokenizes as it would have while generating), as apply_chat_template does.
        const text = renderChat(tokenizer, messages.slice(0, -1)) + partial.content.trimStart();
        ids = tokenizer.encode(text, { add_special_tokens: false });
      } else {
        ids = tokenizer.apply_chat_template(
          messages.map((m) => ({ role: m.role, content: m.content })),
          { add_generation_prompt: true, tokenize: true, return_tensor: false, return_dict: false },
        ) as number[];
      }
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

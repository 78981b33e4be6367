/**
 * The prompt side of the tokenizer as the engine needs it: BitNet's chat template (from the model folder's
 * tokenizer_config.json, applied by @huggingface/transformers) and streaming-safe decoding.
 */
import type { PreTrainedTokenizer } from "@huggingface/transformers";
import { encodeSliced } from "./sliced-encode";
import { byteLevelBytes } from "./token-bytes";
import type { ChatTurn } from "./types";

export interface EncodeChatOptions {
  /** The last message is a partial assistant answer: the prompt ends inside it (see GenerateRequest). */
  continueFinalMessage?: boolean;
}

/**
 * The prompt one message at a time, for templates that render each message on its own and end it with a
 * special token (BitNet's `Role: content<|eot_id|>`): `prefix + encodeTurn(m1) + … + encodeTurn(mn) + suffix`
 * equals `encodeChat([m1, …, mn])`, so context fitting tokenizes each message once, newest first, and stops
 * at the budget. Long messages are tokenized in slices (see sliced-encode).
 */
export interface TurnEncoder {
  prefix: readonly number[];
  /** The generation prompt (`Assistant: `). */
  suffix: readonly number[];
  encodeTurn(turn: ChatTurn): Promise<number[]>;
  /** The generation prompt followed by a partial answer to extend (what replaces `suffix` for Continue). */
  encodeContinuation(partial: string): Promise<number[]>;
}

export interface ChatTokenizer {
  /** Token ids of the conversation rendered with the chat template, ending with the assistant's generation prompt. */
  encodeChat(messages: readonly ChatTurn[], options?: EncodeChatOptions): number[];
  /** Present when the template renders messages independently (checked once, see `turnEncoderFor`). */
  turns?: TurnEncoder;
  /** Text of generated ids (special tokens skipped; no space clean-up, which would break incremental decoding). */
  decode(ids: number[]): string;
  /** A token's exact bytes (part of a character for some byte-level tokens), when the tokenizer can tell. */
  tokenBytes?(id: number): number[] | undefined;
}

export interface ChatTokenizerOptions {
  /** `<|begin_of_text|>`: prepended when the template does not write it itself. */
  bosTokenId?: number;
}

export function createChatTokenizer(tokenizer: PreTrainedTokenizer, options: ChatTokenizerOptions = {}): ChatTokenizer {
  const { bosTokenId } = options;
  return {
    turns: turnEncoderFor(tokenizer, bosTokenId),
    encodeChat(messages, encodeOptions = {}) {
      const template = (turns: readonly ChatTurn[]) =>
        Array.from(
          tokenizer.apply_chat_template(
            turns.map((m) => ({ role: m.role, content: m.content })),
            { add_generation_prompt: true, tokenize: true, return_tensor: false, return_dict: false },
          ) as number[],
          Number,
        );
      const partial = encodeOptions.continueFinalMessage ? messages.at(-1) : undefined;
      // The template has no "continue" switch: the turns before the answer with the generation
      // prompt, then the answer's text tokenized on its own — the split the model itself produced
      // while generating it (tokenizing "Assistant: " + text at once would merge the space into the
      // first word and show the model a boundary it never wrote).
      const ids =
        partial?.role === "assistant"
          ? [...template(messages.slice(0, -1)), ...tokenizer.encode(partial.content.trimStart(), { add_special_tokens: false })]
          : template(messages);
      if (bosTokenId !== undefined && ids[0] !== bosTokenId) ids.unshift(bosTokenId);
      return ids;
    },
    decode(ids) {
      if (ids.length === 0) return "";
      return tokenizer.decode(ids, { skip_special_tokens: true, clean_up_tokenization_spaces: false });
    },
    tokenBytes(id) {
      // transformers.js keeps the vocabulary lookup on its inner tokenizer; without it bytes come from the text.
      const inner = (tokenizer as unknown as { _tokenizer?: { id_to_token?: (id: number) => string | undefined } })._tokenizer;
      const vocab = typeof inner?.id_to_token === "function" ? inner.id_to_token(id) : undefined;
      return vocab === undefined ? undefined : byteLevelBytes(vocab);
    },
  };
}

type Render = (messages: readonly ChatTurn[], generationPrompt: boolean) => string;

/**
 * Probes the template with three messages: the whole must be bos + each message rendered alone + the
 * generation prompt, and each message must end with a special token (the tokenizer splits those out
 * first, so the text on either side is tokenized apart in any case). Otherwise: undefined, and the
 * engine fits the context by encoding whole prompts.
 */
export function turnEncoderFor(tokenizer: PreTrainedTokenizer, bosTokenId?: number): TurnEncoder | undefined {
  const render: Render = (messages, generationPrompt) =>
    tokenizer.apply_chat_template(
      messages.map((m) => ({ role: m.role, content: m.content })),
      { add_generation_prompt: generationPrompt, tokenize: false },
    ) as string;
  try {
    const bosText = bosTokenId === undefined ? "" : tokenizer.decode([bosTokenId], { skip_special_tokens: false });
    const alone = (turn: ChatTurn) => {
      const text = render([turn], false);
      return bosText !== "" && text.startsWith(bosText) ? text.slice(bosText.length) : text;
    };
    const probe: ChatTurn[] = [
      { role: "system", content: "Be brief." },
      { role: "user", content: " Hi there " },
      { role: "assistant", content: "Hello." },
    ];
    const withPrompt = render(probe.slice(0, 1), true);
    const withoutPrompt = render(probe.slice(0, 1), false);
    if (!withPrompt.startsWith(withoutPrompt)) return undefined;
    const generationPrompt = withPrompt.slice(withoutPrompt.length);
    if (render(probe, true) !== bosText + probe.map(alone).join("") + generationPrompt) return undefined;
    const specials = tokenizer.all_special_tokens.filter((t) => t.length > 0);
    if (!probe.every((turn) => specials.some((t) => alone(turn).endsWith(t)))) return undefined;

    const encode = (text: string) => Array.from(tokenizer.encode(text, { add_special_tokens: false }), Number);
    return {
      prefix: bosTokenId === undefined ? [] : [bosTokenId],
      suffix: encode(generationPrompt),
      encodeTurn: (turn) => encodeSliced(encode, alone(turn)),
      // As encodeChat with continueFinalMessage: the generation prompt, then the partial answer tokenized on its own.
      encodeContinuation: async (partial) => [...encode(generationPrompt), ...(await encodeSliced(encode, partial.trimStart()))],
    };
  } catch {
    return undefined;
  }
}

/** The rendered prompt text (for `--verbose` output and tests). */
export function renderChat(tokenizer: PreTrainedTokenizer, messages: readonly ChatTurn[]): string {
  return tokenizer.apply_chat_template(
    messages.map((m) => ({ role: m.role, content: m.content })),
    { add_generation_prompt: true, tokenize: false },
  ) as string;
}

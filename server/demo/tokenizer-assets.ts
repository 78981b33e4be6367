/**
 * Writes the Llama 3 tokenizer that BitNet b1.58 2B4T ships (tokenizer.json + tokenizer_config.json, in
 * Hugging Face `tokenizers` format) into a checkpoint folder, built offline: we cannot download the hub
 * files, so the 128,000 byte-level BPE tokens and their merges come from the npm package
 * `llama3-tokenizer-js`, which bakes Meta's vocabulary and merge list into its bundle.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import llama3Tokenizer from "llama3-tokenizer-js";
import { BITNET_CHAT_TEMPLATE, BOS_TOKEN, EOT_TOKEN } from "@/server/checkpoint/chat-template";

/** Ordinary BPE tokens (ids 0..127999); the 256 special tokens follow. */
export const BASE_VOCAB_SIZE = 128_000;
export const TOKENIZER_VOCAB_SIZE = 128_256;

/** Llama 3's pre-tokenizer split (tiktoken's cl100k-style pattern), exactly as in Meta's tokenizer.json. */
export const LLAMA3_SPLIT_REGEX =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/**
 * Names of ids 128000..128255. BitNet uses the Llama 3 (not 3.1) names: llama.cpp logs of the hub GGUF show
 * 128036 = `<|reserved_special_token_31|>`, which only the Llama 3 numbering gives (3.1 renamed 128004,
 * 128008 and 128010 and renumbered the reserved tokens after them).
 */
export function llama3SpecialTokens(): string[] {
  const named: Record<number, string> = {
    0: BOS_TOKEN,
    1: "<|end_of_text|>",
    6: "<|start_header_id|>",
    7: "<|end_header_id|>",
    9: EOT_TOKEN,
  };
  const names: string[] = [];
  let reserved = 0;
  for (let i = 0; i < TOKENIZER_VOCAB_SIZE - BASE_VOCAB_SIZE; i++) {
    names.push(named[i] ?? `<|reserved_special_token_${reserved++}|>`);
  }
  return names;
}

interface AssetJson {
  tokenizer: string;
  config: string;
}

let built: AssetJson | undefined;

function buildAssets(): AssetJson {
  const vocabById = llama3Tokenizer.vocabById;
  if (vocabById.length < BASE_VOCAB_SIZE) {
    throw new Error(`llama3-tokenizer-js holds ${vocabById.length} tokens; expected at least ${BASE_VOCAB_SIZE}.`);
  }
  const vocab: Record<string, number> = {};
  for (let id = 0; id < BASE_VOCAB_SIZE; id++) vocab[vocabById[id]] = id;

  // The package keys merges "left right" → priority; sorting by priority restores Meta's merge order.
  const merges = [...llama3Tokenizer.merges.entries()].sort((a, b) => a[1] - b[1]).map(([pair]) => pair);

  const specials = llama3SpecialTokens().map((content, i) => ({ id: BASE_VOCAB_SIZE + i, content }));
  const bosId = BASE_VOCAB_SIZE;

  const tokenizer = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specials.map(({ id, content }) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [
        { type: "Split", pattern: { Regex: LLAMA3_SPLIT_REGEX }, behavior: "Isolated", invert: false },
        { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: "Sequence",
      processors: [
        { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
        {
          type: "TemplateProcessing",
          single: [{ SpecialToken: { id: BOS_TOKEN, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
          pair: [
            { SpecialToken: { id: BOS_TOKEN, type_id: 0 } },
            { Sequence: { id: "A", type_id: 0 } },
            { SpecialToken: { id: BOS_TOKEN, type_id: 1 } },
            { Sequence: { id: "B", type_id: 1 } },
          ],
          special_tokens: { [BOS_TOKEN]: { id: BOS_TOKEN, ids: [bosId], tokens: [BOS_TOKEN] } },
        },
      ],
    },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      // Llama 3 looks a whole pre-token up in the vocabulary before merging (tiktoken semantics).
      ignore_merges: true,
      vocab,
      merges,
    },
  };

  const config = {
    added_tokens_decoder: Object.fromEntries(
      specials.map(({ id, content }) => [
        String(id),
        { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true },
      ]),
    ),
    bos_token: BOS_TOKEN,
    chat_template: BITNET_CHAT_TEMPLATE,
    clean_up_tokenization_spaces: true,
    // `<|eot_id|>` ends a chat turn; config.json's eos (128001, `<|end_of_text|>`) stays the model-level eos.
    eos_token: EOT_TOKEN,
    model_input_names: ["input_ids", "attention_mask"],
    model_max_length: 4096,
    tokenizer_class: "PreTrainedTokenizerFast",
  };

  return { tokenizer: JSON.stringify(tokenizer), config: `${JSON.stringify(config, null, 2)}\n` };
}

/** The two JSON documents, built once per process (the vocabulary is 128k entries). */
export function tokenizerAssetJson(): AssetJson {
  built ??= buildAssets();
  return built;
}

export async function writeTokenizerAssets(dir: string): Promise<void> {
  const { tokenizer, config } = tokenizerAssetJson();
  await Promise.all([
    writeFile(path.join(dir, "tokenizer.json"), tokenizer),
    writeFile(path.join(dir, "tokenizer_config.json"), config),
  ]);
}

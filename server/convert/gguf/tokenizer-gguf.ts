/**
 * The checkpoint's Hugging Face tokenizer (Llama 3 byte-level BPE) as llama.cpp's GGUF tokenizer keys,
 * the way convert_hf_to_gguf.py writes a Llama 3 vocabulary: model "gpt2", pre-tokenizer "llama-bpe",
 * one token string per embedding row (missing ids become unused `[PAD{id}]`), token types
 * (1 normal, 3 control = special added tokens, 4 user-defined = other added tokens, 5 unused),
 * merges as "left right", bos/eos/eot ids and the chat template.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { BITNET_CHAT_TEMPLATE, EOT_TOKEN } from "@/server/checkpoint/chat-template";
import { bool, str, u32, type GgufValue } from "./gguf-metadata";

const TOKEN_TYPE = { normal: 1, control: 3, userDefined: 4, unused: 5 } as const;

interface TokenizerJson {
  model?: { type?: string; vocab?: Record<string, number>; merges?: (string | [string, string])[] };
  added_tokens?: { id: number; content: string; special?: boolean }[];
}

export interface TokenizerIds {
  bosTokenId: number;
  eosTokenIds: number[];
}

export function tokenizerMetadata(modelDir: string, vocabSize: number, ids: TokenizerIds): [string, GgufValue][] {
  const file = path.join(modelDir, "tokenizer.json");
  if (!existsSync(file)) throw new Error(`${modelDir} has no tokenizer.json: llama.cpp needs the vocabulary inside the GGUF.`);
  const json = JSON.parse(readFileSync(file, "utf8")) as TokenizerJson;
  if (json.model?.type !== "BPE" || !json.model.vocab || !json.model.merges) {
    throw new Error(`${file}: expected a byte-level BPE tokenizer (Llama 3), found model type ${JSON.stringify(json.model?.type)}`);
  }
  const tokens: (string | undefined)[] = new Array(vocabSize);
  const types = new Int32Array(vocabSize).fill(TOKEN_TYPE.normal);
  for (const [text, id] of Object.entries(json.model.vocab)) if (id < vocabSize) tokens[id] = text;
  for (const t of json.added_tokens ?? []) {
    if (t.id >= vocabSize) continue;
    tokens[t.id] = t.content;
    types[t.id] = t.special ? TOKEN_TYPE.control : TOKEN_TYPE.userDefined;
  }
  for (let id = 0; id < vocabSize; id++) {
    if (tokens[id] === undefined) {
      tokens[id] = `[PAD${id}]`;
      types[id] = TOKEN_TYPE.unused;
    }
  }
  const merges = json.model.merges.map((m) => (Array.isArray(m) ? m.join(" ") : m));
  const idOf = (content: string | undefined) => (json.added_tokens ?? []).find((t) => t.content === content)?.id;

  const config = readTokenizerConfig(modelDir);
  const eos = idOf(config.eos_token) ?? ids.eosTokenIds[0];
  const eot = idOf(EOT_TOKEN);
  const inVocab = (id: number | undefined): id is number => id !== undefined && id >= 0 && id < vocabSize;
  const meta: [string, GgufValue][] = [
    ["tokenizer.ggml.model", str("gpt2")],
    ["tokenizer.ggml.pre", str("llama-bpe")],
    ["tokenizer.ggml.tokens", { type: "string[]", value: tokens as string[] }],
    ["tokenizer.ggml.token_type", { type: "i32[]", value: types }],
    ["tokenizer.ggml.merges", { type: "string[]", value: merges }],
  ];
  if (inVocab(ids.bosTokenId)) meta.push(["tokenizer.ggml.bos_token_id", u32(ids.bosTokenId)]);
  if (inVocab(eos)) meta.push(["tokenizer.ggml.eos_token_id", u32(eos)]);
  if (inVocab(eot)) meta.push(["tokenizer.ggml.eot_token_id", u32(eot)]);
  meta.push(["tokenizer.ggml.add_bos_token", bool(inVocab(ids.bosTokenId))]);
  meta.push(["tokenizer.chat_template", str(typeof config.chat_template === "string" ? config.chat_template : BITNET_CHAT_TEMPLATE)]);
  return meta;
}

function readTokenizerConfig(modelDir: string): { eos_token?: string; chat_template?: unknown } {
  const file = path.join(modelDir, "tokenizer_config.json");
  if (!existsSync(file)) return {};
  const json = JSON.parse(readFileSync(file, "utf8")) as { eos_token?: unknown; chat_template?: unknown };
  const eos = typeof json.eos_token === "string" ? json.eos_token : (json.eos_token as { content?: string } | undefined)?.content;
  return { eos_token: eos, chat_template: json.chat_template };
}

/**
 * Loads a model folder's Hugging Face tokenizer (tokenizer.json + tokenizer_config.json) with
 * @huggingface/transformers, strictly from disk.
 *
 * We read the files ourselves instead of calling `AutoTokenizer.from_pretrained(dir)`: transformers.js
 * memoizes per path whether tokenizer_config.json exists (a folder probed before it was written stays
 * "missing" for the process), may consult its download cache, and reports a missing file as an opaque
 * TypeError. The class choice below is AutoTokenizer's: `tokenizer_class` without "Fast", else the base class.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as transformers from "@huggingface/transformers";
import { PreTrainedTokenizer } from "@huggingface/transformers";

type TokenizerClass = new (tokenizerJSON: object, tokenizerConfig: object) => PreTrainedTokenizer;

async function readJson(file: string): Promise<Record<string, unknown>> {
  if (!existsSync(file)) {
    throw new Error(`${path.dirname(file)} has no ${path.basename(file)}: the model folder needs the Hugging Face tokenizer files.`);
  }
  try {
    return JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}).`, { cause: error });
  }
}

function tokenizerClass(name: unknown): TokenizerClass {
  if (typeof name === "string") {
    const candidate = (transformers as Record<string, unknown>)[name.replace(/Fast$/, "")];
    if (typeof candidate === "function" && (candidate === PreTrainedTokenizer || candidate.prototype instanceof PreTrainedTokenizer)) {
      return candidate as TokenizerClass;
    }
  }
  return PreTrainedTokenizer as unknown as TokenizerClass;
}

export async function loadTokenizer(dir: string): Promise<PreTrainedTokenizer> {
  const root = path.resolve(dir);
  const [tokenizerJson, config] = await Promise.all([
    readJson(path.join(root, "tokenizer.json")),
    readJson(path.join(root, "tokenizer_config.json")),
  ]);
  // Newer hub repos keep the template in its own file (transformers v5 layout).
  const jinja = path.join(root, "chat_template.jinja");
  if (config.chat_template === undefined && existsSync(jinja)) {
    config.chat_template = await readFile(jinja, "utf8");
  }
  const Tokenizer = tokenizerClass(config.tokenizer_class);
  const tokenizer = new Tokenizer(tokenizerJson, config);
  releaseBuildOnlyTables(tokenizer, tokenizerJson);
  return tokenizer;
}

/**
 * A BPE tokenizer (@huggingface/tokenizers, under transformers.js) builds its lookup maps (token → id,
 * id → token, merge ranks) from tokenizer.json's `vocab` object and `merges` list in its constructor and
 * never reads those again, yet keeps both alive (its config is our parsed JSON, and `merges` is also kept
 * as a field). For a 128k-token vocabulary with 280k merges that is ≈ 45 MB of V8 heap (≈ 80 MB of
 * resident memory, docs/performance.md "Memory"). Encoding and decoding use only the maps; the tests
 * check both give the same results after the release.
 */
function releaseBuildOnlyTables(tokenizer: PreTrainedTokenizer, tokenizerJson: Record<string, unknown>): void {
  const json = tokenizerJson.model as Record<string, unknown> | undefined;
  const model = (tokenizer as unknown as { _tokenizer?: { model?: Record<string, unknown> } })._tokenizer?.model;
  if (json?.type !== "BPE" || !model || !(model.bpe_ranks instanceof Map) || !(model.tokens_to_ids instanceof Map)) return;
  delete json.vocab;
  delete json.merges;
  if (Array.isArray(model.merges)) model.merges = undefined;
}

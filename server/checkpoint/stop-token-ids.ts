/**
 * The token ids that end an answer, one rule for every runner: the config's eos ids, the
 * generation_config's eos ids, and `<|eot_id|>` (ends a chat turn) from the tokenizer files, kept
 * within the vocabulary. The converter records them in the manifest; the reference runner computes
 * them from the checkpoint folder.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { EOT_TOKEN as END_OF_TURN } from "./chat-template";

export function stopTokenIds(dir: string, configEos: number[], vocabSize: number): number[] {
  const ids = new Set(configEos);
  const readJson = (name: string): Record<string, unknown> | undefined => {
    const file = path.join(dir, name);
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : undefined;
  };
  const gen = readJson("generation_config.json")?.eos_token_id;
  for (const id of Array.isArray(gen) ? gen : gen === undefined ? [] : [gen]) if (typeof id === "number") ids.add(id);
  // tokenizer_config.json lists the same added tokens as tokenizer.json in 1% of the bytes (parsing the
  // 128k-entry tokenizer.json takes over a second), so it is asked first.
  const decoder = readJson("tokenizer_config.json")?.added_tokens_decoder as Record<string, { content?: string }> | undefined;
  const fromConfig = Object.entries(decoder ?? {}).find(([, t]) => t.content === END_OF_TURN)?.[0];
  if (fromConfig !== undefined) {
    ids.add(Number(fromConfig));
  } else {
    const added = readJson("tokenizer.json")?.added_tokens;
    const eot = Array.isArray(added) ? (added.find((t) => (t as { content?: string }).content === END_OF_TURN) as { id?: number } | undefined) : undefined;
    if (typeof eot?.id === "number") ids.add(eot.id);
  }
  return [...ids].filter((id) => id < vocabSize).sort((a, b) => a - b);
}

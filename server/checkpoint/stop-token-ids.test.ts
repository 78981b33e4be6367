/** The one stop-token rule: config eos ∪ generation_config eos ∪ `<|eot_id|>`, within the vocabulary. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stopTokenIds } from "./stop-token-ids";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bitnet-stop-ids-"));
  dirs.push(dir);
  for (const [name, json] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(json));
  return dir;
}

describe("stopTokenIds", () => {
  it("joins the config's eos ids, generation_config's (list or single id) and <|eot_id|>, sorted, each once", () => {
    const d = folder({
      "generation_config.json": { eos_token_id: [128009, 128001] },
      "tokenizer_config.json": { added_tokens_decoder: { "128000": { content: "<|begin_of_text|>" }, "128009": { content: "<|eot_id|>" } } },
    });
    expect(stopTokenIds(d, [128001], 128256)).toEqual([128001, 128009]);

    const single = folder({ "generation_config.json": { eos_token_id: 7 } });
    expect(stopTokenIds(single, [9], 100)).toEqual([7, 9]);
  });

  it("finds <|eot_id|> in tokenizer.json when tokenizer_config.json does not list it", () => {
    const d = folder({ "tokenizer.json": { added_tokens: [{ id: 50, content: "<|begin_of_text|>" }, { id: 51, content: "<|eot_id|>" }] } });
    expect(stopTokenIds(d, [], 64)).toEqual([51]);
  });

  it("drops ids outside the vocabulary and works with no files beside the config", () => {
    const d = folder({ "generation_config.json": { eos_token_id: [3, 500] } });
    expect(stopTokenIds(d, [2, 128001], 100)).toEqual([2, 3]);
    expect(stopTokenIds(folder({}), [5], 100)).toEqual([5]);
  });
});

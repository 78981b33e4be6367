import { readFile } from "node:fs/promises";
import path from "node:path";
import { PreTrainedTokenizer } from "@huggingface/transformers";
import { describe, expect, inject, it } from "vitest";
import { loadTokenizer } from "./load-tokenizer";

const TEXTS = [
  "Hello, world! naïve Émile said: 日本語 😀 — x=1; I'll 123456\n\n\tindented  spaces",
  "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>",
  " leading space, trailing space ",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbb 0x1F 3.14159",
];

describe("loadTokenizer", () => {
  it("releases the BPE's build-only tables and still encodes and decodes exactly as the untrimmed tokenizer", async () => {
    const dir = inject("tinySource");
    const trimmed = await loadTokenizer(dir);
    const json = JSON.parse(await readFile(path.join(dir, "tokenizer.json"), "utf8"));
    const config = JSON.parse(await readFile(path.join(dir, "tokenizer_config.json"), "utf8"));
    const full = new PreTrainedTokenizer(json, config);

    const model = (trimmed as unknown as { _tokenizer: { model: Record<string, unknown> } })._tokenizer.model;
    expect(model.merges).toBeUndefined(); // the release happened (else this test compares two full tokenizers)
    expect((model.config as Record<string, unknown>).vocab).toBeUndefined();

    for (const text of TEXTS) {
      const ids = Array.from(full.encode(text), Number);
      expect(Array.from(trimmed.encode(text), Number)).toEqual(ids);
      expect(trimmed.decode(ids)).toBe(full.decode(ids));
      expect(trimmed.decode(ids, { skip_special_tokens: true })).toBe(full.decode(ids, { skip_special_tokens: true }));
    }
    const messages = [{ role: "system", content: "Be brief." }, { role: "user", content: TEXTS[0] }];
    expect(trimmed.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true })).toBe(
      full.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }),
    );
  });
});

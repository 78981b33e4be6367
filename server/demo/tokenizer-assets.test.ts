import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AutoTokenizer, type PreTrainedTokenizer } from "@huggingface/transformers";
import llama3 from "llama3-tokenizer-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTokenizer } from "@/server/runtime/load-tokenizer";
import { llama3SpecialTokens, TOKENIZER_VOCAB_SIZE, writeTokenizerAssets } from "./tokenizer-assets";

/** Text that exercises every branch of Llama 3's split regex and the byte-level fallback. */
const CORPUS = [
  "Hello world!",
  "The quick brown fox jumps over the lazy dog. It's 3:45pm; isn't it?",
  "function add(a, b) {\n    return a + b;\n}\n\nconsole.log(add(1, 2));\n",
  "def f(x):\n\tif x:\n\t\treturn [i ** 2 for i in range(x)]\n",
  "   leading spaces, trailing spaces   ",
  "a  b   c    d\n\n\n\ne\r\n\r\nf \t \t g",
  "\n\n\n",
  "Numbers: 1234567 and 3.14159 and -42 and 1,000,000 and 2024-11-28",
  "Contractions: I'm, you're, he's, we've, they'll, I'd, can't, WON'T, She'S, I'LL",
  "MiXeD CaSe camelCase snake_case SCREAMING_CASE kebab-case",
  "Emoji: 😀 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️‍🔥",
  "中文测试：你好，世界！日本語のテキスト。한국어 텍스트.",
  "Accents: café naïve résumé Ångström Øresund Łódź Đuro čćžšđ ñ ß ẞ",
  "Symbols: ©®™ §¶ ±×÷ ≠≤≥ ∑∫√∞ → ⇒ ¯\\_(ツ)_/¯",
  "URL https://example.com/path?q=a&b=c#frag and e-mail a.b@c.org",
  "Tabs\tand\u00a0non-breaking\u2003em\u2009thin spaces",
  "Zero\u200bwidth\u200d joiners and \ufeff BOM",
  "<html><body class=\"x\">&amp; &lt;tag&gt;</body></html>",
  "ÄÖÜ äöü — “quotes” ‘single’ «guillemets» …",
  "x".repeat(300) + " " + "ab".repeat(200),
];

let dir: string;
let tokenizer: PreTrainedTokenizer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tokenizer-assets-"));
  await writeTokenizerAssets(dir);
  tokenizer = await loadTokenizer(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeTokenizerAssets + loadTokenizer", () => {
  it("encodes like llama3-tokenizer-js, with BOS added by the TemplateProcessing post-processor", () => {
    for (const text of CORPUS) {
      // transformers.js adds special tokens by default (our post-processor prepends <|begin_of_text|>);
      // llama3-tokenizer-js adds BOS and EOS by default, so ask it for BOS only.
      expect(tokenizer.encode(text), text).toEqual(llama3.encode(text, { bos: true, eos: false }));
      expect(tokenizer.encode(text, { add_special_tokens: false }), text).toEqual(llama3.encode(text, { bos: false, eos: false }));
    }
  });

  it("decodes back to the original text", () => {
    for (const text of CORPUS) {
      const ids = tokenizer.encode(text, { add_special_tokens: false });
      expect(tokenizer.decode(ids, { clean_up_tokenization_spaces: false }), text).toBe(text);
    }
  });

  it("has 128256 ids: 128000 BPE tokens and 256 special tokens with Llama 3's names", async () => {
    const json = JSON.parse(await readFile(path.join(dir, "tokenizer.json"), "utf8"));
    const vocabIds = new Set(Object.values(json.model.vocab as Record<string, number>));
    expect(vocabIds.size).toBe(128_000);
    expect([...vocabIds].reduce((a, b) => Math.max(a, b), 0)).toBe(127_999);
    expect(json.model.merges).toHaveLength(llama3.merges.size);
    expect(json.added_tokens).toHaveLength(256);
    expect(json.model.ignore_merges).toBe(true);
    expect(128_000 + json.added_tokens.length).toBe(TOKENIZER_VOCAB_SIZE);
    const names = llama3SpecialTokens();
    expect(names.slice(0, 11)).toEqual([
      "<|begin_of_text|>",
      "<|end_of_text|>",
      "<|reserved_special_token_0|>",
      "<|reserved_special_token_1|>",
      "<|reserved_special_token_2|>",
      "<|reserved_special_token_3|>",
      "<|start_header_id|>",
      "<|end_header_id|>",
      "<|reserved_special_token_4|>",
      "<|eot_id|>",
      "<|reserved_special_token_5|>",
    ]);
    expect(names[36]).toBe("<|reserved_special_token_31|>");
    expect(names[255]).toBe("<|reserved_special_token_250|>");
    expect(new Set(names).size).toBe(256);
  });

  it("encodes each special token to its single id and decodes it back", () => {
    const names = llama3SpecialTokens();
    for (const [i, name] of names.entries()) {
      const id = 128_000 + i;
      expect(tokenizer.encode(name, { add_special_tokens: false }), name).toEqual([id]);
      expect(tokenizer.decode([id]), name).toBe(name);
    }
    expect(tokenizer.encode("a<|eot_id|>b", { add_special_tokens: false })).toEqual([64, 128009, 65]);
    expect(tokenizer.decode([9906, 128009, 1917], { skip_special_tokens: true })).toBe("Hello world");
  });

  it("matches llama3-tokenizer-js on special tokens embedded in text (names both share)", () => {
    const text = "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|><|end_of_text|>";
    expect(tokenizer.encode(text, { add_special_tokens: false })).toEqual(llama3.encode(text, { bos: false, eos: false }));
  });

  it("reads bos/eos from tokenizer_config.json", () => {
    expect(tokenizer.bos_token_id).toBe(128_000);
    expect(tokenizer.eos_token).toBe("<|eot_id|>");
    expect(tokenizer.eos_token_id).toBe(128_009);
    expect(tokenizer.model_max_length).toBe(4096);
  });

  it("applies BitNet's chat template", () => {
    const messages = [
      { role: "system", content: "You are helpful." },
      { role: "user", content: "  hi  " },
      { role: "assistant", content: "Hello! How can I help?\n" },
      { role: "user", content: "Tell me a joke." },
    ];
    const expected =
      "<|begin_of_text|>System: You are helpful.<|eot_id|>User: hi<|eot_id|>" +
      "Assistant: Hello! How can I help?<|eot_id|>User: Tell me a joke.<|eot_id|>Assistant: ";
    expect(tokenizer.apply_chat_template(messages, { add_generation_prompt: true, tokenize: false })).toBe(expected);
    const ids = tokenizer.apply_chat_template(messages, {
      add_generation_prompt: true,
      tokenize: true,
      return_tensor: false,
      return_dict: false,
    }) as number[];
    // Exactly one BOS: the template writes it, so tokenizing the rendered text must not add another.
    expect(ids).toEqual(llama3.encode(expected, { bos: false, eos: false }));
    expect(ids.filter((id) => id === 128_000)).toHaveLength(1);
    expect(tokenizer.apply_chat_template(messages.slice(1, 2), { add_generation_prompt: false, tokenize: false })).toBe(
      "<|begin_of_text|>User: hi<|eot_id|>",
    );
  });
});

describe("loadTokenizer", () => {
  it("agrees with AutoTokenizer.from_pretrained on the same local folder", async () => {
    const auto = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
    for (const text of CORPUS) expect(auto.encode(text), text).toEqual(tokenizer.encode(text));
    const chat = [{ role: "user", content: "hi" }];
    expect(auto.apply_chat_template(chat, { add_generation_prompt: true, tokenize: false })).toBe("<|begin_of_text|>User: hi<|eot_id|>Assistant: ");
  });

  it("names the missing file", async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), "tokenizer-missing-"));
    try {
      await expect(loadTokenizer(empty)).rejects.toThrow(/has no tokenizer\.json/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

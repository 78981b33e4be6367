import { describe, expect, it } from "vitest";
import { configJsonFor, parseBitNetConfig, SHAPES } from "./config";
import { CheckpointError } from "./errors";

function errorOf(fn: () => unknown): CheckpointError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CheckpointError) return error;
    throw error;
  }
  throw new Error("expected a CheckpointError");
}

describe("parseBitNetConfig", () => {
  it("reads the hub config (2b shape)", () => {
    const c = parseBitNetConfig(configJsonFor("2b"));
    expect(c).toMatchObject({
      hiddenSize: 2560,
      intermediateSize: 6912,
      numLayers: 30,
      numHeads: 20,
      numKvHeads: 5,
      headDim: 128,
      vocabSize: 128256,
      rmsNormEps: 1e-5,
      ropeTheta: 500000,
      maxPositions: 4096,
      tieWordEmbeddings: true,
      bosTokenId: 128000,
      eosTokenIds: [128001],
      linearClass: "autobitlinear",
      quantizationMode: "offline",
      useRmsNorm: false,
      quantRmsNormEps: 1e-6,
    });
    expect(c.raw.torch_dtype).toBe("bfloat16");
  });

  it("uses HF BitNetConfig / BitNetQuantConfig defaults for missing keys", () => {
    const c = parseBitNetConfig({ model_type: "bitnet" });
    expect(c).toMatchObject({
      hiddenSize: 2560,
      intermediateSize: 6912,
      numLayers: 30,
      numHeads: 20,
      numKvHeads: 5,
      vocabSize: 128256,
      maxPositions: 2048,
      tieWordEmbeddings: false,
      linearClass: "bitlinear",
      quantizationMode: "offline",
      eosTokenIds: [128001],
    });
    const q = parseBitNetConfig({ model_type: "bitnet", quantization_config: { quant_method: "bitnet" } });
    expect(q.linearClass).toBe("bitlinear");
    expect(parseBitNetConfig({ model_type: "bitnet", num_key_value_heads: null }).numKvHeads).toBe(20);
    expect(parseBitNetConfig({ model_type: "bitnet", eos_token_id: [128001, 128009] }).eosTokenIds).toEqual([128001, 128009]);
    expect(parseBitNetConfig({ model_type: "bitnet", eos_token_id: null }).eosTokenIds).toEqual([]);
  });

  it("tiny shape: real vocab, head_dim 16", () => {
    const c = parseBitNetConfig(configJsonFor("tiny", { linearClass: "bitlinear" }));
    expect(c).toMatchObject({ ...SHAPES.tiny, headDim: 16, linearClass: "bitlinear" });
  });

  it("rejects a wrong model_type", () => {
    const e = errorOf(() => parseBitNetConfig({ ...configJsonFor("tiny"), model_type: "llama" }));
    expect(e.code).toBe("wrong_model_type");
    expect(e.message).toContain('model_type "llama"');
  });

  it("rejects an unknown linear_class and the online (-bf16) mode", () => {
    const bad = configJsonFor("tiny", { extra: { quantization_config: { quant_method: "bitnet", linear_class: "ternarylinear" } } });
    const e = errorOf(() => parseBitNetConfig(bad));
    expect(e.code).toBe("unknown_linear_class");
    expect(e.message).toContain('"ternarylinear"');
    const online = configJsonFor("tiny", {
      extra: { quantization_config: { quant_method: "bitnet", linear_class: "autobitlinear", quantization_mode: "online" } },
    });
    expect(() => parseBitNetConfig(online)).toThrow(/needs the packed offline checkpoint.*not the -bf16/);
  });

  it("rejects non-integer and inconsistent dims", () => {
    expect(() => parseBitNetConfig(configJsonFor("tiny", { hiddenSize: 64.5 }))).toThrow(/"hidden_size" is invalid.*64\.5/);
    expect(() => parseBitNetConfig(configJsonFor("tiny", { numHeads: 5 }))).toThrow(/hidden_size 64 is not a multiple of num_attention_heads 5/);
    expect(() => parseBitNetConfig(configJsonFor("tiny", { numKvHeads: 3 }))).toThrow(/not a multiple of num_key_value_heads 3/);
    expect(() => parseBitNetConfig(configJsonFor("tiny", { intermediateSize: 130 }))).toThrow(/intermediate_size \(130\) must be a multiple of 4/);
    expect(() => parseBitNetConfig(configJsonFor("tiny", { extra: { head_dim: 8 } }))).toThrow(/must equal hidden_size/);
    expect(() => parseBitNetConfig(configJsonFor("tiny", { extra: { hidden_act: "silu" } }))).toThrow(/"hidden_act" is invalid/);
    expect(() => parseBitNetConfig([])).toThrow(/JSON object/);
  });
});

/**
 * BitNet `config.json`: parsing with HF's defaults (BitNetConfig / BitNetQuantConfig) for missing keys,
 * consistency checks, and the hub-identical config objects our test checkpoints are written with.
 */
import { z } from "zod";
import { CheckpointError } from "./errors";

export type LinearClass = "autobitlinear" | "bitlinear";
export type QuantizationMode = "offline" | "online";

export interface BitNetConfig {
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  vocabSize: number;
  rmsNormEps: number;
  ropeTheta: number;
  maxPositions: number;
  tieWordEmbeddings: boolean;
  bosTokenId: number;
  /** The config's `eos_token_id` as a list (the chat turn end `<|eot_id|>` lives in generation_config.json). */
  eosTokenIds: number[];
  linearClass: LinearClass;
  quantizationMode: QuantizationMode;
  useRmsNorm: boolean;
  quantRmsNormEps: number;
  /** The parsed JSON as found, for keys this interface does not model. */
  raw: Record<string, unknown>;
}

const dim = z.number().int().positive();
const tokenId = z.number().int().nonnegative();

// Defaults are HF's BitNetConfig / BitNetQuantConfig defaults, not the hub values: a key the file leaves
// out means what transformers would make of it.
const quantSchema = z.looseObject({
  quant_method: z.literal("bitnet").default("bitnet"),
  linear_class: z.string().default("bitlinear"),
  quantization_mode: z.string().default("offline"),
  use_rms_norm: z.boolean().default(false),
  rms_norm_eps: z.number().positive().default(1e-6),
});

const configSchema = z.looseObject({
  model_type: z.unknown(),
  vocab_size: dim.default(128256),
  hidden_size: dim.default(2560),
  intermediate_size: dim.default(6912),
  num_hidden_layers: dim.default(30),
  num_attention_heads: dim.default(20),
  // HF: BitNetConfig defaults to 5; an explicit null means "same as attention heads" (plain MHA).
  num_key_value_heads: dim.nullable().default(5),
  head_dim: dim.nullable().optional(),
  hidden_act: z.literal("relu2").default("relu2"),
  max_position_embeddings: dim.default(2048),
  rms_norm_eps: z.number().positive().default(1e-5),
  rope_theta: z.number().positive().default(500000),
  rope_scaling: z.null().optional(),
  tie_word_embeddings: z.boolean().default(false),
  bos_token_id: tokenId.default(128000),
  eos_token_id: z.union([tokenId, z.array(tokenId)]).nullable().default(128001),
  quantization_config: quantSchema.optional(),
});

export function parseBitNetConfig(json: unknown): BitNetConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new CheckpointError("bad_config", "config.json must contain a JSON object.");
  }
  const modelType = (json as Record<string, unknown>).model_type;
  if (modelType !== "bitnet") {
    throw new CheckpointError(
      "wrong_model_type",
      `config.json has model_type ${JSON.stringify(modelType ?? null)}, but this converter only handles BitNet b1.58 checkpoints (model_type "bitnet").`,
    );
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.join(".");
    const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], json);
    throw new CheckpointError("bad_config", `config.json: "${key}" is invalid (${issue.message}; got ${JSON.stringify(value)}).`);
  }
  const c = parsed.data;
  const q = c.quantization_config ?? quantSchema.parse({});
  if (q.linear_class !== "autobitlinear" && q.linear_class !== "bitlinear") {
    throw new CheckpointError(
      "unknown_linear_class",
      `config.json: quantization_config.linear_class is ${JSON.stringify(q.linear_class)}; only "autobitlinear" and "bitlinear" are supported ` +
        "(it decides whether weight_scale multiplies or divides the ternary weights, so guessing would give a different model).",
    );
  }
  if (q.quantization_mode !== "offline") {
    throw new CheckpointError(
      "unsupported_quantization",
      `config.json: quantization_config.quantization_mode is ${JSON.stringify(q.quantization_mode)}. This converter needs the packed ` +
        'offline checkpoint (microsoft/bitnet-b1.58-2B-4T, quantization_mode "offline"), not the -bf16 master-weight repo.',
    );
  }
  const numHeads = c.num_attention_heads;
  const numKvHeads = c.num_key_value_heads ?? numHeads;
  const hidden = c.hidden_size;
  if (c.head_dim == null && hidden % numHeads !== 0) {
    throw badConfig(`hidden_size ${hidden} is not a multiple of num_attention_heads ${numHeads}`);
  }
  const headDim = c.head_dim ?? hidden / numHeads;
  // attn_sub_norm has hidden_size weights and normalizes the concatenated heads, so the two must agree.
  if (numHeads * headDim !== hidden) {
    throw badConfig(`num_attention_heads × head_dim (${numHeads} × ${headDim}) must equal hidden_size ${hidden}`);
  }
  if (numHeads % numKvHeads !== 0) {
    throw badConfig(`num_attention_heads ${numHeads} is not a multiple of num_key_value_heads ${numKvHeads}`);
  }
  if (headDim % 2 !== 0) throw badConfig(`head_dim ${headDim} must be even (rotary embedding splits it in halves)`);
  // Ternary weights are packed 4 rows per byte along the output dimension.
  for (const [name, value] of [
    ["hidden_size", hidden],
    ["intermediate_size", c.intermediate_size],
    ["num_key_value_heads × head_dim", numKvHeads * headDim],
  ] as const) {
    if (value % 4 !== 0) throw badConfig(`${name} (${value}) must be a multiple of 4 for the 2-bit packed weights`);
  }
  return {
    hiddenSize: hidden,
    intermediateSize: c.intermediate_size,
    numLayers: c.num_hidden_layers,
    numHeads,
    numKvHeads,
    headDim,
    vocabSize: c.vocab_size,
    rmsNormEps: c.rms_norm_eps,
    ropeTheta: c.rope_theta,
    maxPositions: c.max_position_embeddings,
    tieWordEmbeddings: c.tie_word_embeddings,
    bosTokenId: c.bos_token_id,
    eosTokenIds: c.eos_token_id === null ? [] : Array.isArray(c.eos_token_id) ? c.eos_token_id : [c.eos_token_id],
    linearClass: q.linear_class,
    quantizationMode: "offline",
    useRmsNorm: q.use_rms_norm,
    quantRmsNormEps: q.rms_norm_eps,
    raw: json as Record<string, unknown>,
  };
}

function badConfig(what: string): CheckpointError {
  return new CheckpointError("bad_config", `config.json is inconsistent: ${what}.`);
}

export interface ModelShape {
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  vocabSize: number;
  maxPositions: number;
}

export const SHAPES = {
  // The real vocabulary, so the real Llama 3 tokenizer works with tiny test models.
  tiny: { hiddenSize: 64, intermediateSize: 128, numLayers: 2, numHeads: 4, numKvHeads: 2, vocabSize: 128256, maxPositions: 4096 },
  "2b": { hiddenSize: 2560, intermediateSize: 6912, numLayers: 30, numHeads: 20, numKvHeads: 5, vocabSize: 128256, maxPositions: 4096 },
} as const satisfies Record<string, ModelShape>;

export type ShapeName = keyof typeof SHAPES;

export type ConfigOverrides = Partial<ModelShape> & {
  linearClass?: LinearClass;
  /** Raw keys merged last (tests use it to write deliberately odd configs). */
  extra?: Record<string, unknown>;
};

/** A config.json object with the hub's keys and values (microsoft/bitnet-b1.58-2B-4T), dims from the shape. */
export function configJsonFor(shape: ShapeName, overrides: ConfigOverrides = {}): Record<string, unknown> {
  const s = { ...SHAPES[shape], ...stripUndefined(overrides) };
  return {
    architectures: ["BitNetForCausalLM"],
    bos_token_id: 128000,
    eos_token_id: 128001,
    hidden_act: "relu2",
    hidden_size: s.hiddenSize,
    initializer_range: 0.02,
    intermediate_size: s.intermediateSize,
    max_position_embeddings: s.maxPositions,
    model_type: "bitnet",
    num_attention_heads: s.numHeads,
    num_hidden_layers: s.numLayers,
    num_key_value_heads: s.numKvHeads,
    quantization_config: {
      linear_class: overrides.linearClass ?? "autobitlinear",
      quant_method: "bitnet",
      quantization_mode: "offline",
    },
    rms_norm_eps: 1e-5,
    rope_theta: 500000.0,
    tie_word_embeddings: true,
    torch_dtype: "bfloat16",
    use_cache: true,
    vocab_size: s.vocabSize,
    ...overrides.extra,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

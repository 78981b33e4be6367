import { z } from "zod";

/**
 * Body of `POST /v1/chat/completions`, the subset of OpenAI's Chat Completions API this model can serve.
 * Like OpenAI, `null` means "not set" for every optional field, and fields we do not know are ignored
 * (zod's default `strip`), so clients that send e.g. `frequency_penalty` or `logit_bias` keep working.
 */

/** OpenAI's limit on alternatives per token. */
export const MAX_TOP_LOGPROBS = 20;

const optional = <T extends z.ZodType>(schema: T) => schema.nullish();

/** `{type: "text", text}`; images and other part types get their own clear error (see `content`). */
const contentPartSchema = z
  .looseObject({ type: z.string({ error: "content part type must be a string" }) })
  .superRefine((part, ctx) => {
    if (part.type === "text") {
      if (typeof part.text !== "string") ctx.addIssue({ code: "custom", path: ["text"], message: "text must be a string" });
      return;
    }
    const what = part.type === "image_url" ? "Image inputs are" : `Content parts of type '${part.type}' are`;
    ctx.addIssue({ code: "custom", path: ["type"], message: `${what} not supported by this model: send text only.` });
  })
  .transform((part) => String(part.text));

const contentSchema = z.union([z.string(), z.array(contentPartSchema)], {
  error: "content must be a string or an array of text parts",
});

const messageSchema = z
  .object({
    role: z.enum(["system", "developer", "user", "assistant"], {
      error: "role must be one of 'system', 'developer', 'user' or 'assistant' (tool calls are not supported)",
    }),
    // An assistant message may omit its content in OpenAI's API (tool calls); we have no tools, so it is just empty.
    content: contentSchema.nullish(),
    name: optional(z.string()),
  })
  .superRefine((message, ctx) => {
    if (message.role !== "assistant" && message.content == null) {
      ctx.addIssue({ code: "custom", path: ["content"], message: `a ${message.role} message must have content` });
    }
  })
  // Text parts are joined with a newline, as vLLM does, so separate parts do not run into one word.
  .transform((message) => ({
    role: message.role,
    content: Array.isArray(message.content) ? message.content.join("\n") : (message.content ?? ""),
  }));

const stopSchema = z.union(
  [z.string(), z.array(z.string()).max(4, "stop must have at most 4 sequences")],
  { error: "stop must be a string or an array of up to 4 strings" },
);

export const chatCompletionRequestSchema = z
  .object({
    model: z.string({ error: "you must provide a model parameter" }).min(1, "you must provide a model parameter"),
    messages: z
      .array(messageSchema, { error: "messages must be an array of messages" })
      .min(1, "messages must contain at least one message"),
    max_tokens: optional(z.number().int("max_tokens must be an integer").min(1, "max_tokens must be at least 1")),
    max_completion_tokens: optional(
      z.number().int("max_completion_tokens must be an integer").min(1, "max_completion_tokens must be at least 1"),
    ),
    temperature: optional(z.number().min(0, "temperature must be between 0 and 2").max(2, "temperature must be between 0 and 2")),
    top_p: optional(z.number().min(0, "top_p must be between 0 and 1").max(1, "top_p must be between 0 and 1")),
    /** Extension (llama.cpp, vLLM): 0 = off. */
    top_k: optional(z.number().int("top_k must be an integer").min(0, "top_k must be 0 (off) or more")),
    /** Extension (llama.cpp, vLLM): 1 = off. */
    repetition_penalty: optional(
      z.number().gt(0, "repetition_penalty must be greater than 0").max(2, "repetition_penalty must be at most 2"),
    ),
    seed: optional(z.number().int("seed must be an integer")),
    /** Extension: prompt-lookup speculative decoding (default on: lib/speculative-default.ts; same output, only the speed differs). */
    speculative: optional(z.boolean({ error: "speculative must be a boolean" })),
    stop: optional(stopSchema),
    logprobs: optional(z.boolean({ error: "logprobs must be a boolean" })),
    top_logprobs: optional(z.number({ error: "top_logprobs must be an integer" }).int("top_logprobs must be an integer")),
    n: optional(z.number().int("n must be an integer")).refine((n) => n == null || n === 1, "Only n=1 is supported."),
    stream: optional(z.boolean({ error: "stream must be a boolean" })),
    stream_options: optional(z.object({ include_usage: optional(z.boolean()) })),
    /** OpenAI's end-user id; here it also separates callers' KV-cache reuse (see api-caller.ts). */
    user: optional(z.string({ error: "user must be a string" }).max(256, "user must be at most 256 characters")),
  })
  .superRefine((body, ctx) => {
    // OpenAI's own messages and codes for these (measured against the API; `params.code` → the error's code).
    const top = body.top_logprobs;
    if (top != null && top < 0) {
      const message = `Invalid 'top_logprobs': integer below minimum value. Expected a value >= 0, but got ${top} instead.`;
      ctx.addIssue({ code: "custom", path: ["top_logprobs"], message, params: { code: "integer_below_min_value" } });
    } else if (top != null && top > MAX_TOP_LOGPROBS) {
      ctx.addIssue({ code: "custom", path: ["top_logprobs"], message: `Invalid value for 'top_logprobs': must be less than or equal to ${MAX_TOP_LOGPROBS}.` });
    } else if (top != null && body.logprobs !== true) {
      ctx.addIssue({ code: "custom", path: ["top_logprobs"], message: "The 'top_logprobs' parameter is only allowed when 'logprobs' is enabled." });
    }
    // OpenAI rejects this combination too, rather than silently ignoring the options.
    if (body.stream_options != null && body.stream !== true) {
      ctx.addIssue({
        code: "custom",
        path: ["stream_options"],
        message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      });
    }
  });

export type ChatCompletionRequest = z.input<typeof chatCompletionRequestSchema>;
export type ParsedChatCompletionRequest = z.output<typeof chatCompletionRequestSchema>;

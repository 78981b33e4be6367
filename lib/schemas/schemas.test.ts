import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_CHARS, chatRequestSchema } from "./chat";
import { conversationExportSchema, createConversationSchema, exportFormatSchema, listConversationsQuerySchema, updateConversationSchema } from "./conversations";
import { chatEventSchemas } from "./events";
import { DEFAULT_GENERATION_PARAMS, PARAM_LIMITS, generationParamsSchema } from "./params";

const valid = (value: unknown) => generationParamsSchema.safeParse(value).success;
const withParam = (key: string, value: unknown) => ({ ...DEFAULT_GENERATION_PARAMS, [key]: value });

describe("generationParamsSchema", () => {
  it("accepts the defaults", () => {
    expect(generationParamsSchema.parse(DEFAULT_GENERATION_PARAMS)).toEqual(DEFAULT_GENERATION_PARAMS);
  });

  it.each(Object.entries(PARAM_LIMITS))("%s: accepts both bounds, rejects just outside them", (key, { min, max }) => {
    expect(valid(withParam(key, min))).toBe(true);
    expect(valid(withParam(key, max))).toBe(true);
    expect(valid(withParam(key, min - 0.001))).toBe(false);
    expect(valid(withParam(key, max + 0.001))).toBe(false);
    expect(valid(withParam(key, String(min)))).toBe(false);
  });

  it("integers where counts are meant, a nullable 32-bit seed, a bounded system prompt", () => {
    expect(valid(withParam("topK", 2.5))).toBe(false);
    expect(valid(withParam("maxNewTokens", 10.5))).toBe(false);
    expect(valid(withParam("seed", null))).toBe(true);
    expect(valid(withParam("seed", 0))).toBe(true);
    expect(valid(withParam("seed", 4_294_967_295))).toBe(true);
    expect(valid(withParam("seed", 4_294_967_296))).toBe(false);
    expect(valid(withParam("seed", -1))).toBe(false);
    expect(valid(withParam("seed", 1.5))).toBe(false);
    expect(valid(withParam("systemPrompt", "x".repeat(8_000)))).toBe(true);
    expect(valid(withParam("systemPrompt", "x".repeat(8_001)))).toBe(false);
    expect(valid(withParam("temperature", Number.NaN))).toBe(false);
  });
});

describe("chatRequestSchema", () => {
  it("content: non-blank, at most 32k characters; mode defaults to send", () => {
    expect(chatRequestSchema.parse({ content: "hi" })).toEqual({ content: "hi", mode: "send" });
    expect(chatRequestSchema.safeParse({ content: "x".repeat(MAX_MESSAGE_CHARS) }).success).toBe(true);
    expect(chatRequestSchema.safeParse({ content: "x".repeat(MAX_MESSAGE_CHARS + 1) }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ content: " \n\t " }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ content: 1 }).success).toBe(false);
    expect(chatRequestSchema.safeParse({}).success).toBe(false);
  });

  it("params are partial but checked; conversationId is a bounded non-empty string", () => {
    expect(chatRequestSchema.safeParse({ content: "hi", params: { topP: 0.5 } }).success).toBe(true);
    expect(chatRequestSchema.safeParse({ content: "hi", params: { topP: 1.5 } }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ content: "hi", conversationId: "" }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ content: "hi", conversationId: "x".repeat(65) }).success).toBe(false);
    expect(chatRequestSchema.safeParse({ content: "hi", mode: "edit" }).success).toBe(true);
    expect(chatRequestSchema.safeParse({ content: "hi", mode: "other" }).success).toBe(false);
  });
});

describe("conversation schemas", () => {
  it("list query: q up to 200 characters, limit 1–500 coerced from the query string", () => {
    expect(listConversationsQuerySchema.parse({ limit: "20" })).toEqual({ limit: 20 });
    expect(listConversationsQuerySchema.parse({})).toEqual({ limit: 200 });
    expect(listConversationsQuerySchema.safeParse({ limit: "0" }).success).toBe(false);
    expect(listConversationsQuerySchema.safeParse({ limit: "501" }).success).toBe(false);
    expect(listConversationsQuerySchema.safeParse({ q: "x".repeat(201) }).success).toBe(false);
  });

  it("titles are trimmed, non-empty, at most 200 characters; an update must change something", () => {
    expect(updateConversationSchema.parse({ title: "  Hi  " })).toEqual({ title: "Hi" });
    expect(updateConversationSchema.safeParse({ title: "   " }).success).toBe(false);
    expect(updateConversationSchema.safeParse({ title: "x".repeat(201) }).success).toBe(false);
    expect(updateConversationSchema.safeParse({}).success).toBe(false);
    expect(createConversationSchema.safeParse({}).success).toBe(true);
  });

  it("export format is md or json (json by default); export files are validated on import", () => {
    expect(exportFormatSchema.parse({})).toEqual({ format: "json" });
    expect(exportFormatSchema.safeParse({ format: "pdf" }).success).toBe(false);
    const base = { format: "bitnet-chat/conversation@1", title: "t", createdAt: "x", updatedAt: "x", params: {}, messages: [] };
    expect(conversationExportSchema.safeParse(base).success).toBe(true);
    expect(conversationExportSchema.safeParse({ ...base, format: "v2" }).success).toBe(false);
    expect(conversationExportSchema.safeParse({ ...base, messages: [{ role: "user", content: "x".repeat(200_001), createdAt: "x" }] }).success).toBe(false);
  });
});

describe("chat events", () => {
  it("every event name has a schema that rejects a wrong shape", () => {
    expect(Object.keys(chatEventSchemas).sort()).toEqual(["compare", "done", "error", "prefill", "queued", "snapshot", "start", "token"]);
    expect(chatEventSchemas.token.safeParse({ text: "a", id: 1 }).success).toBe(true);
    expect(chatEventSchemas.token.safeParse({ text: 1, id: 1 }).success).toBe(false);
    expect(chatEventSchemas.done.safeParse({ messageId: "m", status: "paused", stats: {} }).success).toBe(false);
    const snapshot = {
      conversationId: "c", userMessageId: "u", messageId: "m", title: "t", text: "so far", phase: "generating", queuePosition: null,
      stats: { promptTokens: 3, completionTokens: 2, elapsedMs: 10, ttftMs: null },
    };
    expect(chatEventSchemas.snapshot.safeParse(snapshot).success).toBe(true);
    expect(chatEventSchemas.snapshot.safeParse({ ...snapshot, phase: "done" }).success).toBe(false);
    expect(chatEventSchemas.token.safeParse({ text: "a", id: 1, answer: 1 }).success).toBe(true);
    expect(chatEventSchemas.token.safeParse({ text: "a", id: 1, answer: 2 }).success).toBe(false);
    const side = { messageId: "m", params: DEFAULT_GENERATION_PARAMS, text: "", phase: "queued", queuePosition: 1, ended: false, status: null };
    const compare = { conversationId: "c", userMessageId: "u", title: "t", answers: [side, side] };
    expect(chatEventSchemas.compare.safeParse(compare).success).toBe(true);
    expect(chatEventSchemas.compare.safeParse({ ...compare, answers: [side] }).success).toBe(false);
  });
});

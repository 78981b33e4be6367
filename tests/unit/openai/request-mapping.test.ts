import { describe, expect, it } from "vitest";
import { chatCompletionRequestSchema } from "@/lib/schemas/openai";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import { fromZodError, OpenAIApiError } from "@/server/openai/errors";
import { toEngineSeed, toGenerateRequest } from "@/server/openai/to-generate-request";

const user = (content: unknown) => ({ role: "user", content });

function parse(body: Record<string, unknown>) {
  return chatCompletionRequestSchema.parse({ model: "m", messages: [user("hi")], ...body });
}

/** The OpenAI error a body would get: status, param and message. */
function rejection(body: Record<string, unknown>) {
  const result = chatCompletionRequestSchema.safeParse(body);
  if (result.success) throw new Error("expected the body to be rejected");
  const error = fromZodError(result.error);
  return { status: error.status, param: error.param, message: error.message, code: error.code };
}

describe("chat completion request schema", () => {
  it("accepts text-part arrays and joins them", () => {
    const body = parse({ messages: [user([{ type: "text", text: "a" }, { type: "text", text: "b" }])] });
    expect(body.messages[0]).toEqual({ role: "user", content: "a\nb" });
  });

  it("rejects images with a clear message pointing at the part", () => {
    const error = rejection({ model: "m", messages: [user([{ type: "text", text: "a" }, { type: "image_url", image_url: { url: "x" } }])] });
    expect(error).toMatchObject({ status: 400, param: "messages[0].content[1].type" });
    expect(error.message).toMatch(/Image inputs are not supported/);
  });

  it("names the offending parameter", () => {
    expect(rejection({ model: "m", messages: [user("x")], temperature: 5 })).toMatchObject({ param: "temperature" });
    expect(rejection({ model: "m", messages: [user("x")], n: 2 })).toMatchObject({ param: "n", message: "Only n=1 is supported." });
    expect(rejection({ model: "m", messages: [user("x")], top_p: 1.5 })).toMatchObject({ param: "top_p" });
    expect(rejection({ model: "m", messages: [user("x")], stop: ["a", "b", "c", "d", "e"] })).toMatchObject({ param: "stop" });
    expect(rejection({ model: "m", messages: [user("x")], max_tokens: 0 })).toMatchObject({ param: "max_tokens" });
    expect(rejection({ model: "m", messages: [{ role: "tool", content: "x" }] })).toMatchObject({ param: "messages[0].role" });
    expect(rejection({ model: "m", messages: [] })).toMatchObject({ param: "messages" });
    expect(rejection({ messages: [user("x")] })).toMatchObject({ param: "model", code: "missing_required_parameter" });
    expect(rejection({ model: "m", messages: [user("x")], stream_options: { include_usage: true } })).toMatchObject({
      param: "stream_options",
    });
  });

  it("ignores unknown fields and treats null as unset, like OpenAI", () => {
    const body = parse({ frequency_penalty: 0.5, user: "me", temperature: null, stop: null, n: 1 });
    expect(body).not.toHaveProperty("frequency_penalty");
    expect(body.temperature).toBeNull();
  });

  it("lets an assistant message have null content", () => {
    const body = parse({ messages: [user("a"), { role: "assistant", content: null }, user("b")] });
    expect(body.messages[1]).toEqual({ role: "assistant", content: "" });
  });
});

describe("toGenerateRequest", () => {
  it("maps every sampling field", () => {
    const request = toGenerateRequest(
      parse({ temperature: 0, top_p: 0.5, top_k: 7, repetition_penalty: 1.3, seed: 42, max_tokens: 9, stop: "END", speculative: false }),
      4096,
    );
    expect(request.params).toEqual({ temperature: 0, topP: 0.5, topK: 7, maxNewTokens: 9, repetitionPenalty: 1.3, seed: 42, speculative: false });
    expect(request.stop).toEqual(["END"]);
  });

  it("uses the chat UI's sampling defaults and the context window as length for omitted fields", () => {
    const { params, stop } = toGenerateRequest(parse({}), 4096);
    expect(params).toEqual({
      temperature: DEFAULT_GENERATION_PARAMS.temperature,
      topP: DEFAULT_GENERATION_PARAMS.topP,
      topK: DEFAULT_GENERATION_PARAMS.topK,
      maxNewTokens: 4096,
      repetitionPenalty: DEFAULT_GENERATION_PARAMS.repetitionPenalty,
      seed: null,
    });
    expect(stop).toEqual([]);
  });

  it("prefers max_completion_tokens and rejects more than the context", () => {
    expect(toGenerateRequest(parse({ max_tokens: 5, max_completion_tokens: 7 }), 4096).params.maxNewTokens).toBe(7);
    expect(() => toGenerateRequest(parse({ max_completion_tokens: 5000 }), 4096)).toThrow(
      expect.objectContaining({ status: 400, param: "max_completion_tokens" }),
    );
    expect(() => toGenerateRequest(parse({ max_tokens: 5000 }), 4096)).toThrow(expect.objectContaining({ param: "max_tokens" }));
  });

  it("gathers system and developer messages into one leading system turn", () => {
    const request = toGenerateRequest(
      parse({
        messages: [
          { role: "system", content: "Be brief." },
          user("q1"),
          { role: "assistant", content: "a1" },
          { role: "developer", content: "Answer in French." },
          user("q2"),
        ],
      }),
      4096,
    );
    expect(request.messages).toEqual([
      { role: "system", content: "Be brief.\n\nAnswer in French." },
      { role: "user", content: "q1" },
      { role: "assistant", content: "a1" },
      { role: "user", content: "q2" },
    ]);
  });

  it("requires the conversation to end with a user message", () => {
    const body = parse({ messages: [user("q"), { role: "assistant", content: "a" }] });
    expect(() => toGenerateRequest(body, 4096)).toThrow(OpenAIApiError);
    expect(() => toGenerateRequest(parse({ messages: [{ role: "system", content: "s" }] }), 4096)).toThrow(
      expect.objectContaining({ param: "messages" }),
    );
  });

  it("drops empty stop strings", () => {
    expect(toGenerateRequest(parse({ stop: ["", "x"] }), 4096).stop).toEqual(["x"]);
  });

  it("wraps seeds into the engine's 32-bit range deterministically", () => {
    expect(toEngineSeed(7)).toBe(7);
    expect(toEngineSeed(2 ** 32 + 7)).toBe(7);
    expect(toEngineSeed(-1)).toBe(2 ** 32 - 1);
  });
});

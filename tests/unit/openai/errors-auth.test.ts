import { describe, expect, it } from "vitest";
import { EngineError } from "@/server/engine/types";
import { DEFAULT_THROTTLE, KeyThrottle } from "@/server/auth/key-throttle";
import { checkApiKey } from "@/server/openai/auth";
import { errorResponse, OpenAIApiError, paramPath, toOpenAIError } from "@/server/openai/errors";

describe("OpenAI-shaped errors", () => {
  it("names nested params the OpenAI way", () => {
    expect(paramPath(["messages", 0, "content", 1, "type"])).toBe("messages[0].content[1].type");
    expect(paramPath(["temperature"])).toBe("temperature");
    expect(paramPath([])).toBeNull();
  });

  it("maps engine errors to status codes", () => {
    const busy = toOpenAIError(new EngineError("busy", "queue full"));
    expect([busy.status, busy.code, busy.retryAfter]).toEqual([429, "queue_full", 5]);
    const notReady = toOpenAIError(new EngineError("not_ready", "downloading"));
    expect([notReady.status, notReady.type, notReady.retryAfter]).toEqual([503, "server_error", 10]);
    const overflow = toOpenAIError(new EngineError("context_overflow", "too long"));
    expect([overflow.status, overflow.param, overflow.code]).toEqual([400, "messages", "context_length_exceeded"]);
    expect(toOpenAIError(new EngineError("internal", "boom")).status).toBe(500);
  });

  it("recognizes engine errors from another bundle copy by name and code", () => {
    const foreign = Object.assign(new Error("queue full"), { name: "EngineError", code: "busy" });
    expect(toOpenAIError(foreign).status).toBe(429);
  });

  it("answers the exact body and Retry-After, and hides unexpected errors", async () => {
    const busy = errorResponse(new EngineError("busy", "The server is busy."));
    expect(busy.status).toBe(429);
    expect(busy.headers.get("retry-after")).toBe("5");
    expect(await busy.json()).toEqual({ error: { message: "The server is busy.", type: "rate_limit_error", param: null, code: "queue_full" } });

    const original = console.error;
    console.error = () => {};
    try {
      const hidden = errorResponse(new TypeError("secret at /srv/x.ts:12"));
      expect(hidden.status).toBe(500);
      const text = await hidden.text();
      expect(text).not.toMatch(/secret|x\.ts/);
      expect(JSON.parse(text).error.type).toBe("server_error");
    } finally {
      console.error = original;
    }
  });
});

describe("API key check", () => {
  const headers = (authorization?: string) => new Headers(authorization ? { authorization } : {});
  const throttle = () => new KeyThrottle({ ...DEFAULT_THROTTLE, baseDelayMs: 1, maxDelayMs: 2 });

  it("lets everything through when no key is configured", async () => {
    await expect(checkApiKey(headers(), "")).resolves.toBeUndefined();
    await expect(checkApiKey(headers("Bearer whatever"), undefined)).resolves.toBeUndefined();
  });

  it("requires the exact bearer key when one is configured", async () => {
    const t = throttle();
    await expect(checkApiKey(headers("Bearer s3cret"), "s3cret", t)).resolves.toBeUndefined();
    await expect(checkApiKey(headers("bearer  s3cret "), "s3cret", t)).resolves.toBeUndefined();
    for (const bad of [undefined, "Bearer wrong", "Bearer s3cre", "Bearer s3cret2", "s3cret", "Basic czNjcmV0"]) {
      const thrown = await checkApiKey(headers(bad), "s3cret", t).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(thrown, String(bad)).toBeInstanceOf(OpenAIApiError);
      expect((thrown as OpenAIApiError).status).toBe(401);
      expect((thrown as OpenAIApiError).code).toBe("invalid_api_key");
    }
    // Only the guesses were counted (a missing or non-Bearer header guesses nothing).
    expect(t.failuresOf("unknown")).toBe(3);
  });

  it("answers 429 in OpenAI's shape when the address has too many attempts waiting", async () => {
    const t = new KeyThrottle({ ...DEFAULT_THROTTLE, baseDelayMs: 50, maxDelayMs: 50, maxWaiting: 1 });
    const first = checkApiKey(headers("Bearer wrong"), "s3cret", t).catch((error: unknown) => error);
    const second = (await checkApiKey(headers("Bearer wrong"), "s3cret", t).catch((error: unknown) => error)) as OpenAIApiError;
    expect([second.status, second.type, second.code]).toEqual([429, "rate_limit_error", "too_many_attempts"]);
    expect(second.retryAfter).toBeGreaterThanOrEqual(1);
    expect(((await first) as OpenAIApiError).status).toBe(401);
  });
});

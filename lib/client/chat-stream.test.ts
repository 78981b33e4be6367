import { describe, expect, it } from "vitest";
import { parseChatEvent } from "./chat-stream";

describe("parseChatEvent", () => {
  it("returns typed events that match the contract", () => {
    expect(parseChatEvent("token", JSON.stringify({ text: "Hi", id: 5 }))).toEqual({ event: "token", data: { text: "Hi", id: 5 } });
    expect(parseChatEvent("queued", '{"position":3}')).toEqual({ event: "queued", data: { position: 3 } });
  });

  it("skips unknown events, bad JSON and frames that break the schema", () => {
    expect(parseChatEvent("message", "{}")).toBeNull();
    expect(parseChatEvent("token", "{not json")).toBeNull();
    expect(parseChatEvent("token", JSON.stringify({ text: 1 }))).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { headerTitle, rememberTitles } from "./known-titles";

describe("headerTitle", () => {
  it("is the conversation's title, or one learnt from the list or a running compare — never 'New chat' for an existing conversation", () => {
    rememberTitles([{ id: "c1", title: "Rivers" }]);
    expect(headerTitle({ title: "Lakes", conversationId: "c1", fallbacks: [] })).toBe("Lakes");
    // Loading: the page has no title yet, the sidebar's list had one.
    expect(headerTitle({ title: "", conversationId: "c1", fallbacks: [] })).toBe("Rivers");
    // A compare pair in a new chat: its own title.
    expect(headerTitle({ title: "", conversationId: null, fallbacks: ["Compare me"] })).toBe("Compare me");
    expect(headerTitle({ title: "", conversationId: "unknown", fallbacks: [undefined] })).toBe("");
    expect(headerTitle({ title: "", conversationId: null, fallbacks: [] })).toBe("New chat");
  });
});

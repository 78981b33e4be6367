import { describe, expect, it } from "vitest";
import { readDraft, writeDraft } from "./drafts";

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    key: (i: number) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

describe("drafts", () => {
  it("keeps one draft per conversation and one for the new chat; empty text removes it", () => {
    const store = memoryStorage();
    writeDraft("a", "half a thought", store);
    writeDraft(null, "new chat text", store);
    expect(readDraft("a", store)).toBe("half a thought");
    expect(readDraft(null, store)).toBe("new chat text");
    expect(readDraft("b", store)).toBe("");
    writeDraft("a", "   ", store);
    expect(readDraft("a", store)).toBe("");
    expect(store.length).toBe(1);
  });

  it("keeps only the 50 most recent drafts", () => {
    const store = memoryStorage();
    for (let i = 0; i < 60; i++) writeDraft(`c${i}`, `draft ${i}`, store, 1000 + i);
    expect(store.length).toBe(50);
    expect(readDraft("c0", store)).toBe("");
    expect(readDraft("c59", store)).toBe("draft 59");
  });

  it("survives garbage in storage", () => {
    const store = memoryStorage();
    store.setItem("bitnet-chat:draft:x", "{not json");
    expect(readDraft("x", store)).toBe("");
  });
});

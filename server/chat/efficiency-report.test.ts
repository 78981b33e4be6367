import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import * as conversationsRepo from "@/server/db/conversations-repo";
import * as messagesRepo from "@/server/db/messages-repo";
import { openTempDb, type TempDb } from "@/server/db/testing/temp-db";
import { efficiencyReport } from "./efficiency-report";

let open: TempDb | null = null;
afterEach(() => open?.dispose());

const status: ModelStatusDto = {
  state: "ready",
  modelId: "m",
  isDemo: false,
  progress: null,
  error: null,
  contextLength: 4096,
  weights: { bytesPerToken: 10, parameters: 40, fp16BytesPerToken: 80 },
};

const stats = (promptTokens: number, completionTokens: number, decodeTokPerS: number) => ({
  promptTokens,
  completionTokens,
  cachedPromptTokens: 0,
  ttftMs: 100,
  prefillTokPerS: 50,
  decodeTokPerS,
  totalMs: 1000,
  stopReason: "eos" as const,
});

describe("efficiencyReport", () => {
  it("plots recent answers with a decode speed (newest first) and reports weights and bandwidth", async () => {
    open = openTempDb();
    const db = open.db;
    conversationsRepo.createConversation(db, { id: "c", title: "t", params: DEFAULT_GENERATION_PARAMS, createdAt: new Date(1000) });
    const add = (id: string, role: "user" | "assistant", s: ReturnType<typeof stats> | null, at: number) =>
      messagesRepo.insertMessage(db, { message: { id, conversationId: "c", role, content: id, stats: s, createdAt: new Date(at) } });
    add("u1", "user", null, 1);
    add("a1", "assistant", stats(10, 20, 12.5), 2);
    add("a2", "assistant", stats(30, 1, 0), 3); // one token: no decode speed to plot
    add("a3", "assistant", stats(40, 60, 9), 4);
    const report = await efficiencyReport({
      db: open.store,
      status,
      bandwidth: async () => ({ bytesPerSecond: 2e10, threads: 2, bufferBytes: 1, measuredAt: "2026-01-01T00:00:00.000Z" }),
      limit: 10,
    });
    expect(report.answers.map((a) => [a.messageId, a.contextTokens, a.decodeTokPerS])).toEqual([
      ["a3", 100, 9],
      ["a1", 30, 12.5],
    ]);
    expect(report.weights).toEqual(status.weights);
    expect(report.memoryBandwidth).toEqual({ bytesPerSecond: 2e10, threads: 2, measuredAt: "2026-01-01T00:00:00.000Z" });
  });

  it("still answers when the bandwidth measurement fails", async () => {
    open = openTempDb();
    const report = await efficiencyReport({ db: open.store, status: { ...status, weights: undefined }, bandwidth: () => Promise.reject(new Error("no")), limit: 5 });
    expect(report).toMatchObject({ memoryBandwidth: null, weights: null, answers: [] });
  });
});

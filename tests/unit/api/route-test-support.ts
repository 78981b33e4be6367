/**
 * Route handlers are called directly as functions with `new Request(...)`. The database is a fresh
 * temp file per test (DATABASE_PATH + dropping the cached connection); the model host is replaced by
 * `mockHost` (see vi.mock in each suite) whose engine a test sets.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import { answerRegistry } from "@/server/chat/answer-registry";
import { closeDatabase, getDatabase } from "@/server/db/client";
import { tableCounts, tempDbFile } from "@/server/db/testing/temp-db";
import { EngineError, type Engine } from "@/server/engine/types";
import type { ModelHost } from "@/server/host/model-host-types";

export const hostState: { engine: Engine | null; status: ModelStatusDto; actions: string[] } = {
  engine: null,
  status: { state: "loading", modelId: "test", isDemo: false, progress: null, error: null, contextLength: null },
  actions: [],
};

export const mockHost: ModelHost = {
  status: () => hostState.status,
  start: () => undefined,
  useDemoModel: async () => void hostState.actions.push("use-demo"),
  useRealModel: async () => void hostState.actions.push("use-real"),
  retry: async () => void hostState.actions.push("retry"),
  engine: () => {
    if (!hostState.engine) throw new EngineError("not_ready", "The model is still loading.");
    return hostState.engine;
  },
  subscribe: () => () => undefined,
};

let current: string | null = null;

export function useTempDatabase(): void {
  current = tempDbFile();
  process.env.DATABASE_PATH = current;
  closeDatabase();
}

/** Answers still running (a test that left one) are stopped and saved before their database goes. */
export async function disposeTempDatabase(): Promise<void> {
  await answerRegistry().stopAll();
  closeDatabase();
  if (current) rmSync(path.dirname(current), { recursive: true, force: true });
  current = null;
  hostState.engine = null;
  hostState.actions = [];
}

export function counts() {
  return tableCounts(getDatabase());
}

export function jsonRequest(url: string, body: unknown, init: RequestInit = {}): Request {
  return new Request(`http://localhost${url}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
}

export const params = <T extends Record<string, string>>(value: T) => ({ params: Promise.resolve(value) });

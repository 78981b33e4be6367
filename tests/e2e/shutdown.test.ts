/**
 * Issue 10 finding 8 (shutdown part): SIGTERM while an answer streams stops it, saves it as "stopped"
 * with the text so far, checkpoints the WAL into the database file and exits 0.
 */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, describe, expect, inject, it } from "vitest";
import { readSseStream } from "@/lib/sse/parse";
import { startAppServer, type AppServer } from "./support/app-server";

describe("graceful shutdown (production server)", () => {
  let server: AppServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it("SIGTERM mid-answer: the answer is saved as stopped, no -wal file is left, exit code 0", async () => {
    server = await startAppServer({ BITNET_MODEL: inject("tinyOnnx") }, { waitForModel: true });
    const response = await fetch(`${server.baseUrl}/api/chat`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ content: "Tell me a very long story.", params: { maxNewTokens: 2048, temperature: 1 } }),
    });
    expect(response.status).toBe(200);
    const events = readSseStream(response.body!)[Symbol.asyncIterator]();
    let streamed = "";
    let tokens = 0;
    while (tokens < 5) {
      const next = await events.next();
      if (next.done) throw new Error("the answer ended before SIGTERM could be sent");
      if (next.value.event === "token") {
        tokens++;
        streamed += (JSON.parse(next.value.data) as { text: string }).text;
      }
    }

    const exitCode = await server.signal("SIGTERM");
    const rest: string[] = [];
    try {
      for (let next = await events.next(); !next.done; next = await events.next()) rest.push(next.value.event);
    } catch {
      // The connection may close right after the last event.
    }
    expect(exitCode, server.logs()).toBe(0);
    // Checkpointed and closed: SQLite removes the -wal (and -shm) file of a cleanly closed database.
    expect(existsSync(`${server.databasePath}-wal`), "a -wal file is left").toBe(false);

    const db = new Database(server.databasePath, { readonly: true });
    try {
      const answer = db.prepare("SELECT content, status FROM messages WHERE role = 'assistant' ORDER BY seq DESC LIMIT 1").get() as {
        content: string;
        status: string;
      };
      expect(answer.status).toBe("stopped");
      // Everything streamed before the signal is in the saved answer (which may hold a few tokens more).
      expect(streamed.trim().length).toBeGreaterThan(0);
      expect(answer.content.trim().startsWith(streamed.trim()), JSON.stringify({ saved: answer.content.slice(0, 120), streamed })).toBe(true);
    } finally {
      db.close();
    }
  });
});

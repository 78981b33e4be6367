/**
 * Search time (titles + each conversation's active branch) on a synthetic store: 2 000 conversations
 * × 10 turns, every third answer regenerated once (so old versions exist): 22 000 messages. Median of 7.
 * Run: npx tsx scripts/bench-search-branches.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import * as conversationsRepo from "@/server/db/conversations-repo";
import * as messagesRepo from "@/server/db/messages-repo";
import { openDatabase } from "@/server/db/open-database";
import { searchConversations } from "@/server/db/search-repo";

const dir = mkdtempSync(path.join(tmpdir(), "bench-search-"));
const open = openDatabase(path.join(dir, "bench.db"));
const words = ["river", "mountain", "penguin", "bread", "rocket", "garden", "violin", "planet", "coffee", "lantern"];
const now = new Date();
open.db.transaction((tx) => {
  for (let c = 0; c < 2000; c += 1) {
    const id = `c${c}`;
    conversationsRepo.createConversation(tx, { id, title: `Chat ${c}`, params: DEFAULT_GENERATION_PARAMS, createdAt: now });
    let parent: string | null = null;
    for (let t = 0; t < 5; t += 1) {
      const u = `${id}u${t}`;
      const a = `${id}a${t}`;
      messagesRepo.insertMessage(tx, { message: { id: u, conversationId: id, parentId: parent, role: "user", content: `question about the ${words[(c + t) % 10]} number ${t}`, status: "complete", createdAt: now } });
      if (t % 3 === 0) messagesRepo.insertMessage(tx, { message: { id: `${a}old`, conversationId: id, parentId: u, role: "assistant", content: `an older answer about the ${words[(c + t + 3) % 10]}`, status: "complete", createdAt: now } });
      messagesRepo.insertMessage(tx, { message: { id: a, conversationId: id, parentId: u, role: "assistant", content: `the answer mentions the ${words[(c + t + 1) % 10]} and the ${words[(c + t + 2) % 10]}`, status: "complete", createdAt: now } });
      parent = a;
    }
    conversationsRepo.setActiveLeaf(tx, { id, leafId: parent });
  }
});

const time = (f: () => unknown) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};
for (const query of ["answer", "penguin", "older lantern"]) {
  const runs: number[] = [];
  let found = 0;
  for (let i = 0; i < 7; i += 1) runs.push(time(() => (found = searchConversations(open.db, { query, limit: 200 }).length)));
  console.log(`${JSON.stringify(query)}: ${[...runs].sort((x, y) => x - y)[3]!.toFixed(1)} ms (${found} conversations)`);
}
open.close();
rmSync(dir, { recursive: true, force: true });

/**
 * Search time (titles + each conversation's active branch) on a synthetic store: N conversations × T
 * turns, every third answer regenerated once (so old versions exist). Interleaved in one run (A B A B…,
 * median of 7 each) with earlier versions of server/db/search-repo.ts read from git (default: the
 * pre-tree search of commit 881d10d, where every message matches), so the ratios hold however loaded
 * the machine is.
 * Run: npx tsx scripts/bench/bench-search-branches.ts [--conversations 2000] [--turns 5] [--baseline <commit>]…
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import * as conversationsRepo from "@/server/db/conversations-repo";
import * as messagesRepo from "@/server/db/messages-repo";
import { openDatabase } from "@/server/db/open-database";
import { searchConversations } from "@/server/db/search-repo";

const { values } = parseArgs({
  options: {
    conversations: { type: "string", default: "2000" },
    turns: { type: "string", default: "5" },
    baseline: { type: "string", multiple: true, default: ["881d10d"] },
  },
});
const conversations = Number(values.conversations);
const turns = Number(values.turns);

const dir = mkdtempSync(path.join(tmpdir(), "bench-search-"));
const open = openDatabase(path.join(dir, "bench.db"));
const words = ["river", "mountain", "penguin", "bread", "rocket", "garden", "violin", "planet", "coffee", "lantern"];
const now = new Date();
let messageCount = 0;
open.db.transaction((tx) => {
  for (let c = 0; c < conversations; c += 1) {
    const id = `c${c}`;
    conversationsRepo.createConversation(tx, { id, title: `Chat ${c}`, params: DEFAULT_GENERATION_PARAMS, createdAt: now });
    let parent: string | null = null;
    for (let t = 0; t < turns; t += 1) {
      const u = `${id}u${t}`;
      const a = `${id}a${t}`;
      messagesRepo.insertMessage(tx, { message: { id: u, conversationId: id, parentId: parent, role: "user", content: `question about the ${words[(c + t) % 10]} number ${t}`, status: "complete", createdAt: now } });
      if (t % 3 === 0) {
        messagesRepo.insertMessage(tx, { message: { id: `${a}old`, conversationId: id, parentId: u, role: "assistant", content: `an older answer about the ${words[(c + t + 3) % 10]}`, status: "complete", createdAt: now } });
        messageCount += 1;
      }
      messagesRepo.insertMessage(tx, { message: { id: a, conversationId: id, parentId: u, role: "assistant", content: `the answer mentions the ${words[(c + t + 1) % 10]} and the ${words[(c + t + 2) % 10]}`, status: "complete", createdAt: now } });
      messageCount += 2;
      parent = a;
    }
    conversationsRepo.setActiveLeaf(tx, { id, leafId: parent });
  }
});

type Search = typeof searchConversations;
/** Each baseline's search-repo.ts, written next to the current one so its relative imports resolve. */
const baselines: { commit: string; search: Search }[] = [];
for (const commit of values.baseline) {
  const file = path.join(import.meta.dirname, "..", "..", "server", "db", `.bench-search-${commit}-${process.pid}.ts`);
  writeFileSync(file, execFileSync("git", ["show", `${commit}:server/db/search-repo.ts`], { encoding: "utf8" }));
  try {
    baselines.push({ commit, search: ((await import(file)) as { searchConversations: Search }).searchConversations });
  } finally {
    rmSync(file);
  }
}

const time = (f: () => unknown) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
console.log(`${conversations} conversations × ${turns} turns, ${messageCount} messages`);
for (const query of ["answer", "penguin", "older lantern"]) {
  const variants = [{ name: "current", search: searchConversations }, ...baselines.map((b) => ({ name: b.commit, search: b.search }))];
  const runs = variants.map(() => [] as number[]);
  const found = variants.map(() => 0);
  for (let i = 0; i < 7; i += 1) {
    variants.forEach((v, j) => runs[j]!.push(time(() => (found[j] = v.search(open.db, { query, limit: 200 }).length))));
  }
  const current = median(runs[0]!);
  const cells = variants.map((v, j) => `${v.name} ${median(runs[j]!).toFixed(1)} ms (${found[j]} hits${j > 0 ? `, current/this ${(current / median(runs[j]!)).toFixed(2)}` : ""})`);
  console.log(`${JSON.stringify(query)}: ${cells.join(" · ")}`);
}
open.close();
rmSync(dir, { recursive: true, force: true });

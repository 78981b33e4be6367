/**
 * What does saving a streaming answer cost? (issue 10 item 8: the partial text is written every 32
 * tokens or 1 s.) Times the one-row UPDATE the progress saver runs — including the FTS5 trigger that
 * re-indexes the message — for answers of growing length, on a temporary database with the app's
 * pragmas (WAL, synchronous = NORMAL). Sizes are interleaved over rounds so machine load spreads evenly.
 *
 *   npx tsx scripts/bench-partial-save.ts --rounds 3 --saves 300
 */
import { parseArgs } from "node:util";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import * as conversationsRepo from "@/server/db/conversations-repo";
import * as messagesRepo from "@/server/db/messages-repo";
import { openTempDb } from "@/server/db/testing/temp-db";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" }, saves: { type: "string", default: "300" } } });
const rounds = Number(values.rounds);
const saves = Number(values.saves);
const SIZES = [1_000, 8_000, 32_000];
const WORDS = "the quick brown fox jumps over the lazy dog while ternary weights hum along".split(" ");

function textOf(chars: number): string {
  let text = "";
  for (let i = 0; text.length < chars; i += 1) text += `${WORDS[i % WORDS.length]} `;
  return text.slice(0, chars);
}

const t = openTempDb();
try {
  const now = new Date();
  conversationsRepo.createConversation(t.db, { id: "c", title: "bench", params: DEFAULT_GENERATION_PARAMS, createdAt: now });
  messagesRepo.insertMessage(t.db, { message: { id: "a", conversationId: "c", role: "assistant", content: "", status: "stopped", createdAt: now } });
  const samples = new Map<number, number[]>(SIZES.map((size) => [size, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const size of SIZES) {
      const base = textOf(size);
      const start = performance.now();
      for (let i = 0; i < saves; i += 1) messagesRepo.updateMessage(t.db, { id: "a", patch: { content: `${base}${i}` } });
      samples.get(size)!.push(((performance.now() - start) / saves) * 1000);
    }
  }
  console.log("| answer length | µs per partial save (median of rounds) | all rounds |");
  console.log("|---|---|---|");
  for (const [size, us] of samples) {
    const sorted = [...us].sort((a, b) => a - b);
    console.log(`| ${size} chars | ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} | ${us.map((v) => v.toFixed(0)).join(", ")} |`);
  }
} finally {
  t.dispose();
}

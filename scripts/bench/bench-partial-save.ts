/**
 * What does saving a streaming answer cost? (issue 10 item 8: the partial text is written every 32
 * tokens or 1 s.) Times the one-row UPDATE the progress saver runs — including the FTS5 trigger that
 * re-indexes the message — for answers of growing length, on a temporary database with the app's
 * pragmas (WAL, synchronous = NORMAL). Sizes are interleaved over rounds so machine load spreads evenly.
 * The second column adds what a save also writes since the token records are kept with the text: the
 * records of that many tokens (≈ 4.5 characters each, top-5 alternatives) encoded and stored as one blob.
 *
 *   npx tsx scripts/bench/bench-partial-save.ts --rounds 3 --saves 300
 */
import { parseArgs } from "node:util";
import { DEFAULT_GENERATION_PARAMS } from "@/lib/schemas/params";
import * as conversationsRepo from "@/server/db/conversations-repo";
import * as messagesRepo from "@/server/db/messages-repo";
import * as messageTokensRepo from "@/server/db/message-tokens-repo";
import { openTempDb } from "@/server/db/testing/temp-db";
import { encodeTokenBlob, type StoredToken } from "@/server/chat/token-blob";
import { createRng } from "@/lib/seeded-rng";

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

const rng = createRng(7, "bench-partial-save");
const alternative = () => ({ id: rng.nextU32() % 128_000, text: WORDS[rng.nextU32() % WORDS.length], logprob: -rng.nextU32() / 2 ** 30, rawLogprob: -rng.nextU32() / 2 ** 30 });
function recordsOf(chars: number): StoredToken[] {
  return Array.from({ length: Math.round(chars / 4.5) }, () => ({ ...alternative(), top: Array.from({ length: 5 }, alternative) }));
}

const t = openTempDb();
try {
  const now = new Date();
  conversationsRepo.createConversation(t.db, { id: "c", title: "bench", params: DEFAULT_GENERATION_PARAMS, createdAt: now });
  messagesRepo.insertMessage(t.db, { message: { id: "a", conversationId: "c", role: "assistant", content: "", status: "stopped", createdAt: now } });
  const samples = new Map<number, number[]>(SIZES.map((size) => [size, []]));
  const withRecords = new Map<number, number[]>(SIZES.map((size) => [size, []]));
  const records = new Map(SIZES.map((size) => [size, recordsOf(size)]));
  for (let round = 0; round < rounds; round += 1) {
    for (const size of SIZES) {
      const base = textOf(size);
      let start = performance.now();
      for (let i = 0; i < saves; i += 1) messagesRepo.updateMessage(t.db, { id: "a", patch: { content: `${base}${i}` } });
      samples.get(size)!.push(((performance.now() - start) / saves) * 1000);
      start = performance.now();
      for (let i = 0; i < saves; i += 1) {
        t.db.transaction(() => {
          messagesRepo.updateMessage(t.db, { id: "a", patch: { content: `${base}${i}` } });
          messageTokensRepo.saveMessageTokens(t.db, { messageId: "a", data: encodeTokenBlob(records.get(size)!, { draft: true }) });
        });
      }
      withRecords.get(size)!.push(((performance.now() - start) / saves) * 1000);
    }
  }
  const median = (us: number[]) => [...us].sort((a, b) => a - b)[Math.floor(us.length / 2)].toFixed(0);
  console.log("| answer length | µs per partial save, text only (median of rounds) | with the token records (median) | all rounds (text · with records) |");
  console.log("|---|---|---|---|");
  for (const size of SIZES) {
    const text = samples.get(size)!;
    const both = withRecords.get(size)!;
    console.log(`| ${size} chars (${records.get(size)!.length} tokens) | ${median(text)} | ${median(both)} | ${text.map((v) => v.toFixed(0)).join(", ")} · ${both.map((v) => v.toFixed(0)).join(", ")} |`);
  }
} finally {
  t.dispose();
}

/**
 * Fits a conversation into the model's context window: the prompt plus the tokens reserved for the answer
 * must fit in `maxPositions`. When they do not, the oldest exchanges are dropped whole (a user message and
 * the answers that follow it); the system prompt and the newest user message are always kept.
 */
import { EngineError, type ChatTurn } from "./types";

export interface FitOptions {
  maxPositions: number;
  maxNewTokens: number;
  /** The last message is a partial answer to extend: it is kept together with the question it answers. */
  continueFinalMessage?: boolean;
}

export interface FitResult {
  ids: number[];
  /** The messages the prompt was built from (some history possibly dropped). */
  messages: ChatTurn[];
  /** Number of messages (turns) dropped from the start of the history. */
  droppedTurns: number;
  reservedTokens: number;
}

/**
 * Space kept free for the answer. Capped at a quarter of the window so a large max-tokens setting does
 * not throw away most of the history; an answer that runs past the window stops with reason "context".
 */
export function reservedAnswerTokens(maxNewTokens: number, maxPositions: number): number {
  return Math.max(1, Math.min(Math.floor(maxNewTokens), Math.floor(maxPositions / 4)));
}

export function fitContext(
  messages: readonly ChatTurn[],
  encode: (messages: readonly ChatTurn[]) => number[],
  options: FitOptions,
): FitResult {
  if (messages.length === 0) throw new EngineError("internal", "A request needs at least one message.");
  const reservedTokens = reservedAnswerTokens(options.maxNewTokens, options.maxPositions);
  const budget = options.maxPositions - reservedTokens;
  const all = [...messages];
  const full = encode(all);
  if (full.length <= budget) return { ids: full, messages: all, droppedTurns: 0, reservedTokens };

  const system = all[0]!.role === "system" && all.length > 1 ? [all[0]!] : [];
  const lastUser = all.findLastIndex((m) => m.role === "user");
  const tailStart = options.continueFinalMessage ? Math.max(system.length, lastUser) : all.length - 1;
  const newest = all.slice(tailStart);
  const history = all.slice(system.length, tailStart);
  const keepFrom = keptFrom(history);
  const exchanges = keepFrom.length - 1;
  const build = (dropped: number): ChatTurn[] => [...system, ...history.slice(keepFrom[dropped]), ...newest];

  const minimal = build(exchanges);
  const minimalIds = encode(minimal);
  if (minimalIds.length > budget) throw overflow(minimalIds.length, reservedTokens, options.maxPositions, system.length > 0);

  // Fewest exchanges dropped that fit: binary search (the prompt only shrinks as more is dropped).
  let lo = 1;
  let hi = exchanges;
  let best = { messages: minimal, ids: minimalIds };
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const candidate = build(mid);
    const ids = encode(candidate);
    if (ids.length <= budget) {
      best = { messages: candidate, ids };
      hi = mid;
    } else lo = mid + 1;
  }
  return { ...best, droppedTurns: all.length - best.messages.length, reservedTokens };
}

/**
 * keepFrom[k] = index of the first history message kept after dropping the k oldest exchanges. An exchange
 * starts at each user message (and at 0 when the history opens with something else, which is then an
 * exchange of its own); keepFrom[0] = 0 and the last entry = history.length (all history dropped).
 */
function keptFrom(history: readonly ChatTurn[]): number[] {
  const keepFrom = [0];
  history.forEach((turn, i) => {
    if (i > 0 && turn.role === "user") keepFrom.push(i);
  });
  if (history.length > 0) keepFrom.push(history.length);
  return keepFrom;
}

function overflow(promptTokens: number, reserved: number, maxPositions: number, hasSystem: boolean): EngineError {
  const over = promptTokens + reserved - maxPositions;
  const what = hasSystem ? "The system prompt and your message together take" : "Your message takes";
  return new EngineError(
    "context_overflow",
    `${what} ${promptTokens} tokens; with ${reserved} tokens reserved for the answer that is ${over} more than ` +
      `the model's context of ${maxPositions} tokens. Shorten the message by at least ${over} tokens or lower the maximum answer length.`,
  );
}

/**
 * Fits a conversation into the model's context window: the prompt plus the tokens reserved for the answer
 * must fit in `maxPositions`. When they do not, the oldest exchanges are dropped whole (a user message and
 * the answers that follow it); the system prompt and the newest user message are always kept.
 */
import type { TurnEncoder } from "./chat-prompt";
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
 * Above this many characters per token of room, a message cannot fit (real text averages about 4): it is
 * refused or dropped by its length alone, without spending time tokenizing it.
 */
export const MAX_CHARS_PER_TOKEN = 10;

/**
 * The same result as `fitContext`, with bounded work: each message is tokenized at most once, newest first,
 * and the walk stops at the first exchange that does not fit, so a 1,500-message history costs what the
 * kept window costs. Messages too long to fit by their character count alone are never tokenized.
 */
export async function fitContextByTurns(messages: readonly ChatTurn[], turns: TurnEncoder, options: FitOptions): Promise<FitResult> {
  if (messages.length === 0) throw new EngineError("internal", "A request needs at least one message.");
  const reservedTokens = reservedAnswerTokens(options.maxNewTokens, options.maxPositions);
  const budget = options.maxPositions - reservedTokens;
  const all = [...messages];
  const system = all[0]!.role === "system" && all.length > 1 ? [all[0]!] : [];
  // As fitContext: a partial answer to continue is kept with the question it answers.
  const lastUser = all.findLastIndex((m) => m.role === "user");
  const tailStart = options.continueFinalMessage ? Math.max(system.length, lastUser) : all.length - 1;
  const newest = all.slice(tailStart);
  const history = all.slice(system.length, tailStart);
  const partial = options.continueFinalMessage && newest.at(-1)?.role === "assistant" ? newest.at(-1)! : null;

  const requiredChars = [...system, ...newest].reduce((n, m) => n + m.content.length, 0);
  const roomAtMost = budget - turns.prefix.length;
  if (requiredChars > roomAtMost * MAX_CHARS_PER_TOKEN) {
    throw tooLongByCharacters(requiredChars, roomAtMost, options.maxPositions, system.length > 0);
  }
  const systemIds = system.length > 0 ? await turns.encodeTurn(system[0]!) : [];
  const newestIds: number[] = [];
  for (const turn of partial ? newest.slice(0, -1) : newest) newestIds.push(...(await turns.encodeTurn(turn)));
  const suffix = partial ? await turns.encodeContinuation(partial.content) : turns.suffix;
  let used = turns.prefix.length + suffix.length + systemIds.length + newestIds.length;
  if (used > budget) throw overflow(used, reservedTokens, options.maxPositions, system.length > 0);

  // Whole exchanges, newest first, while they fit.
  const keepFrom = keptFrom(history);
  const keptIds: number[][] = [];
  let kept = history.length;
  walk: for (let k = keepFrom.length - 2; k >= 0; k--) {
    const start = keepFrom[k]!;
    const exchange: number[][] = [];
    let cost = 0;
    for (let i = kept - 1; i >= start; i--) {
      const room = budget - used - cost;
      if (history[i]!.content.length > room * MAX_CHARS_PER_TOKEN) break walk;
      const ids = await turns.encodeTurn(history[i]!);
      cost += ids.length;
      if (cost > budget - used) break walk;
      exchange.unshift(ids);
    }
    used += cost;
    keptIds.unshift(...exchange);
    kept = start;
  }
  const ids = [...turns.prefix, ...systemIds, ...keptIds.flat(), ...newestIds, ...suffix];
  const keptMessages = [...system, ...history.slice(kept), ...newest];
  return { ids, messages: keptMessages, droppedTurns: all.length - keptMessages.length, reservedTokens };
}

function tooLongByCharacters(chars: number, roomTokens: number, maxPositions: number, hasSystem: boolean): EngineError {
  const what = hasSystem ? "The system prompt and your message together are" : "Your message is";
  return new EngineError(
    "context_overflow",
    `${what} ${chars} characters long: far more than fits in the model's context of ${maxPositions} tokens ` +
      `(room for about ${Math.max(0, roomTokens)} tokens, at most ${Math.max(0, roomTokens) * MAX_CHARS_PER_TOKEN} characters). Shorten it.`,
  );
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

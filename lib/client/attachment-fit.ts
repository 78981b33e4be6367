/**
 * Whether a question and its files can fit the model's context, judged before sending: the files' token
 * counts are exact (the server counted them), the question's text is estimated at 4 characters a token,
 * and the room is what the engine leaves after reserving space for the answer (server/engine/context-fit.ts
 * `reservedAnswerTokens`). Older turns do not count: the engine drops them to make room.
 */
const CHARS_PER_TOKEN = 4;

export interface FitCheck {
  fileTokens: number;
  questionChars: number;
  contextLength: number;
  maxNewTokens: number;
}

/** Null when it fits; otherwise what to say, with how much would have to go. */
export function attachmentOverflow({ fileTokens, questionChars, contextLength, maxNewTokens }: FitCheck): string | null {
  if (fileTokens === 0 || contextLength <= 0) return null;
  const reserved = Math.max(1, Math.min(Math.floor(maxNewTokens), Math.floor(contextLength / 4)));
  const room = contextLength - reserved;
  const needed = fileTokens + Math.ceil(questionChars / CHARS_PER_TOKEN);
  if (needed <= room) return null;
  const n = (value: number) => value.toLocaleString("en-US");
  return (
    `Too long for the model: the files take ${n(fileTokens)} tokens and the message about ${n(needed - fileTokens)}, ` +
    `but the context holds ${n(contextLength)} tokens with ${n(reserved)} kept for the answer — remove about ${n(needed - room)} tokens.`
  );
}

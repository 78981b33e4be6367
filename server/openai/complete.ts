/** Non-streaming completion: the whole answer in one `chat.completion` object. */
import { buildCompletion, type ChatCompletionWithTimings, type CompletionMeta } from "./chat-objects";
import type { ChatCompletionTokenLogprob } from "openai/resources/chat/completions";
import { OpenAIApiError } from "./errors";
import { toTokenLogprob } from "./logprobs";
import type { StartedGeneration } from "./start-generation";

/** `logprobs`: collect the tokens' entries (the request had `logprobs: true`). */
export async function collectCompletion(generation: StartedGeneration, meta: CompletionMeta, logprobs = false): Promise<ChatCompletionWithTimings> {
  const { events } = generation;
  let content = "";
  const entries: ChatCompletionTokenLogprob[] | null = logprobs ? [] : null;
  try {
    for (;;) {
      const next = await events.next();
      if (next.done) throw new Error("the engine ended without a done event");
      const event = next.value;
      if (event.type === "token") {
        content += event.text;
        if (event.record) entries?.push(toTokenLogprob(event.record));
      }
      else if (event.type === "done") {
        if (event.error !== undefined || event.stats.stopReason === "error") {
          throw new OpenAIApiError(500, "server_error", `Generation failed: ${event.error ?? "unknown error"}`, null, "generation_failed");
        }
        return buildCompletion(meta, content, event.stats, entries);
      }
    }
  } finally {
    await events.return?.();
  }
}

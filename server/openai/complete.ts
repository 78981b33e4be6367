/** Non-streaming completion: the whole answer in one `chat.completion` object. */
import { buildCompletion, type ChatCompletionWithTimings, type CompletionMeta } from "./chat-objects";
import { OpenAIApiError } from "./errors";
import type { StartedGeneration } from "./start-generation";

export async function collectCompletion(generation: StartedGeneration, meta: CompletionMeta): Promise<ChatCompletionWithTimings> {
  const { events } = generation;
  let content = "";
  try {
    for (;;) {
      const next = await events.next();
      if (next.done) throw new Error("the engine ended without a done event");
      const event = next.value;
      if (event.type === "token") content += event.text;
      else if (event.type === "done") {
        if (event.error !== undefined || event.stats.stopReason === "error") {
          throw new OpenAIApiError(500, "server_error", `Generation failed: ${event.error ?? "unknown error"}`, null, "generation_failed");
        }
        return buildCompletion(meta, content, event.stats);
      }
    }
  } finally {
    await events.return?.();
  }
}

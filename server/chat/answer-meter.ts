/**
 * One answer's measurements from the chat layer's side, owned by the generation (runAnswer) and read by
 * its RunningAnswer for a re-attaching client's snapshot: the text so far, the prompt size, and the token
 * clock. Its `stats` stand in for the engine's own when the engine could not report them (it threw after
 * starting, or the caller went away before its `done`).
 */
import type { GenerationStats, StopReason } from "@/lib/schemas/stats";
import { perSecond, TokenClock } from "@/server/engine/token-clock";

export class AnswerMeter {
  text = "";
  promptTokens = 0;
  started = false;
  /** Started when the turn was written; ticks at every token event (forced ones too). */
  readonly clock = new TokenClock();

  get tokens(): number {
    return this.clock.count;
  }

  onStart(promptTokens: number): void {
    this.started = true;
    this.promptTokens = promptTokens;
  }

  onToken(text: string): void {
    this.text += text;
    this.clock.tick();
  }

  stats(stopReason: StopReason): GenerationStats {
    const ttftMs = this.clock.ttftMs ?? 0;
    return {
      promptTokens: this.promptTokens,
      completionTokens: this.tokens,
      cachedPromptTokens: 0,
      ttftMs,
      prefillTokPerS: perSecond(this.promptTokens, ttftMs),
      decodeTokPerS: this.clock.decodeTokPerS(),
      totalMs: performance.now() - this.clock.startedAt,
      stopReason,
    };
  }
}

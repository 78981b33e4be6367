/**
 * Measures an answer from the chat layer's side, for the cases where the engine could not report
 * its own stats (it threw after starting, or the caller went away before its `done`).
 */
import type { GenerationStats, StopReason } from "@/lib/schemas/stats";

export class AnswerMeter {
  text = "";
  tokens = 0;
  promptTokens = 0;
  started = false;
  private readonly startedAt = performance.now();
  private firstTokenAt: number | null = null;
  private lastTokenAt: number | null = null;

  onStart(promptTokens: number): void {
    this.started = true;
    this.promptTokens = promptTokens;
  }

  onToken(text: string): void {
    const now = performance.now();
    this.text += text;
    this.tokens += 1;
    this.firstTokenAt ??= now;
    this.lastTokenAt = now;
  }

  stats(stopReason: StopReason): GenerationStats {
    const totalMs = performance.now() - this.startedAt;
    const ttftMs = this.firstTokenAt === null ? 0 : this.firstTokenAt - this.startedAt;
    const decodeMs = this.firstTokenAt !== null && this.lastTokenAt !== null ? this.lastTokenAt - this.firstTokenAt : 0;
    return {
      promptTokens: this.promptTokens,
      completionTokens: this.tokens,
      cachedPromptTokens: 0,
      ttftMs,
      prefillTokPerS: ttftMs > 0 && this.promptTokens > 0 ? (this.promptTokens * 1000) / ttftMs : 0,
      decodeTokPerS: decodeMs > 0 ? ((this.tokens - 1) * 1000) / decodeMs : 0,
      totalMs,
      stopReason,
    };
  }
}

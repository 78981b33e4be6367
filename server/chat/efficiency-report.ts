/**
 * `GET /api/efficiency`: the loaded model's weight traffic per token, this machine's memory bandwidth
 * (measured on first use, off the event loop) and the decode speed of recent answers against their
 * context length — the data behind the efficiency page and the caption's efficiency details.
 */
import type { EfficiencyDto } from "@/lib/schemas/efficiency";
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import type { Store } from "@/server/db/store";

/** What the caller's bandwidth probe reports (server/runtime/memory-bandwidth.ts; wired in the route). */
interface MeasuredBandwidth {
  bytesPerSecond: number;
  threads: number;
  measuredAt: string;
}

export async function efficiencyReport(args: {
  db: Store;
  status: ModelStatusDto;
  bandwidth: () => Promise<MeasuredBandwidth>;
  limit: number;
}): Promise<EfficiencyDto> {
  const answers = (await args.db.messages.listRecentAnswers({ limit: args.limit }))
    .filter((row) => row.stats && row.stats.completionTokens > 1 && row.stats.decodeTokPerS > 0)
    .map((row) => ({
      messageId: row.id,
      createdAt: row.createdAt.toISOString(),
      contextTokens: row.stats!.promptTokens + row.stats!.completionTokens,
      completionTokens: row.stats!.completionTokens,
      decodeTokPerS: row.stats!.decodeTokPerS,
    }));
  let memoryBandwidth: EfficiencyDto["memoryBandwidth"] = null;
  try {
    const measured = await args.bandwidth();
    memoryBandwidth = { bytesPerSecond: measured.bytesPerSecond, threads: measured.threads, measuredAt: measured.measuredAt };
  } catch (error) {
    // The page still shows the answers and the weights; only the share of bandwidth is missing.
    console.error("[efficiency] memory bandwidth measurement failed:", error);
  }
  return {
    modelId: args.status.modelId,
    isDemo: args.status.isDemo,
    weights: args.status.weights ?? null,
    memoryBandwidth,
    answers,
  };
}

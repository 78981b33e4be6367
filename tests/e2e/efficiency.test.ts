/**
 * The 1-bit efficiency meter in the real page: after a real answer from the tiny model, the
 * efficiency page shows the loaded model's weight bytes per token, a measured memory bandwidth and a
 * chart with a point for that answer; the answer's details carry the per-answer figures.
 */
import { describe, expect, it } from "vitest";
import type { EfficiencyDto } from "@/lib/schemas/efficiency";
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import { useChatSuite } from "./support/chat-suite";
import { UI_TIMEOUT } from "./support/chat-page";

describe("efficiency meter", () => {
  const { baseUrl, openChat } = useChatSuite();

  it("plots answers, reports weights and bandwidth, and shows per-answer figures in the details", async () => {
    const chat = await openChat();
    await chat.send("Measure me");
    await chat.waitForAnswerStatus("complete");

    const report = (await (await fetch(`${baseUrl}/api/efficiency?limit=1000`)).json()) as EfficiencyDto;
    expect(report.weights!.bytesPerToken).toBeGreaterThan(0);
    expect(report.weights!.fp16BytesPerToken).toBeGreaterThan(report.weights!.bytesPerToken);
    expect(report.memoryBandwidth!.bytesPerSecond).toBeGreaterThan(1e8);
    expect(report.answers.length).toBeGreaterThan(0);
    expect((await fetch(`${baseUrl}/api/efficiency?limit=0`)).status).toBe(400);

    // The production build loads the project's ternary kernel (native/ternary) and says so; where the addon
    // is required (.ci/run), falling back to onnxruntime's MatMulNBits fails here.
    const status = (await (await fetch(`${baseUrl}/api/model`)).json()) as ModelStatusDto;
    expect(status.kernel).toMatch(process.env.BITNET_REQUIRE_NATIVE === "1" ? /^ternary-(avx2|avx512|avx512vnni|neon|neon-dotprod|scalar)$/ : /^(ternary-.+|mlas)$/);

    // The caption's details: weights per token and the 16-bit estimate for this answer.
    await chat.lastAnswer.getByRole("button", { name: "Generation details" }).click();
    const details = chat.page.getByRole("region", { name: "Generation details" });
    await expect.poll(() => details.getByText("Weights read per token").count(), { timeout: UI_TIMEOUT }).toBe(1);
    await expect.poll(() => details.getByText(/At 16-bit weights/).count(), { timeout: UI_TIMEOUT }).toBe(1);

    await chat.page.goto(`${baseUrl}/efficiency`); // no composer on this page: plain navigation
    const chart = chat.page.getByRole("img", { name: "Decode tokens per second against context length" });
    await chart.waitFor({ timeout: UI_TIMEOUT });
    expect(await chat.page.getByTestId("chart-point").count()).toBe(Math.min(report.answers.length, 500));
    await expect.poll(() => chat.page.getByText("Weights read per token").count()).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { attachmentOverflow } from "./attachment-fit";

describe("attachmentOverflow", () => {
  it("is silent when the files and question fit after the answer's reserve", () => {
    expect(attachmentOverflow({ fileTokens: 2_000, questionChars: 400, contextLength: 4096, maxNewTokens: 1024 })).toBeNull();
    expect(attachmentOverflow({ fileTokens: 0, questionChars: 100_000, contextLength: 4096, maxNewTokens: 1024 })).toBeNull();
  });

  it("says by how much it would have to shrink, the reserve capped at a quarter of the context", () => {
    // Room: 4096 − min(2048, 1024) = 3072; needed 5000 + 25.
    expect(attachmentOverflow({ fileTokens: 5_000, questionChars: 100, contextLength: 4096, maxNewTokens: 2048 })).toBe(
      "Too long for the model: the files take 5,000 tokens and the message about 25, but the context holds 4,096 tokens with 1,024 kept for the answer — remove about 1,953 tokens.",
    );
    // A small max-tokens setting reserves less.
    expect(attachmentOverflow({ fileTokens: 3_990, questionChars: 4, contextLength: 4096, maxNewTokens: 100 })).toBeNull();
  });
});

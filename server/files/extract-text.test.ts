import { describe, expect, it } from "vitest";
import { ATTACHMENT_LIMITS, attachmentBlock } from "@/lib/attachments";
import { makePdf } from "@/tests/support/make-pdf";
import { countTokens } from "./count-tokens";
import { extractAttachment } from "./extract-text";
import { FileRejected } from "./file-rejected";

const bytes = (text: string) => new TextEncoder().encode(text);

async function rejection(promise: Promise<unknown>): Promise<FileRejected> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(FileRejected);
  return error as FileRejected;
}

describe("extractAttachment", () => {
  it("reads text, Markdown, code, CSV and JSON as they are, with the type from the name when the browser gives none", async () => {
    const cases = [
      ["notes.txt", "", "Plain words.\r\nSecond line.", "text/plain", "Plain words.\nSecond line."],
      ["README.md", "", "# Title\n\n- item", "text/markdown", "# Title\n\n- item"],
      ["main.py", "text/x-python", "def f():\n    return 1\n", "text/x-python", "def f():\n    return 1\n"],
      ["data.csv", "text/csv", "a,b\n1,2\n", "text/csv", "a,b\n1,2\n"],
      ["data.json", "", '{"a": [1, 2]}', "application/json", '{"a": [1, 2]}'],
    ] as const;
    for (const [name, type, content, mediaType, text] of cases) {
      const file = await extractAttachment({ name, mediaType: type, bytes: bytes(`\uFEFF${content}`) });
      expect(file, name).toEqual({ name, mediaType, text, chars: text.length, tokens: countTokens(attachmentBlock({ name, text })) });
    }
  });

  it("counts the tokens of the file's block in the prompt, delimiters included", async () => {
    const file = await extractAttachment({ name: "a.txt", mediaType: "text/plain", bytes: bytes("hello world") });
    expect(file.tokens).toBeGreaterThan(countTokens("hello world"));
    expect(attachmentBlock(file)).toBe('<file name="a.txt">\nhello world\n</file>');
  });

  it("reads a PDF's text layer, page by page", async () => {
    const file = await extractAttachment({ name: "paper.pdf", mediaType: "application/pdf", bytes: makePdf(["Ternary weights (1.58 bits)", "Second page"]) });
    expect(file).toMatchObject({ name: "paper.pdf", mediaType: "application/pdf", text: "Ternary weights (1.58 bits)\n\nSecond page", pages: 2 });
  });

  it("refuses what is not text, naming the file: binary bytes, invalid UTF-8, a PDF that is not one", async () => {
    const binary = await rejection(extractAttachment({ name: "photo.png", mediaType: "image/png", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]) }));
    expect(binary.status).toBe(415);
    expect(binary.message).toBe("photo.png is not a text file. Attach plain text, Markdown, code, CSV/JSON, or a PDF with a text layer.");
    expect((await rejection(extractAttachment({ name: "latin1.txt", mediaType: "", bytes: new Uint8Array([0x63, 0x61, 0x66, 0xe9]) }))).status).toBe(415);
    expect((await rejection(extractAttachment({ name: "fake.pdf", mediaType: "", bytes: bytes("just text") }))).message).toMatch(/^fake\.pdf could not be read as a PDF/);
    expect((await rejection(extractAttachment({ name: "empty.txt", mediaType: "", bytes: bytes("  \n") }))).message).toBe("empty.txt is empty.");
  });

  it("bounds bytes, pages and characters", async () => {
    const big = await rejection(extractAttachment({ name: "big.txt", mediaType: "", bytes: new Uint8Array(ATTACHMENT_LIMITS.bytes + 1).fill(97) }));
    expect(big.status).toBe(413);
    const long = await rejection(extractAttachment({ name: "long.txt", mediaType: "", bytes: bytes("a".repeat(ATTACHMENT_LIMITS.chars + 1)) }));
    expect([long.status, long.message]).toEqual([413, "long.txt has more than 100,000 characters of text; attach a shorter file or an excerpt."]);
    const pages = Array.from({ length: ATTACHMENT_LIMITS.pages + 1 }, (_, i) => `Page ${i}`);
    const thick = await rejection(extractAttachment({ name: "thick.pdf", mediaType: "application/pdf", bytes: makePdf(pages) }));
    expect([thick.status, thick.message]).toEqual([413, `thick.pdf has ${pages.length} pages; at most ${ATTACHMENT_LIMITS.pages} can be attached.`]);
  });
});

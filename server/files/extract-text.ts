/**
 * server/files/ — what an attached file says: its text (UTF-8 text files as they are, PDFs through
 * their text layer with unpdf, a build of pdf.js that runs in Node without a worker or a canvas) and
 * its token count. Bounded: ATTACHMENT_LIMITS (lib/schemas/attachments.ts) on bytes, pages and characters.
 */
import { ATTACHMENT_LIMITS, attachmentBlock } from "@/lib/attachments";
import { countTokens } from "./count-tokens";
import { FileRejected } from "./file-rejected";

/** A file's text and what its chip shows (the API's ExtractedAttachment). */
export interface ExtractedFile {
  name: string;
  mediaType: string;
  text: string;
  chars: number;
  /** Tokens its block takes in the prompt (delimiters included). */
  tokens: number;
  /** A PDF's page count. */
  pages?: number;
}

const TYPE_BY_EXTENSION: Record<string, string> = {
  md: "text/markdown",
  markdown: "text/markdown",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  json: "application/json",
  jsonl: "application/x-ndjson",
  txt: "text/plain",
  pdf: "application/pdf",
};

function mediaTypeOf(name: string, declared: string): string {
  const type = declared.split(";")[0]!.trim().toLowerCase();
  if (type && type !== "application/octet-stream") return type;
  return TYPE_BY_EXTENSION[name.split(".").pop()?.toLowerCase() ?? ""] ?? "text/plain";
}

/** PDF's signature opens the file (readers accept some bytes before it, for a file that says it is a PDF). */
function isPdf(bytes: Uint8Array, mediaType: string): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024));
  return head.subarray(0, 5).toString("latin1") === "%PDF-" || (mediaType === "application/pdf" && head.includes("%PDF-"));
}

function tooManyChars(name: string): FileRejected {
  return new FileRejected(413, `${name} has more than ${ATTACHMENT_LIMITS.chars.toLocaleString("en-US")} characters of text; attach a shorter file or an excerpt.`);
}

function notText(name: string): FileRejected {
  return new FileRejected(415, `${name} is not a text file. Attach plain text, Markdown, code, CSV/JSON, or a PDF with a text layer.`);
}

/** UTF-8 text (a BOM dropped, line ends made \n); anything else — invalid UTF-8, NUL bytes — is not text. */
function decodeText(name: string, bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw notText(name);
  }
  if (text.includes("\u0000")) throw notText(name);
  return text.replace(/\r\n?/g, "\n");
}

async function pdfText(name: string, bytes: Uint8Array): Promise<{ text: string; pages: number }> {
  const { getDocumentProxy, extractText } = await import("unpdf");
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false });
  } catch (error) {
    throw new FileRejected(400, `${name} could not be read as a PDF (${error instanceof Error ? error.message : String(error)}).`);
  }
  try {
    if (pdf.numPages > ATTACHMENT_LIMITS.pages) {
      throw new FileRejected(413, `${name} has ${pdf.numPages} pages; at most ${ATTACHMENT_LIMITS.pages} can be attached.`);
    }
    const { text } = await extractText(pdf, { mergePages: false });
    const joined = text.map((page) => page.trim()).join("\n\n").trim();
    if (!joined) throw new FileRejected(400, `${name} has no text layer (a scanned PDF?): there is no text to read.`);
    return { text: joined, pages: pdf.numPages };
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

/** The file's text and its chip's figures; FileRejected (4xx) for a file that is too big, not text, or unreadable. */
export async function extractAttachment(file: { name: string; mediaType: string; bytes: Uint8Array }): Promise<ExtractedFile> {
  const { name, bytes } = file;
  if (bytes.byteLength > ATTACHMENT_LIMITS.bytes) {
    throw new FileRejected(413, `${name} is ${bytes.byteLength} bytes; a file may be at most ${ATTACHMENT_LIMITS.bytes} bytes.`);
  }
  const declared = mediaTypeOf(name, file.mediaType);
  const pdf = isPdf(bytes, declared);
  if (!pdf && declared === "application/pdf") throw new FileRejected(400, `${name} could not be read as a PDF (it does not start like one).`);
  const { text, pages } = pdf ? await pdfText(name, bytes) : { text: decodeText(name, bytes), pages: undefined };
  if (text.length > ATTACHMENT_LIMITS.chars) throw tooManyChars(name);
  if (!pdf && text.trim() === "") throw new FileRejected(400, `${name} is empty.`);
  const mediaType = pdf ? "application/pdf" : declared;
  return { name, mediaType, text, chars: text.length, tokens: countTokens(attachmentBlock({ name, text })), ...(pages !== undefined ? { pages } : {}) };
}

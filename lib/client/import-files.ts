/**
 * Imports exported JSON files (one conversation or all of them) and explains failures in plain
 * words, naming the file: what the user dropped or picked is often not what they think it is.
 */
import { ApiError } from "./api";

export interface ImportOutcome {
  /** The conversation to open: the first one imported. */
  firstId: string | null;
  count: number;
  errors: string[];
}

type Send = (json: unknown) => Promise<{ ids: string[] }>;

export function describeImportError(fileName: string, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 413) return `${fileName} is too large to import (the limit is 20 MB).`;
    if (error.field === "format") return `${fileName} is not a BitNet Chat export. Use a file saved with “Export JSON” or “Export all”.`;
    if (error.status === 400) return `${fileName} could not be imported: ${error.message}${error.field ? ` (at ${error.field})` : ""}.`;
    if (error.status === 0) return `${fileName} could not be imported: the server cannot be reached.`;
  }
  return `${fileName} could not be imported: ${error instanceof Error ? error.message : String(error)}`;
}

export async function importFiles(files: readonly File[], send: Send): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { firstId: null, count: 0, errors: [] };
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      outcome.errors.push(`${file.name} is not a JSON file. Import takes the files saved with “Export JSON” or “Export all”.`);
      continue;
    }
    if (typeof (json as { format?: unknown } | null)?.format !== "string") {
      outcome.errors.push(`${file.name} is not a BitNet Chat export. Use a file saved with “Export JSON” or “Export all”.`);
      continue;
    }
    try {
      const { ids } = await send(json);
      outcome.firstId ??= ids[0] ?? null;
      outcome.count += ids.length;
    } catch (e) {
      outcome.errors.push(describeImportError(file.name, e));
    }
  }
  return outcome;
}

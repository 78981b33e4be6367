/**
 * `BITNET_WORKERS`: OpenAI-compatible servers that answer instead of (or besides) the local model —
 * other BitNet Chat instances, llama.cpp's or bitnet.cpp's server, vLLM. A comma-separated list of base
 * URLs ending in `/v1`; a worker's API key goes in the URL's user part (`http://KEY@host:3000/v1`), the
 * way database URLs carry credentials, so one variable describes the whole pool. The key is removed from
 * the URL before use and never shown.
 */
export interface WorkerEndpoint {
  /** Base URL without credentials, e.g. `http://host-a:3000/v1`. */
  baseUrl: string;
  apiKey: string | undefined;
}

export class WorkerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerConfigError";
  }
}

export function parseWorkers(value: string | undefined): WorkerEndpoint[] {
  if (!value?.trim()) return [];
  const endpoints = value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map(parseEntry);
  const seen = new Set<string>();
  for (const endpoint of endpoints) {
    if (seen.has(endpoint.baseUrl)) throw new WorkerConfigError(`BITNET_WORKERS lists ${endpoint.baseUrl} twice.`);
    seen.add(endpoint.baseUrl);
  }
  return endpoints;
}

function parseEntry(entry: string): WorkerEndpoint {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new WorkerConfigError(`BITNET_WORKERS: "${entry}" is not a URL (expected e.g. http://host:3000/v1).`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WorkerConfigError(`BITNET_WORKERS: "${url.protocol}" is not supported (http or https).`);
  }
  const apiKey = decodeURIComponent(url.password || url.username) || undefined;
  url.username = "";
  url.password = "";
  url.hash = "";
  url.search = "";
  return { baseUrl: url.toString().replace(/\/+$/, ""), apiKey };
}

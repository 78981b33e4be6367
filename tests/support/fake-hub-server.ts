/**
 * A local HTTP server that imitates the Hugging Face Hub closely enough for `@huggingface/hub`:
 * model info (`/api/models/<repo>/revision/<rev>`), the tree listing and paths-info endpoints with sizes,
 * git oids and LFS sha256s, and `/<repo>/resolve/<rev>/<file>` — small files served directly with their git
 * oid as ETag, LFS files redirected to a CDN-like `/lfs/<sha256>` URL with X-Linked-Etag/X-Linked-Size, both
 * with X-Repo-Commit, Content-Length, HEAD and Range → 206.
 * Faults can be injected per test: drop the connection after N bytes, serve corrupt bytes, require a token.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface FakeHubFile {
  path: string;
  content: Buffer;
  size: number;
  gitOid: string;
  sha256: string;
  lfs: boolean;
}

export interface FakeHubFaults {
  /** Cut the connection after this many body bytes of a file, for the next `times` transfers (default 1). */
  drop?: { path: string; afterBytes: number; times?: number };
  /** Serve these files with one byte flipped (same size, wrong sha256). */
  corrupt?: string[];
  /** Every request needs `Authorization: Bearer <token>`; 401 otherwise. */
  requireToken?: string;
}

export interface FakeHubRequest {
  method: string;
  path: string;
  range: string | undefined;
  authorization: string | undefined;
}

export interface FakeHub {
  /** Base URL to put in HF_ENDPOINT. */
  url: string;
  repo: string;
  commit: string;
  files: FakeHubFile[];
  faults: FakeHubFaults;
  requests: FakeHubRequest[];
  close(): Promise<void>;
}

export interface FakeHubOptions {
  repo: string;
  /** A folder in the hub layout (config.json, model.safetensors, tokenizer files…). */
  sourceDir: string;
  /** Which files the repo stores with Git LFS (default: *.safetensors, *.onnx, *.bin). */
  isLfs?: (file: string) => boolean;
  faults?: FakeHubFaults;
  /** Serve bodies in chunks of this size with a pause between them, so progress has several steps. */
  chunkBytes?: number;
  chunkDelayMs?: number;
}

export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const isLfs = options.isLfs ?? ((f: string) => /\.(safetensors|onnx|bin)$/.test(f));
  const names = (await readdir(options.sourceDir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name).sort();
  const files: FakeHubFile[] = [];
  for (const name of names) {
    const content = await readFile(path.join(options.sourceDir, name));
    files.push({
      path: name,
      content,
      size: content.length,
      gitOid: createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex"),
      sha256: createHash("sha256").update(content).digest("hex"),
      lfs: isLfs(name),
    });
  }
  const commit = createHash("sha1").update(files.map((f) => `${f.path}:${f.gitOid}`).join("\n")).digest("hex");
  const hub: FakeHub = {
    url: "",
    repo: options.repo,
    commit,
    files,
    faults: { ...options.faults },
    requests: [],
    close: async () => {},
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    hub.requests.push({
      method: req.method ?? "GET",
      path: url.pathname,
      range: req.headers.range,
      authorization: req.headers.authorization,
    });
    handle(hub, options, url, req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return hub;
}

async function handle(hub: FakeHub, options: FakeHubOptions, url: URL, req: http.IncomingMessage, res: http.ServerResponse) {
  const token = hub.faults.requireToken;
  if (token && req.headers.authorization !== `Bearer ${token}`) {
    return json(res, 401, { error: "Invalid credentials in Authorization header" }, { "X-Error-Code": "GatedRepo" });
  }
  const repoPattern = hub.repo.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const api = url.pathname.match(new RegExp(`^/api/models/${repoPattern}/(revision|tree|paths-info)/([^/]+)(?:/(.*))?$`));
  const resolve = url.pathname.match(new RegExp(`^/${repoPattern}/resolve/([^/]+)/(.+)$`));
  const lfs = url.pathname.match(/^\/lfs\/([0-9a-f]{64})$/);

  if (api) {
    if (!isKnownRevision(hub, decodeURIComponent(api[2]))) return revisionNotFound(res, api[2]);
    if (api[1] === "revision") {
      return json(res, 200, {
        _id: hub.commit.slice(0, 24),
        id: hub.repo,
        sha: hub.commit,
        private: false,
        gated: false,
        downloads: 0,
        likes: 0,
        lastModified: new Date(0).toISOString(),
        pipeline_tag: "text-generation",
        siblings: hub.files.map((f) => ({ rfilename: f.path })),
      });
    }
    if (api[1] === "tree") return json(res, 200, hub.files.map(treeEntry));
    const body = JSON.parse((await readBody(req)) || "{}") as { paths?: string[] };
    return json(res, 200, hub.files.filter((f) => body.paths?.includes(f.path)).map(treeEntry));
  }

  if (resolve) {
    if (!isKnownRevision(hub, decodeURIComponent(resolve[1]))) return revisionNotFound(res, resolve[1]);
    const file = hub.files.find((f) => f.path === decodeURIComponent(resolve[2]));
    if (!file) return json(res, 404, { error: "Entry not found" }, { "X-Error-Code": "EntryNotFound" });
    const headers = { "X-Repo-Commit": hub.commit };
    if (file.lfs) {
      res.writeHead(302, {
        ...headers,
        Location: `/lfs/${file.sha256}`,
        "X-Linked-Etag": `"${file.sha256}"`,
        "X-Linked-Size": String(file.size),
        ETag: `"${file.sha256}"`,
      });
      return res.end();
    }
    return sendFile(hub, options, file, req, res, { ...headers, ETag: `"${file.gitOid}"` });
  }

  if (lfs) {
    const file = hub.files.find((f) => f.lfs && f.sha256 === lfs[1]);
    if (!file) return json(res, 404, { error: "Not found" });
    return sendFile(hub, options, file, req, res, { ETag: `"${file.sha256}"` });
  }
  return json(res, 404, { error: "Repository not found" }, { "X-Error-Code": "RepoNotFound" });
}

function treeEntry(f: FakeHubFile) {
  return {
    type: "file",
    oid: f.gitOid,
    size: f.lfs ? 134 : f.size,
    path: f.path,
    ...(f.lfs ? { lfs: { oid: f.sha256, size: f.size, pointerSize: 134 } } : {}),
  };
}

function isKnownRevision(hub: FakeHub, revision: string): boolean {
  return revision === "main" || revision === "HEAD" || revision === hub.commit;
}

function revisionNotFound(res: http.ServerResponse, revision: string) {
  json(res, 404, { error: `Invalid rev id: ${revision}` }, { "X-Error-Code": "RevisionNotFound" });
}

async function sendFile(
  hub: FakeHub,
  options: FakeHubOptions,
  file: FakeHubFile,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  headers: Record<string, string>,
) {
  let content = file.content;
  if (hub.faults.corrupt?.includes(file.path)) {
    content = Buffer.from(content);
    content[content.length >> 1] ^= 0xff;
  }
  let start = 0;
  let end = file.size - 1;
  let status = 200;
  const range = req.headers.range?.match(/^bytes=(\d+)-(\d*)$/);
  if (range) {
    start = Number(range[1]);
    end = range[2] ? Math.min(Number(range[2]), file.size - 1) : file.size - 1;
    if (start > end) {
      res.writeHead(416, { "Content-Range": `bytes */${file.size}` });
      return res.end();
    }
    status = 206;
    headers["Content-Range"] = `bytes ${start}-${end}/${file.size}`;
  }
  const body = content.subarray(start, end + 1);
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/octet-stream",
    "Content-Length": String(body.length),
    "Accept-Ranges": "bytes",
  });
  if (req.method === "HEAD") return res.end();

  const drop = hub.faults.drop;
  let limit = body.length;
  if (drop && drop.path === file.path && (drop.times ?? 1) > 0 && body.length > drop.afterBytes) {
    drop.times = (drop.times ?? 1) - 1;
    limit = drop.afterBytes;
  }
  const chunk = options.chunkBytes ?? 64 * 1024;
  for (let offset = 0; offset < limit; offset += chunk) {
    const piece = body.subarray(offset, Math.min(limit, offset + chunk));
    if (!res.write(piece)) await new Promise((r) => res.once("drain", r));
    if (options.chunkDelayMs) await new Promise((r) => setTimeout(r, options.chunkDelayMs));
  }
  if (limit < body.length) {
    // Let the bytes reach the client, then cut the connection as a flaky network would.
    await new Promise((r) => setTimeout(r, 20));
    res.socket?.destroy();
    return;
  }
  res.end();
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { ...headers, "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (data += c));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

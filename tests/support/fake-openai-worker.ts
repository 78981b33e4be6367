/**
 * A scripted OpenAI-compatible server on a random loopback port, speaking the real wire protocol
 * (`/v1/models`, streamed `/v1/chat/completions` with a usage chunk and llama.cpp-style `timings`), so
 * the worker pool is tested through the official client and real sockets. It can answer slowly, refuse
 * with a status, die mid-answer (socket destroyed) or be stopped and restarted on the same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface FakeWorkerScript {
  model?: string;
  /** Tokens streamed per answer. */
  tokens?: string[];
  /** Delay before each token (ms). */
  tokenDelayMs?: number;
  /** Answer every completion with this HTTP status (e.g. 503) instead of streaming. */
  refuseWith?: number;
  /** Destroy the connection after this many tokens. */
  dieAfterTokens?: number;
  /** Send nothing more after this many tokens (the connection stays open until the client leaves). */
  stallAfterTokens?: number;
  /** Delay before answering `/v1/models` (ms). */
  modelsDelayMs?: number;
}

export interface FakeWorker {
  baseUrl: string;
  script: FakeWorkerScript;
  /** Bodies of the completion requests received. */
  requests: Record<string, unknown>[];
  /** Completion requests whose client went away before the answer ended. */
  cancelled: number;
  /** Completions currently streaming. */
  active: number;
  /** `/v1/models` requests received. */
  modelRequests: number;
  authorization: (string | undefined)[];
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export async function startFakeWorker(script: FakeWorkerScript = {}): Promise<FakeWorker> {
  let server: Server;
  const sockets = new Set<Socket>();
  let port = 0;
  const worker: FakeWorker = {
    baseUrl: "",
    script,
    requests: [],
    cancelled: 0,
    active: 0,
    modelRequests: 0,
    authorization: [],
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async restart() {
      await listen(port);
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    worker.authorization.push(req.headers.authorization);
    const model = worker.script.model ?? "fake-model";
    if (req.method === "GET" && req.url === "/v1/models") {
      worker.modelRequests += 1;
      if (worker.script.modelsDelayMs) await new Promise((resolve) => setTimeout(resolve, worker.script.modelsDelayMs));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: model, object: "model", created: 0, owned_by: "test", meta: { n_ctx_train: 2048 } }] }));
      return;
    }
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      res.writeHead(404).end();
      return;
    }
    let raw = "";
    for await (const chunk of req) raw += chunk;
    worker.requests.push(JSON.parse(raw) as Record<string, unknown>);
    if (worker.script.refuseWith) {
      res.writeHead(worker.script.refuseWith, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "busy", type: "server_error", code: "busy" } }));
      return;
    }
    worker.active += 1;
    let finished = false;
    res.on("close", () => {
      worker.active -= 1;
      if (!finished) worker.cancelled += 1;
    });
    res.writeHead(200, { "content-type": "text/event-stream" });
    const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 0, model };
    const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    send({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
    const tokens = worker.script.tokens ?? ["Hello", " from", " a", " worker", "."];
    for (let i = 0; i < tokens.length; i += 1) {
      if (res.destroyed) return;
      if (worker.script.dieAfterTokens !== undefined && i === worker.script.dieAfterTokens) {
        await new Promise((resolve) => setTimeout(resolve, 50)); // let the tokens already written reach the client
        res.socket?.destroy();
        return;
      }
      if (worker.script.stallAfterTokens !== undefined && i === worker.script.stallAfterTokens) return; // `close` ends it
      await new Promise((resolve) => setTimeout(resolve, worker.script.tokenDelayMs ?? 1));
      send({ ...base, choices: [{ index: 0, delta: { content: tokens[i] }, finish_reason: null }] });
    }
    send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }], timings: { cache_n: 2, prompt_per_second: 321, predicted_per_second: 42 } });
    send({ ...base, choices: [], usage: { prompt_tokens: 11, completion_tokens: tokens.length, total_tokens: 11 + tokens.length } });
    res.write("data: [DONE]\n\n");
    finished = true;
    res.end();
  };

  const listen = (wanted: number) =>
    new Promise<void>((resolve, reject) => {
      server = createServer((req, res) => void handle(req, res));
      server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      server.once("error", reject);
      server.listen(wanted, "127.0.0.1", () => {
        port = (server.address() as AddressInfo).port;
        worker.baseUrl = `http://127.0.0.1:${port}/v1`;
        resolve();
      });
    });
  await listen(0);
  return worker;
}

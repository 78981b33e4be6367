import { afterEach, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ModelStatusDto } from "@/lib/schemas/model-status";
import { EngineError, type Engine } from "@/server/engine/types";
import { downloadSnapshot } from "@/server/hub/download-snapshot";
import { startFakeHub, type FakeHub } from "@/tests/support/fake-hub-server";
import { makeHubSource } from "@/tests/support/hub-source";
import { createModelHost, type TestableModelHost } from "./create-model-host";
import { isDemoRemembered, rememberDemo } from "./demo-choice";
import type { HostConfig, HostDeps, StepProgress } from "./host-deps";
import { freePort } from "@/tests/support/free-port";

// The converter and engine are exercised by their own suites (and by model-host.test.ts once wired):
// here they are recording doubles so the host's state machine, progress and errors can be checked alone.
function recordingDeps(overrides: Partial<HostDeps> = {}) {
  const calls = { convert: [] as string[], load: [] as string[], disposed: [] as string[], generated: [] as string[] };
  const deps: HostDeps = {
    download: downloadSnapshot,
    async generateDemo(outDir) {
      calls.generated.push(outDir);
      await writeFile(path.join(outDir, "config.json"), JSON.stringify({ model_type: "bitnet" }));
    },
    async convert(dir, cacheRoot, onProgress: (p: StepProgress) => void) {
      calls.convert.push(dir);
      onProgress({ done: 1, total: 2, detail: "weights" });
      onProgress({ done: 2, total: 2, detail: "graph" });
      return path.join(cacheRoot, path.basename(dir));
    },
    async load(dir, { onProgress }) {
      calls.load.push(dir);
      onProgress({ done: 1, total: 1 });
      const engine: Engine = { contextLength: 4096, queueLength: () => 0, generate: () => ({ [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }) }) };
      return { engine, dispose: async () => void calls.disposed.push(dir) };
    },
    ...overrides,
  };
  return { deps, calls };
}

const quiet = { info: () => {}, error: () => {} };
const cleanup: string[] = [];
let hub: FakeHub | undefined;
let host: TestableModelHost | undefined;

afterEach(async () => {
  await host?.dispose();
  await hub?.close();
  hub = undefined;
  for (const dir of cleanup.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function config(extra: Partial<HostConfig>): Promise<HostConfig> {
  const cacheRoot = await mkdtemp(path.join(os.tmpdir(), "bitnet-host-test-"));
  cleanup.push(cacheRoot);
  return { model: undefined, cacheRoot, hubCache: path.join(cacheRoot, "hf-hub"), hubUrl: "http://127.0.0.1:9", accessToken: undefined, revision: "main", offline: false, threads: 2, ...extra };
}

describe("model host", () => {
  it("downloads, converts and loads the default repo, reporting each phase", async () => {
    const sourceDir = await makeHubSource();
    cleanup.push(sourceDir);
    hub = await startFakeHub({ repo: "microsoft/bitnet-b1.58-2B-4T", sourceDir });
    const { deps, calls } = recordingDeps();
    const cfg = await config({ hubUrl: hub.url });
    host = createModelHost(deps, cfg, quiet);
    const seen: ModelStatusDto[] = [];
    host.subscribe((s) => seen.push(s));
    expect(() => host!.engine()).toThrow(EngineError);

    host.start();
    host.start(); // idempotent
    const final = await host.settled();

    expect(final).toMatchObject({ state: "ready", modelId: "microsoft/bitnet-b1.58-2B-4T", isDemo: false, error: null, contextLength: 4096 });
    expect(host.engine().contextLength).toBe(4096);
    const states = [...new Set(seen.map((s) => s.state))];
    expect(states).toEqual(["idle", "downloading", "converting", "loading", "ready"]);
    const downloads = seen.filter((s) => s.progress?.phase === "download" && s.progress.total > 0);
    expect(downloads.at(-1)?.progress).toMatchObject({ unit: "bytes", etaSeconds: 0 });
    expect(downloads.at(-1)!.progress!.done).toBe(downloads.at(-1)!.progress!.total);
    expect(seen.some((s) => s.progress?.phase === "convert" && s.progress.detail === "graph")).toBe(true);
    // Downloaded into the Hugging Face cache; converted into the app's own.
    expect(calls.convert).toEqual([path.join(cfg.hubCache, "models--microsoft--bitnet-b1.58-2B-4T", "snapshots", hub.commit)]);
    expect(hub.requests.filter((r) => r.path.startsWith("/api/models/")).length).toBe(2);
  });

  it("turns an unreachable hub into an error with what to do, then the demo model becomes ready", async () => {
    const port = await freePort();
    const { deps, calls } = recordingDeps();
    const cfg = await config({ hubUrl: `http://127.0.0.1:${port}` });
    host = createModelHost(deps, cfg, quiet);
    host.start();
    const failed = await host.settled();

    expect(failed.state).toBe("error");
    expect(failed.error?.code).toBe("unreachable");
    expect(failed.error?.message).toContain(`Cannot reach the model hub at http://127.0.0.1:${port}`);
    expect(failed.error?.hint).toMatch(/offline/);
    expect(() => host!.engine()).toThrow(/Cannot reach the model hub/);

    await host.useDemoModel();
    const ready = await host.settled();
    expect(ready).toMatchObject({ state: "ready", modelId: "demo", isDemo: true, error: null });
    const demoDir = path.join(cfg.cacheRoot, "demo", "checkpoint");
    expect(calls.convert).toEqual([demoDir]);
    expect(existsSync(path.join(demoDir, ".complete"))).toBe(true);
    expect(JSON.parse(await readFile(path.join(demoDir, "config.json"), "utf8")).model_type).toBe("bitnet");

    // A second click changes nothing; the demo checkpoint is generated only once per cache.
    await host.useDemoModel();
    expect(calls.generated.length).toBe(1);
  });

  it("remembers the demo choice across restarts until the real model is cached, and 'use the real model' forgets it", async () => {
    const port = await freePort();
    const { deps, calls } = recordingDeps();
    const cfg = await config({ hubUrl: `http://127.0.0.1:${port}` });
    host = createModelHost(deps, cfg, quiet);
    host.start();
    expect((await host.settled()).state).toBe("error");
    await host.useDemoModel();
    expect(await host.settled()).toMatchObject({ state: "ready", isDemo: true, realModel: "microsoft/bitnet-b1.58-2B-4T" });
    expect(isDemoRemembered(cfg.cacheRoot)).toBe(true);
    await host.dispose();

    // A restart: the demo loads at once, without trying the (still unreachable) hub first.
    host = createModelHost(deps, cfg, quiet);
    const seen: ModelStatusDto[] = [];
    host.subscribe((status) => seen.push(status));
    host.start();
    expect(await host.settled()).toMatchObject({ state: "ready", isDemo: true, modelId: "demo", realModel: "microsoft/bitnet-b1.58-2B-4T" });
    expect(seen.some((status) => status.state === "downloading" || status.state === "error")).toBe(false);
    expect(calls.generated.length).toBe(1);

    // The way back: the choice is forgotten and the real model is tried (and fails: the hub is down).
    await host.useRealModel();
    expect(await host.settled()).toMatchObject({ state: "error", isDemo: false, realModel: null, modelId: "microsoft/bitnet-b1.58-2B-4T" });
    expect(isDemoRemembered(cfg.cacheRoot)).toBe(false);
    await host.dispose();
    host = createModelHost(deps, cfg, quiet);
    host.start();
    expect((await host.settled()).state).toBe("error");
  });

  it("a run with another model (a local folder, once) neither uses nor forgets the demo chosen for the hub model", async () => {
    const port = await freePort();
    const { deps } = recordingDeps();
    const cfg = await config({ hubUrl: `http://127.0.0.1:${port}` });
    host = createModelHost(deps, cfg, quiet);
    host.start();
    await host.settled();
    await host.useDemoModel();
    expect(await host.settled()).toMatchObject({ state: "ready", isDemo: true });
    await host.dispose();

    const folder = path.join(cfg.cacheRoot, "my-checkpoint");
    await (await import("node:fs/promises")).mkdir(folder);
    await writeFile(path.join(folder, "config.json"), "{}");
    host = createModelHost(deps, { ...cfg, model: folder }, quiet);
    host.start();
    expect(await host.settled()).toMatchObject({ isDemo: false, realModel: null });
    expect(isDemoRemembered(cfg.cacheRoot, "microsoft/bitnet-b1.58-2B-4T")).toBe(true);
    await host.dispose();

    // Back on the hub model (still unreachable): the demo, at once.
    host = createModelHost(deps, cfg, quiet);
    host.start();
    expect(await host.settled()).toMatchObject({ state: "ready", isDemo: true, realModel: "microsoft/bitnet-b1.58-2B-4T" });
  });

  it("a remembered demo choice gives way to the real model once its snapshot is in the cache", async () => {
    const sourceDir = await makeHubSource();
    cleanup.push(sourceDir);
    hub = await startFakeHub({ repo: "microsoft/bitnet-b1.58-2B-4T", sourceDir });
    const { deps } = recordingDeps();
    const cfg = await config({ hubUrl: hub.url });
    // Downloaded meanwhile (bitnet pull, another tool), while the demo was the choice.
    await downloadSnapshot({ repo: "microsoft/bitnet-b1.58-2B-4T", config: { hubUrl: hub.url, cacheRoot: cfg.cacheRoot, hubCache: cfg.hubCache } });
    rememberDemo(cfg.cacheRoot, "microsoft/bitnet-b1.58-2B-4T");
    const requestsBefore = hub.requests.length;
    host = createModelHost(deps, cfg, quiet);
    host.start();
    expect(await host.settled()).toMatchObject({ state: "ready", isDemo: false, modelId: "microsoft/bitnet-b1.58-2B-4T" });
    expect(isDemoRemembered(cfg.cacheRoot)).toBe(false);
    expect(hub.requests.length).toBe(requestsBefore);
  });

  it("disposes the loaded engine before switching to the demo model", async () => {
    const cfg = await config({});
    const checkpoint = path.join(cfg.cacheRoot, "my-checkpoint");
    const { deps, calls } = recordingDeps();
    await (await import("node:fs/promises")).mkdir(checkpoint);
    await writeFile(path.join(checkpoint, "config.json"), "{}");
    host = createModelHost(deps, { ...cfg, model: checkpoint }, quiet);
    host.start();
    expect(await host.settled()).toMatchObject({ state: "ready", modelId: "my-checkpoint", isDemo: false });

    await host.useDemoModel();
    expect(calls.disposed).toEqual([path.join(cfg.cacheRoot, "my-checkpoint")]);
    expect((await host.settled()).isDemo).toBe(true);
  });

  it("closes the engine (its running answer stops) before disposing it, and refuses new jobs meanwhile", async () => {
    const cfg = await config({});
    const checkpoint = path.join(cfg.cacheRoot, "my-checkpoint");
    const order: string[] = [];
    let finishRunningPass!: () => void;
    const { deps } = recordingDeps({
      async load() {
        const engine: Engine = {
          contextLength: 4096,
          queueLength: () => 0,
          generate: () => {
            throw new EngineError("not_ready", "closing");
          },
          close: () => {
            order.push("close");
            return new Promise<void>((resolve) => (finishRunningPass = () => (order.push("pass finished"), resolve())));
          },
        };
        return { engine, dispose: async () => void order.push("dispose") };
      },
    });
    await (await import("node:fs/promises")).mkdir(checkpoint);
    await writeFile(path.join(checkpoint, "config.json"), "{}");
    host = createModelHost(deps, { ...cfg, model: checkpoint }, quiet);
    host.start();
    await host.settled();
    const switching = host.useDemoModel();
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(["close"]); // not disposed while the forward pass runs
    finishRunningPass();
    await switching;
    expect(order).toEqual(["close", "pass finished", "dispose"]);
  });

  it("reports a converter failure with its phase and retries on request", async () => {
    let failures = 1;
    const { deps } = recordingDeps();
    const convert = deps.convert;
    deps.convert = async (...args) => {
      if (failures-- > 0) throw new Error("unsupported tensor dtype I8");
      return convert(...args);
    };
    host = createModelHost(deps, await config({ model: "demo" }), quiet);
    host.start();
    const failed = await host.settled();
    expect(failed.error).toMatchObject({ code: "convert_failed", message: "Converting the model to ONNX failed: unsupported tensor dtype I8" });
    expect(failed.error?.hint).toMatch(/demo/);

    await host.retry();
    expect((await host.settled()).state).toBe("ready");
  });

  it("explains a BITNET_MODEL that is neither a repo, a folder nor demo", async () => {
    const { deps } = recordingDeps();
    host = createModelHost(deps, await config({ model: "not a model" }), quiet);
    host.start();
    const status = await host.settled();
    expect(status.state).toBe("error");
    expect(status.error).toMatchObject({ code: "invalid_model" });
    expect(status.error?.hint).toMatch(/BITNET_MODEL/);
  });
});

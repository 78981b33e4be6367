import { afterEach, describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startFakeHub, type FakeHub } from "@/tests/support/fake-hub-server";
import { makeHubSource } from "@/tests/support/hub-source";
import type { Engine } from "@/server/engine/types";
import { createModelHost, type TestableModelHost } from "./create-model-host";
import type { HostConfig } from "./host-deps";
import { convertStep, defaultHostDeps, hostConfigFromEnv } from "./model-host";
import { freePort } from "@/tests/support/free-port";

// The real pipeline end to end: @huggingface/hub download, the ONNX converter, onnxruntime.
const quiet = { info: () => {}, error: () => {} };
const cleanup: string[] = [];
const hosts: TestableModelHost[] = [];
let hub: FakeHub | undefined;

afterEach(async () => {
  for (const host of hosts.splice(0)) await host.dispose();
  await hub?.close();
  hub = undefined;
  for (const dir of cleanup.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
}

function newHost(config: HostConfig): TestableModelHost {
  const host = createModelHost(defaultHostDeps, config, quiet);
  hosts.push(host);
  return host;
}

async function firstTokens(engine: Engine): Promise<string[]> {
  const texts: string[] = [];
  for await (const event of engine.generate({
    messages: [{ role: "user", content: "Hello" }],
    params: { temperature: 0, topP: 1, topK: 0, maxNewTokens: 4, repetitionPenalty: 1, seed: 1 },
  })) {
    if (event.type === "token") texts.push(event.text);
    if (event.type === "done") expect(event.error).toBeUndefined();
  }
  return texts;
}

describe("hostConfigFromEnv", () => {
  it("reads the documented variables with their defaults", () => {
    const defaults = hostConfigFromEnv({ HOME: "/home/u" });
    expect(defaults).toMatchObject({ model: undefined, hubUrl: "https://huggingface.co", accessToken: undefined, revision: "main", offline: false });
    expect(defaults.threads).toBe(os.availableParallelism());
    expect(defaults.cacheRoot).toBe(path.join(os.homedir(), ".cache", "bitnet-chat"));
    expect(hostConfigFromEnv({ XDG_CACHE_HOME: "/xdg" }).cacheRoot).toBe("/xdg/bitnet-chat");
    // Downloads go to the Hugging Face cache, by huggingface_hub's rules.
    expect(defaults.hubCache).toBe(path.join(os.homedir(), ".cache", "huggingface", "hub"));
    expect(hostConfigFromEnv({ XDG_CACHE_HOME: "/xdg" }).hubCache).toBe("/xdg/huggingface/hub");
    expect(hostConfigFromEnv({ HF_HOME: "/hf" }).hubCache).toBe("/hf/hub");
    expect(hostConfigFromEnv({ HF_HOME: "/hf", HF_HUB_CACHE: "/hub-cache" }).hubCache).toBe("/hub-cache");

    const set = hostConfigFromEnv({
      BITNET_MODEL: "demo",
      BITNET_CACHE: "/data/models",
      HF_ENDPOINT: "https://hf-mirror.example/",
      HF_TOKEN: "hf_abc",
      BITNET_REVISION: "v2",
      HF_HUB_OFFLINE: "1",
      BITNET_THREADS: "3",
      HF_HOME: "/data/hf",
    });
    expect(set).toEqual({
      model: "demo",
      cacheRoot: "/data/models",
      hubCache: "/data/hf/hub",
      hubUrl: "https://hf-mirror.example",
      accessToken: "hf_abc",
      revision: "v2",
      offline: true,
      threads: 3,
    });
    expect(hostConfigFromEnv({ BITNET_THREADS: "zero" }).threads).toBe(os.availableParallelism());
  });
});

describe("model host with the real pipeline", () => {
  it("reports an unreachable hub, then the demo model loads and generates", async () => {
    const cacheRoot = await tempDir("bitnet-host-real-");
    const port = await freePort();
    const host = newHost({ ...hostConfigFromEnv({}), cacheRoot, hubCache: path.join(cacheRoot, "hf-hub"), hubUrl: `http://127.0.0.1:${port}`, threads: 1 });
    host.start();
    const failed = await host.settled();
    expect(failed.state).toBe("error");
    expect(failed.error?.code).toBe("unreachable");
    expect(failed.error?.message).toMatch(/Cannot reach the model hub .*ECONNREFUSED/);

    await host.useDemoModel();
    const ready = await host.settled();
    expect(ready).toMatchObject({ state: "ready", modelId: "demo", isDemo: true, error: null });
    expect(ready.contextLength).toBeGreaterThan(0);
    expect((await firstTokens(host.engine())).length).toBeGreaterThan(0);
  });

  it("downloads from the hub, converts and loads; the next start needs neither hub nor conversion", async () => {
    const sourceDir = await makeHubSource(3);
    cleanup.push(sourceDir);
    hub = await startFakeHub({ repo: "microsoft/bitnet-b1.58-2B-4T", sourceDir });
    const cacheRoot = await tempDir("bitnet-host-real-");
    const config = { ...hostConfigFromEnv({}), cacheRoot, hubCache: path.join(cacheRoot, "hf-hub"), hubUrl: hub.url, threads: 1 };

    const first = newHost(config);
    const phases = new Set<string>();
    first.subscribe((s) => phases.add(s.state));
    first.start();
    expect(await first.settled()).toMatchObject({ state: "ready", isDemo: false, error: null });
    expect([...phases]).toEqual(["idle", "downloading", "converting", "loading", "ready"]);
    await first.dispose();
    const converted = await convertedManifests(cacheRoot);
    expect(converted).toHaveLength(1);

    await hub.close();
    const requests = hub.requests.length;
    const second = newHost(config);
    second.start();
    const status = await second.settled();
    expect(status).toMatchObject({ state: "ready", error: null });
    expect(hub.requests.length).toBe(requests);
    expect(await convertedManifests(cacheRoot)).toEqual(converted);
    expect((await firstTokens(second.engine())).length).toBeGreaterThan(0);
  });
});

/** createdAt of every converted model in the cache: unchanged ⇔ nothing was converted again. */
async function convertedManifests(cacheRoot: string): Promise<string[]> {
  const root = path.join(cacheRoot, "onnx");
  const dirs = (await readdir(root)).filter((d) => !d.includes(".tmp-"));
  return Promise.all(dirs.map(async (d) => JSON.parse(await readFile(path.join(root, d, "bitnet-manifest.json"), "utf8")).createdAt as string));
}

describe("convertStep", () => {
  it("gives reading the source for its checksum a progress bar of its own, before the layers", () => {
    expect(convertStep("hashing source 300/1200 bytes")).toEqual({ done: 300, total: 1200, detail: "Checking the source checkpoint (25% read)" });
    expect(convertStep("layer 3/30")).toEqual({ done: 3, total: 30, detail: "Converting layer 3 of 30" });
    expect(convertStep("hashing source")).toEqual({ done: 0, total: 1, detail: "Hashing source" });
  });
});

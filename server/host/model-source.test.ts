import { afterAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CONVERTED_MANIFEST, modelIdOf, resolveModelSource } from "./model-source";
import { HostError } from "./host-error";

const root = await mkdtemp(path.join(os.tmpdir(), "bitnet-source-"));
afterAll(() => rm(root, { recursive: true, force: true }));

describe("resolveModelSource", () => {
  it("defaults to the BitNet 2B4T hub repo at the given revision", () => {
    expect(resolveModelSource(undefined, "main")).toEqual({ kind: "hub", repo: "microsoft/bitnet-b1.58-2B-4T", revision: "main" });
    expect(resolveModelSource("  ", "v1")).toMatchObject({ kind: "hub", revision: "v1" });
    expect(resolveModelSource("someone/other-model", "main")).toMatchObject({ kind: "hub", repo: "someone/other-model" });
  });

  it("recognises demo, converted folders and hub-format checkpoint folders", async () => {
    expect(resolveModelSource("demo", "main")).toEqual({ kind: "demo" });
    expect(resolveModelSource("DEMO", "main")).toEqual({ kind: "demo" });

    const converted = path.join(root, "converted");
    await mkdir(converted);
    await writeFile(path.join(converted, CONVERTED_MANIFEST), "{}");
    await writeFile(path.join(converted, "config.json"), "{}");
    expect(resolveModelSource(converted, "main")).toEqual({ kind: "converted", dir: converted });

    const checkpoint = path.join(root, "ckpt");
    await mkdir(checkpoint);
    await writeFile(path.join(checkpoint, "config.json"), "{}");
    const source = resolveModelSource(checkpoint, "main");
    expect(source).toEqual({ kind: "checkpoint", dir: checkpoint });
    expect(modelIdOf(source)).toBe("ckpt");
  });

  it("explains folders that hold no model and values that are nothing", async () => {
    const empty = path.join(root, "empty");
    await mkdir(empty);
    expect(() => resolveModelSource(empty, "main")).toThrow(/neither a converted model .* nor a hub-format checkpoint/);
    expect(() => resolveModelSource(path.join(root, "missing"), "main")).toThrow(/not a folder/);
    try {
      resolveModelSource("not a repo", "main");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HostError);
      expect((error as HostError).code).toBe("invalid_model");
      expect((error as HostError).hint).toMatch(/BITNET_MODEL/);
    }
  });
});

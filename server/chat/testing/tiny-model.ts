/**
 * The real engine on the tiny ONNX test model plus a temp database, loaded once per test file
 * (registers vitest's beforeAll/afterAll): what the chat layer's real-model tests share.
 */
import { afterAll, beforeAll, inject } from "vitest";
import { openTempDb, type TempDb } from "@/server/db/testing/temp-db";
import { loadEngine, type LoadedEngine } from "@/server/engine/load-engine";
import type { Engine } from "@/server/engine/types";

export interface TinyModel {
  readonly engine: Engine;
  readonly t: TempDb;
}

export function tinyModelSuite(): TinyModel {
  let loaded: LoadedEngine | undefined;
  let t: TempDb | undefined;
  beforeAll(async () => {
    loaded = await loadEngine(inject("tinyOnnx"), { threads: 1 });
    t = openTempDb();
  });
  afterAll(async () => {
    t?.dispose();
    await loaded?.dispose();
  });
  return {
    get engine() {
      if (!loaded) throw new Error("tinyModelSuite: not loaded yet (use it inside a test)");
      return loaded.engine;
    },
    get t() {
      if (!t) throw new Error("tinyModelSuite: not opened yet (use it inside a test)");
      return t;
    },
  };
}

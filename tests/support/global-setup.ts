import type { TestProject } from "vitest/node";
import { ensureTestModels } from "./test-models";

declare module "vitest" {
  export interface ProvidedContext {
    tinySource: string;
    tinyOnnx: string;
  }
}

/** Generates (once) the tiny test checkpoints every suite can use via `inject("tinyOnnx")`. */
export default async function setup(project: TestProject): Promise<void> {
  const models = await ensureTestModels();
  project.provide("tinySource", models.tinySource);
  project.provide("tinyOnnx", models.tinyOnnx);
}

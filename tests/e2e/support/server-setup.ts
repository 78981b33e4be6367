import { execFileSync } from "node:child_process";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ROOT, startAppServer, type AppServer } from "./app-server";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databasePath: string;
  }
}

let server: AppServer | undefined;

/**
 * Builds the production bundle once (skip with E2E_SKIP_BUILD=1 when `.next` is fresh) and starts
 * `next start` with the tiny test model, one answer at a time; suites reach it through `inject("baseUrl")`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.E2E_SKIP_BUILD !== "1") {
    execFileSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  // One answer at a time: the queue tests need one answer to hold the model. Several answers at once
  // (BITNET_PARALLEL > 1) run on their own server in parallel-answers.test.ts.
  server = await startAppServer({ BITNET_MODEL: project.getProvidedContext().tinyOnnx, BITNET_PARALLEL: "1" }, { waitForModel: true });
  project.provide("baseUrl", server.baseUrl);
  project.provide("databasePath", server.databasePath);
  return async () => {
    await server?.stop();
  };
}

#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step) so `npx bitnet` works right after `npm install`.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("./bitnet.ts");

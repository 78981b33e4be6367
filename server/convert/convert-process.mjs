#!/usr/bin/env node
// Child-process entry for the server's one-time conversion (see server/host/convert-in-child.ts): runs the
// TypeScript converter through tsx, as bin/bitnet.mjs does for the CLI.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
await import("./convert-process-main.ts");

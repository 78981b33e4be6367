#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step) so `npx bitnet` works right after `npm install`.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";

// Commands that load the tokenizer import @huggingface/transformers natively BEFORE tsx's hooks are
// registered: through tsx's loader the 1.3 MB bundle costs ≈ 150 MB more resident memory for the life of
// the process (measured: 36 vs 190 MB for the import alone, docs/performance.md "Memory"). The later
// import from TypeScript then finds the module already loaded. The app (Next.js) imports it natively anyway.
if (["bench", "generate"].includes(process.argv[2])) await import("@huggingface/transformers");

// The project's ternary kernel addon, wherever the CLI is run from (the app finds it from its own folder).
process.env.BITNET_TERNARY_ADDON ??= fileURLToPath(new URL("../native/ternary/build/Release/bitnet_ternary.node", import.meta.url));

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("./bitnet.ts");

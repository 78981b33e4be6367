/**
 * The `bitnet` command-line tool. Each command lives in `bin/commands/<name>.ts` and exports
 * `run(argv)`; they are loaded lazily so `bitnet --help` does not pay for onnxruntime or the tokenizer.
 */
const commands: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<void> }> }> = {
  pull: { summary: "download a checkpoint from the Hugging Face Hub into the cache", load: () => import("./commands/pull.ts") },
  tiny: { summary: "write a random-weight BitNet checkpoint in the hub format (tiny or 2b shape)", load: () => import("./commands/tiny.ts") },
  convert: { summary: "convert a hub-format checkpoint to an ONNX model folder (2-bit weights)", load: () => import("./commands/convert.ts") },
  "export-gguf": { summary: "write a hub-format checkpoint as a llama.cpp GGUF file (TQ2_0)", load: () => import("./commands/export-gguf.ts") },
  logits: { summary: "print the logits of a token sequence as JSON", load: () => import("./commands/logits.ts") },
  generate: { summary: "generate a chat answer, streamed to stdout", load: () => import("./commands/generate.ts") },
  users: { summary: "create and list accounts for BITNET_AUTH=accounts (users add NAME [--admin], users list)", load: () => import("./commands/users.ts") },
  bench: { summary: "measure decode/prefill speed, load time and memory (one JSON line)", load: () => import("./commands/bench.ts") },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ["Usage: bitnet <command> [options]", "", "Commands:", ...lines, "", "Run `bitnet <command> --help` for a command's options."].join("\n");
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return;
  }
  const command = commands[name];
  if (!command) {
    console.error(`bitnet: unknown command "${name}"\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  const mod = await command.load();
  await mod.run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`bitnet: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.BITNET_DEBUG) console.error(error);
  process.exitCode = 1;
});

/**
 * `bitnet pull [REPO] [--revision R]`: downloads a checkpoint into the Hugging Face cache the server
 * uses too (HF_HUB_CACHE / HF_HOME, shared with other Hugging Face tools), with a progress bar on
 * stderr, and prints the snapshot folder on stdout.
 */
import { downloadSnapshot } from "@/server/hub/download-snapshot";
import { DEFAULT_REPO, hubConfigFromEnv, isRepoId } from "@/server/hub/hub-config";
import { HubError } from "@/server/hub/hub-error";
import { formatBytes, formatProgressLine } from "@/server/hub/format-progress";
import type { DownloadProgress } from "@/server/hub/download-progress";
import { parseCommandArgsWithPositionals } from "./args";

const HELP = `Usage: bitnet pull [REPO] [--revision R] [--hub-cache DIR] [--cache DIR]

Downloads REPO (default ${DEFAULT_REPO}) from the Hugging Face Hub into the Hugging Face
cache (the layout huggingface_hub uses: a model already there is not downloaded again),
resuming an interrupted download and verifying every file, then prints the snapshot folder.

Options:
  --revision R      branch, tag or commit (default: BITNET_REVISION or "main")
  --hub-cache DIR   Hugging Face cache (default: HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub)
  --cache DIR       this app's cache, where older versions kept downloads (default: BITNET_CACHE or ~/.cache/bitnet-chat)

Environment: HF_ENDPOINT (hub URL), HF_TOKEN (access token for gated/private repos).`;

export async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgsWithPositionals(argv, {
    revision: { type: "string" },
    cache: { type: "string" },
    "hub-cache": { type: "string" },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const repo = positionals[0] ?? DEFAULT_REPO;
  if (!isRepoId(repo) || positionals.length > 1) {
    console.error(`bitnet pull: expected one repo id like ${DEFAULT_REPO}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  const config = hubConfigFromEnv({
    ...process.env,
    ...(values.cache ? { BITNET_CACHE: values.cache } : {}),
    ...(values["hub-cache"] ? { HF_HUB_CACHE: values["hub-cache"] } : {}),
  });
  const bar = progressReporter(process.stderr);
  try {
    const result = await downloadSnapshot({
      repo,
      revision: values.revision,
      config,
      onProgress: bar.update,
      onWaiting: () => process.stderr.write("Another process is downloading this model into the same cache; waiting for it…\n"),
    });
    bar.end();
    const size = result.files.reduce((sum, f) => sum + f.size, 0);
    process.stderr.write(
      `${result.fromCache ? "Already in the cache" : "Downloaded and verified"}: ${repo}@${result.commit.slice(0, 12)} (${formatBytes(size)})\n`,
    );
    console.log(result.dir);
  } catch (error) {
    bar.end();
    if (error instanceof HubError) {
      console.error(`bitnet pull: ${error.message}\n  ${error.hint}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

/** Redraws one line on a terminal; on a pipe/log, prints a line per file and every 10%. */
function progressReporter(stream: NodeJS.WriteStream) {
  const tty = Boolean(stream.isTTY);
  let lastFile = "";
  let lastDecile = -1;
  let drawn = false;
  return {
    update(p: DownloadProgress) {
      const line = formatProgressLine(p);
      if (tty) {
        const width = (stream.columns || 100) - 1;
        stream.write(`\r${line.slice(0, width).padEnd(Math.min(width, line.length + 2))}`);
        drawn = true;
        return;
      }
      const decile = Math.floor(p.percent / 10);
      if (p.file !== lastFile || decile !== lastDecile) {
        lastFile = p.file;
        lastDecile = decile;
        stream.write(`${line}\n`);
      }
    },
    end() {
      if (tty && drawn) stream.write("\n");
      drawn = false;
    },
  };
}

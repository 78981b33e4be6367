/**
 * The error shown in the model status: a code, what happened, and what to do. Hub errors carry their own
 * hint; failures of the converter or the engine get one that points at the retry / demo buttons.
 */
import { HubError, errorCode, formatGb } from "@/server/hub/hub-error";

export interface StatusError {
  code: string;
  message: string;
  hint: string;
}

export class HostError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "HostError";
  }
}

export type Phase = "download" | "convert" | "load" | "demo";

const PHASE_TEXT: Record<Phase, string> = {
  download: "Downloading the model failed",
  convert: "Converting the model to ONNX failed",
  load: "Loading the model failed",
  demo: "Generating the demo model failed",
};

export function toStatusError(error: unknown, phase: Phase): StatusError {
  if (error instanceof HubError || error instanceof HostError) {
    return { code: error.code, message: error.message, hint: error.hint };
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = errorCode(error);
  if (code === "ENOSPC") {
    return {
      code: "disk_full",
      message: `${PHASE_TEXT[phase]}: the disk is full.`,
      hint: `Free some space (the converted 2B model needs about ${formatGb(1.3e9)}) or set BITNET_CACHE to a larger disk, then retry.`,
    };
  }
  if (code === "ENOMEM" || /out of memory|bad_alloc/i.test(message)) {
    return {
      code: "out_of_memory",
      message: `${PHASE_TEXT[phase]}: not enough memory.`,
      hint: "Close other programs and retry, or switch to the small demo model.",
    };
  }
  return {
    code: `${phase}_failed`,
    message: `${PHASE_TEXT[phase]}: ${message.split("\n")[0].slice(0, 300)}`,
    hint: "Retry; if it fails again, the server log has details. You can switch to the offline demo model meanwhile.",
  };
}

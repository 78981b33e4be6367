"use client";
/**
 * The server's measured memory bandwidth, fetched once per page load and shared by every caption
 * (the server measures it once per process; there is nothing new to learn by asking again).
 */
import { useEffect, useState } from "react";
import { getEfficiency } from "./api";

let pending: Promise<number | null> | null = null;
/** The answer once it came: a details popover opened later has it from its first render. */
let known: number | null = null;

function load(): Promise<number | null> {
  pending ??= getEfficiency(1)
    .then((report) => (known = report.memoryBandwidth?.bytesPerSecond ?? null))
    .catch(() => {
      pending = null; // try again next time
      return null;
    });
  return pending;
}

/**
 * Starts the measurement as soon as an answer's caption is shown (the server's takes a moment, once per
 * process), so the "% of memory" is there when its details are first opened.
 */
export function prefetchMemoryBandwidth(): void {
  void load();
}

export function useMemoryBandwidth(enabled: boolean): number | null {
  const [bandwidth, setBandwidth] = useState<number | null>(known);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void load().then((value) => live && setBandwidth(value));
    return () => {
      live = false;
    };
  }, [enabled]);
  return bandwidth;
}

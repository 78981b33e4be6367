"use client";
/**
 * The server's measured memory bandwidth, fetched once per page load and shared by every caption
 * (the server measures it once per process; there is nothing new to learn by asking again).
 */
import { useEffect, useState } from "react";
import { getEfficiency } from "./api";

let pending: Promise<number | null> | null = null;

function load(): Promise<number | null> {
  pending ??= getEfficiency(1)
    .then((report) => report.memoryBandwidth?.bytesPerSecond ?? null)
    .catch(() => {
      pending = null; // try again next time
      return null;
    });
  return pending;
}

export function useMemoryBandwidth(enabled: boolean): number | null {
  const [bandwidth, setBandwidth] = useState<number | null>(null);
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

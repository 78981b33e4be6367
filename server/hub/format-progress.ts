/** Human text for download progress, shared by the CLI's progress bar and the model status detail. */
import type { DownloadProgress } from "./download-progress";

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** `[#########-----------]  45.0%  540 MB / 1.2 GB  12.3 MB/s  ETA 0:52  model.safetensors` */
export function formatProgressLine(p: DownloadProgress, barWidth = 24): string {
  const filled = Math.round((p.percent / 100) * barWidth);
  const bar = `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]`;
  const speed = p.bytesPerSecond > 0 ? `${formatBytes(p.bytesPerSecond)}/s` : "";
  return [
    bar,
    `${p.percent.toFixed(1).padStart(5)}%`,
    `${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}`,
    speed,
    `ETA ${formatDuration(p.etaSeconds)}`,
    p.file,
  ]
    .filter(Boolean)
    .join("  ");
}

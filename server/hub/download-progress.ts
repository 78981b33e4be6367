/**
 * Progress of a multi-file download: bytes done/total, percent, a smoothed speed and the ETA.
 * Speed is measured over a sliding window of recent samples so one slow chunk does not make the ETA jump.
 */
export interface DownloadProgress {
  /** The file being transferred. */
  file: string;
  bytesDone: number;
  bytesTotal: number;
  percent: number;
  bytesPerSecond: number;
  /** null while the speed is still unknown. */
  etaSeconds: number | null;
}

const WINDOW_MS = 5_000;
const MIN_INTERVAL_MS = 150;
const MIN_SPEED_WINDOW_S = 0.25;

export class ProgressTracker {
  private done: number;
  private samples: { t: number; bytes: number }[] = [];
  private lastEmit = 0;
  private file = "";

  constructor(
    private readonly total: number,
    alreadyDone: number,
    private readonly onProgress: ((p: DownloadProgress) => void) | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.done = alreadyDone;
    this.samples.push({ t: this.now(), bytes: 0 });
  }

  setFile(file: string): void {
    this.file = file;
    this.emit(true);
  }

  /** Bytes found already on disk (a resumed partial file): counted as done but not as speed. */
  addExisting(bytes: number): void {
    this.done += bytes;
    this.emit(true);
  }

  addTransferred(bytes: number): void {
    this.done += bytes;
    const t = this.now();
    const last = this.samples[this.samples.length - 1];
    this.samples.push({ t, bytes: last.bytes + bytes });
    while (this.samples.length > 2 && t - this.samples[1].t > WINDOW_MS) this.samples.shift();
    this.emit(false);
  }

  /** Emits the final state (e.g. 100%) regardless of throttling. */
  flush(): void {
    this.emit(true);
  }

  snapshot(): DownloadProgress {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.t - first.t) / 1000;
    // Under a quarter second the first request's latency dominates and the speed/ETA would be nonsense.
    const bytesPerSecond = seconds >= MIN_SPEED_WINDOW_S ? (last.bytes - first.bytes) / seconds : 0;
    const remaining = Math.max(0, this.total - this.done);
    return {
      file: this.file,
      bytesDone: this.done,
      bytesTotal: this.total,
      percent: this.total > 0 ? Math.min(100, (this.done / this.total) * 100) : 100,
      bytesPerSecond,
      etaSeconds: remaining === 0 ? 0 : bytesPerSecond > 0 ? remaining / bytesPerSecond : null,
    };
  }

  private emit(force: boolean): void {
    if (!this.onProgress) return;
    const t = this.now();
    if (!force && t - this.lastEmit < MIN_INTERVAL_MS) return;
    this.lastEmit = t;
    this.onProgress(this.snapshot());
  }
}

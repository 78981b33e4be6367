/**
 * Long loops of synchronous work (a bundle import's thousands of conversations) give the event loop a turn
 * every `sliceMs`, so other requests (and `/api/health`) keep being answered while they run. Slices are
 * short because a request needs several loop turns (connection, headers, routing, the database, the
 * response), each of which may come after a whole slice.
 */
export class TimeSlices {
  private since = performance.now();

  constructor(private readonly sliceMs = 5) {}

  /** Call between two pieces of work: returns at once, or after a macrotask turn when the slice is used up. */
  async breathe(): Promise<void> {
    if (performance.now() - this.since < this.sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }
}

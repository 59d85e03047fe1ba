/**
 * "Now" on an Asterisk server's clock, for idle finalisation: the newest event time seen from that
 * server, advanced by the wall-clock time elapsed since it was seen. Replaying old captures or
 * catching up a backlog thus never closes calls early, and a silent server still ages its calls.
 */
export class ServerClock {
  private newestEvent = Number.NEGATIVE_INFINITY;
  private seenAt = 0;

  constructor(private readonly wallClock: () => number = Date.now) {}

  /** Records event times (UTC epoch ms) as they are read. */
  observe(eventTime: number): void {
    if (eventTime > this.newestEvent) {
      this.newestEvent = eventTime;
      this.seenAt = this.wallClock();
    }
  }

  /** Estimated server time (UTC epoch ms), or undefined before any event was seen. */
  now(): number | undefined {
    return Number.isFinite(this.newestEvent)
      ? this.newestEvent + (this.wallClock() - this.seenAt)
      : undefined;
  }
}

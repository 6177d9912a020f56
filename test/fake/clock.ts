/** The only time source of the fake: service costs, sleeps, waits and triggers move it; nothing real does. */
export class VirtualClock {
  private current: number;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`VirtualClock.advance: invalid duration ${ms}`);
    this.current += ms;
  }

  /** Moves forward to an instant; never backwards (time already spent stays spent). */
  advanceTo(instant: number): void {
    if (instant > this.current) this.current = instant;
  }
}

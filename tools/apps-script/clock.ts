/**
 * The only time source of the fake: service costs, sleeps, waits and triggers move it; nothing
 * real does. It stays on whole milliseconds, as Date.now() does, rounding durations up so time
 * spent is never under-counted and a wait never ends early.
 */
export class VirtualClock {
  private current: number;

  constructor(start: number) {
    this.current = Math.ceil(start);
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`VirtualClock.advance: invalid duration ${ms}`);
    this.current += Math.ceil(ms);
  }

  /** Moves forward to an instant; never backwards (time already spent stays spent). */
  advanceTo(instant: number): void {
    if (instant > this.current) this.current = Math.ceil(instant);
  }
}

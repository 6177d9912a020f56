/**
 * The pace on the built bundle against the Mayar simulator: Mayar's docs say 20 requests a
 * minute per IP, its own agent guide 50 per key. With Settings as they come (at most 50 a
 * minute) the add-on starts at 20 and probes upward while no 429 comes: near the floor whichever Mayar
 * allows, with few requests answered 429. `npm run bench` runs the same over 1,000 rows.
 */
import { describe, expect, it } from 'vitest';
import { customers, World } from '../support/world';

const MINUTE = 60_000;

function createAll(rows: number, allowed: number): { minutes: number; tooMany: number; sent: number; created: number; duplicates: number } {
  const world = new World({ rows: customers(rows), ratePerMinute: null, serverRatePerMinute: allowed });
  const startedAt = world.runtime.clock.now();
  const click = world.run('createPaymentLinks').value as { done?: boolean; waitMs?: number };
  if (click.done !== true) {
    world.runtime.advance(click.waitMs ?? 0);
    world.driveToEnd(10_000);
  }
  let duplicates = 0;
  for (const count of world.createsPerContent().values()) duplicates += count - 1;
  return {
    minutes: (world.runtime.clock.now() - startedAt) / MINUTE,
    tooMany: world.sim.requests.filter((r) => r.status === 429).length,
    sent: world.sim.requests.length,
    created: world.column('Payment Link').filter((l) => typeof l === 'string' && l.startsWith('https://')).length,
    duplicates,
  };
}

describe('Pace', () => {
  it('where Mayar allows 50 a minute: 300 links in about 6 minutes (the floor), not 15, with at most 2% answered 429', () => {
    const run = createAll(300, 50);
    expect(run.created).toBe(300);
    expect(run.duplicates).toBe(0);
    expect(run.minutes).toBeLessThanOrEqual(1.15 * 6);
    expect(run.tooMany / run.sent).toBeLessThanOrEqual(0.02);
  });

  it('where Mayar allows 20 a minute: 300 links within 1.15x the 15-minute floor, at most 2% answered 429', () => {
    const run = createAll(300, 20);
    expect(run.created).toBe(300);
    expect(run.duplicates).toBe(0);
    expect(run.minutes).toBeLessThanOrEqual(1.15 * 15);
    expect(run.tooMany / run.sent).toBeLessThanOrEqual(0.02);
  });
});

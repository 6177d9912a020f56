/**
 * The one hourly trigger (hourlyTick) on the built bundle, in a bound script: it exists while
 * the automatic refresh, reminders or thank-you emails need it, replaces the hourly triggers of
 * earlier versions, and carries on a run whose own trigger was lost.
 */
import { describe, expect, it } from 'vitest';
import { customers, World } from '../support/world';

const HOUR = 3_600_000;
/** The most a trigger fires late in the Apps Script fake. */
const LATE = 60_000;

function handlers(world: World): string[] {
  return world.runtime.triggers.map((t) => t.handler).sort();
}

describe('The hourly trigger', () => {
  it('is one trigger for the automatic refresh, reminders and thank-you emails, kept while any is on', () => {
    const world = new World({ rows: customers(3) });
    world.run('createPaymentLinks');
    world.driveToEnd();
    expect(handlers(world)).toEqual([]);

    world.run('saveSettings', [{ autoRefresh: true }]);
    world.run('saveDeliverySettings', [{ reminders: true, thankYou: true }]);
    expect(handlers(world)).toEqual(['hourlyTick']);

    // The refresh off: reminders still need it.
    world.run('saveSettings', [{ autoRefresh: false }]);
    expect(handlers(world)).toEqual(['hourlyTick']);
    world.run('saveDeliverySettings', [{ reminders: false, thankYou: true }]);
    expect(handlers(world)).toEqual(['hourlyTick']);

    // Nothing needs it any more.
    world.run('saveDeliverySettings', [{ reminders: false, thankYou: false }]);
    expect(handlers(world)).toEqual([]);
    const sent = world.sim.requests.length;
    world.runtime.advance(3 * HOUR);
    expect(world.sim.requests.length).toBe(sent);
  });

  it('replaces the two hourly triggers of earlier versions the first time one fires, and does the hour once', () => {
    const world = new World({ rows: customers(3) });
    world.run('createPaymentLinks');
    world.driveToEnd();
    world.run('saveSettings', [{ autoRefresh: true }]);
    // As an earlier version left them: one trigger for the refresh, one for reminders.
    world.runtime.triggers.splice(0);
    world.runtime.addHourlyTrigger('autoRefreshStatus');
    world.runtime.addHourlyTrigger('sendReminders');
    const ids = world.column('Payment ID').map(String);
    world.sim.markPaid(ids[0] as string);
    const before = world.sim.requests.length;

    const fired = world.runtime.advance(HOUR + LATE);

    for (const e of fired) expect(e.error).toBeUndefined();
    // The first replaced both (the second, deleted, never ran): one refresh, not two.
    expect(fired.map((e) => e.fn)).toEqual(['autoRefreshStatus']);
    expect(handlers(world)).toEqual(['hourlyTick']);
    expect(world.sim.requests.slice(before).filter((r) => r.path.endsWith('/webhooks/history'))).toHaveLength(1);
    expect(world.column('Status')).toEqual(['Paid', 'Unpaid', 'Unpaid']);

    // From then on the new trigger does the hour.
    const fired2 = world.runtime.advance(HOUR + LATE);
    expect(fired2.map((e) => [e.fn, e.error])).toEqual([['hourlyTick', undefined]]);
  });

  it('carries on a run whose continuation trigger was lost, within the hour', () => {
    const world = new World({ rows: customers(60) });
    world.run('saveSettings', [{ autoRefresh: true }]);
    world.run('createPaymentLinks');
    // Someone deleted the one-off trigger in the Apps Script editor; the sidebar is closed.
    world.runtime.triggers.splice(
      world.runtime.triggers.findIndex((t) => t.handler === 'processNextBatch'),
      1,
    );
    expect(handlers(world)).toEqual(['hourlyTick']);
    const created = world.column('Payment ID').filter((id) => String(id) !== '').length;
    expect(created).toBe(20);

    const fired = world.runtime.advance(HOUR + 5 * 60_000);

    for (const e of fired) expect(e.error).toBeUndefined();
    expect(fired[0]?.fn).toBe('hourlyTick');
    // The hourly pass sent the next window and made the continuation again, which finished the run.
    expect(fired.map((e) => e.fn)).toContain('processNextBatch');
    expect(world.column('Payment ID').filter((id) => String(id) !== '')).toHaveLength(60);
    // Nothing created twice: one payment per customer.
    const names = world.sim.payments().map((p) => p.name);
    expect(names).toHaveLength(60);
    expect(new Set(names).size).toBe(60);
  });

  it('removes itself when another editor turned off what it was made for', () => {
    const world = new World({ rows: customers(3) });
    world.run('createPaymentLinks');
    world.driveToEnd();
    world.run('saveSettings', [{ autoRefresh: true, keyScope: 'document' }]);
    world.run('saveSettings', [{ autoRefresh: true }], { user: 'staff@example.com' });
    expect(world.runtime.triggers.map((t) => t.owner).sort()).toEqual(['owner@example.com', 'staff@example.com']);
    // The owner turns the refresh off: their trigger goes at once, the teammate's is theirs to remove.
    world.run('saveSettings', [{ autoRefresh: false }]);
    expect(world.runtime.triggers.map((t) => t.owner)).toEqual(['staff@example.com']);
    const sent = world.sim.requests.length;

    const fired = world.runtime.advance(HOUR + LATE);

    expect(fired.map((e) => [e.fn, e.error])).toEqual([['hourlyTick', undefined]]);
    expect(world.runtime.triggers).toEqual([]);
    expect(world.sim.requests.length).toBe(sent);
  });
});

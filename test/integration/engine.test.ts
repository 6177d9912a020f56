/**
 * The job engine's promises on the built bundle: a stored job that can't be read stops runs
 * loudly, results find their invoice even when the row was edited meanwhile, an output column
 * deleted mid-run comes back, and a payment whose row can't be found is never created twice.
 */
import { describe, expect, it } from 'vitest';
import { customers, SHEET, World } from '../support/world';
import { createFor } from './soundness';

function alerts(world: World): string[] {
  return world.runtime.ui.alerts.map((a) => a.message);
}

describe('a stored job that cannot be read', () => {
  it('halts new runs with a clear message, sends nothing, and Cancel discards it', () => {
    const world = new World({ rows: customers(45) });
    world.run('createPaymentLinks');
    const created = world.createRequests();
    // A part of the stored job goes missing (a quota, a hand edit of the properties).
    world.runtime.properties.document.set('mayar.job', '3');

    world.run('createPaymentLinks');
    expect(alerts(world).at(-1)).toContain("The stored state of the last run can't be read");
    expect(alerts(world).at(-1)).toContain('Check the Mayar Log');
    world.runtime.advance(61_000);
    const batch = world.run('processNextBatch').value as { state: string; message: string };
    expect(batch.state).toBe('stopped');
    expect(world.createRequests()).toBe(created);

    const cancelled = world.run('cancelRun').value as { message: string };
    expect(cancelled.message).toContain('discarded');
    world.runtime.advance(61_000);
    world.run('createPaymentLinks');
    world.driveToEnd();
    // Rows sent before the loss already have their links; the rest are sent now, once each.
    expect(world.column('Payment Link').every((link) => String(link).startsWith('https://'))).toBe(true);
    for (const [, count] of world.createsPerContent()) expect(count).toBe(1);
  });
});

describe('placing results', () => {
  it('a note typed into a row while its create is in flight: the link still lands there, one payment', () => {
    const world = new World({ rows: customers(3) });
    world.sim.injectFault({ type: 'lost-reply', match: createFor('Customer 2') });
    world.run('createPaymentLinks');
    // While the lost reply is unresolved, someone edits the description of that row.
    world.runtime.spreadsheet.sheet(SHEET).write(3, 4, 'Invoice 2 — paid half in cash');
    world.runtime.advance(61_000);
    world.driveToEnd();
    expect(world.column('Payment Link')[1]).toMatch(/^https:\/\//);
    expect(world.sim.createCount()).toBe(3);
  });

  it('an output column deleted mid-run is put back, and its values are not dropped', () => {
    const world = new World({ rows: customers(45) });
    world.run('createPaymentLinks');
    const header = world.header();
    const statusColumn = header.indexOf('Status') + 1;
    world.runtime.spreadsheet.sheet(SHEET).deleteColumns(statusColumn, 1);
    expect(world.header()).not.toContain('Status');
    world.driveToEnd();
    expect(world.header()).toContain('Status');
    const statuses = world.column('Status');
    expect(statuses.slice(-5).every((s) => s === 'Unpaid')).toBe(true);
  });

  it("a payment whose row can't be found is remembered: the next click writes it instead of creating another", () => {
    const world = new World({ rows: customers(2) });
    world.sim.injectFault({ type: 'lost-reply', match: createFor('Customer 2') });
    world.run('createPaymentLinks');
    // The row is changed (amount retyped) while its create is in flight, then typed back.
    const sheet = world.runtime.spreadsheet.sheet(SHEET);
    sheet.write(3, 2, '99999');
    world.runtime.advance(61_000);
    world.driveToEnd();
    expect(world.column('Payment Link')[1]).toBe('');
    sheet.write(3, 2, '10200');
    world.runtime.advance(61_000);
    world.run('createPaymentLinks');
    world.driveToEnd();
    expect(world.column('Payment Link')[1]).toMatch(/^https:\/\//);
    expect(world.sim.createCount()).toBe(2);
  });
});

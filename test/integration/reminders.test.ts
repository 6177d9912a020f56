/**
 * Reminders and thank-you emails on the built bundle, driven by the hourly trigger alone over
 * ten virtual days with payments arriving in between: each unpaid customer with an address
 * gets H-3, H-1 and the due-day reminder once each, during the day; nobody who paid gets one;
 * whoever turns Paid gets one thank-you.
 */
import { describe, expect, it } from 'vitest';
import { driveByTriggers } from '../../tools/apps-script/gas-runtime';
import { World } from '../support/world';

const HOUR_MS = 3_600_000;
const JAKARTA_MS = 7 * HOUR_MS;
const HEADER = ['Name', 'Amount', 'Email', 'Expires At', 'Reminders'];

/** The world starts on 2026-11-25 at 10:00 in Jakarta; every bill is due on 2026-12-02. */
function billedWorld(): World {
  const w = new World({
    rows: [
      HEADER,
      ['Alice', '100000', 'alice@example.com', '2026-12-02 18:00', ''],
      ['Budi', '200000', 'budi@example.com', '2026-12-02 18:00', ''],
      ['Citra', '300000', 'citra@example.com', '2026-12-02 18:00', ''],
      ['Dewi', '400000', '', '2026-12-02 18:00', ''],
      ['Eko', '500000', 'eko@example.com', '2026-12-02 18:00', 'stop'],
    ],
  });
  w.run('createPaymentLinks');
  w.continueToEnd();
  expect(w.column('Status').map(String)).toEqual(['Unpaid', 'Unpaid', 'Unpaid', 'Unpaid', 'Unpaid']);
  return w;
}

function idOf(w: World, name: string): string {
  const row = w.rows().find((r) => r.Name === name);
  return String(row?.['Payment ID'] ?? '');
}

/** Runs the triggers up to the given Jakarta wall time. */
function driveUntil(w: World, isoJakarta: string): void {
  const at = Date.parse(`${isoJakarta}Z`) - JAKARTA_MS;
  const runs = driveByTriggers(w.runtime, at - w.runtime.clock.now());
  expect(runs.filter((r) => r.error).map((r) => `${r.fn}: ${String(r.error)}`)).toEqual([]);
  if (w.runtime.clock.now() < at) w.runtime.advance(at - w.runtime.clock.now());
}

function mailsTo(w: World, address: string): { subject: string; at: number }[] {
  return w.runtime.mail.filter((m) => m.to.includes(address)).map((m) => ({ subject: m.subject, at: m.at }));
}

function jakartaHour(at: number): number {
  return new Date(at + JAKARTA_MS).getUTCHours();
}

function jakartaDay(at: number): string {
  return new Date(at + JAKARTA_MS).toISOString().slice(0, 10);
}

describe('Reminders that stop once paid', () => {
  it('ten days of hourly passes: H-3, H-1 and H once each to the unpaid, none to who paid or said stop, none at night; one thank-you each', () => {
    const w = billedWorld();
    const saved = w.run('saveDeliverySettings', [{ reminders: true, reminderDays: [-3, -1, 0], thankYou: true }]);
    expect(saved.value).toMatchObject({ ok: true });
    // Turning reminders on made the hourly trigger, with the automatic refresh off.
    expect(w.runtime.triggers.map((t) => t.handler)).toContain('hourlyTick');

    // Citra pays before any reminder is due; Budi after H-3, before H-1 (no webhook: only the check finds out).
    driveUntil(w, '2026-11-27T12:00:00');
    w.sim.pay(idOf(w, 'Citra'));
    driveUntil(w, '2026-11-30T13:00:00');
    w.sim.pay(idOf(w, 'Budi'));
    driveUntil(w, '2026-12-05T10:00:00');

    const reminder = (s: string) => /^(Reminder|Due today)/.test(s);
    const alice = mailsTo(w, 'alice@example.com').filter((m) => reminder(m.subject));
    expect(alice.map((m) => jakartaDay(m.at))).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'].filter((d) => d !== '2026-11-30'));
    expect(alice.map((m) => m.subject)).toEqual([expect.stringMatching(/^Reminder/), expect.stringMatching(/^Reminder/), expect.stringMatching(/^Due today/)]);
    const budi = mailsTo(w, 'budi@example.com');
    expect(budi.filter((m) => reminder(m.subject)).map((m) => jakartaDay(m.at))).toEqual(['2026-11-29']);
    expect(budi.filter((m) => m.subject === 'Payment received, thank you')).toHaveLength(1);
    const citra = mailsTo(w, 'citra@example.com');
    expect(citra.filter((m) => reminder(m.subject))).toEqual([]);
    expect(citra.filter((m) => m.subject === 'Payment received, thank you')).toHaveLength(1);
    expect(mailsTo(w, 'eko@example.com')).toEqual([]);
    expect(mailsTo(w, 'alice@example.com').filter((m) => !reminder(m.subject))).toEqual([]);
    // Nobody is mailed at night.
    for (const mail of w.runtime.mail.filter((m) => reminder(m.subject))) {
      expect(jakartaHour(mail.at)).toBeGreaterThanOrEqual(8);
      expect(jakartaHour(mail.at)).toBeLessThan(20);
    }
    // Last Reminder shows the step and the time; Dewi has no address: hers wait in the WhatsApp queue.
    const byName = new Map(w.rows().map((r) => [String(r.Name), r]));
    expect(String(byName.get('Alice')?.['Last Reminder'])).toMatch(/^H · 2026-12-02 (0[89]|1\d):\d\d$/);
    expect(String(byName.get('Budi')?.['Last Reminder'])).toMatch(/^H-3 · 2026-11-29/);
    expect(String(byName.get('Dewi')?.['Last Reminder'] ?? '')).toBe('');
    expect(byName.get('Budi')?.Status).toBe('Paid');
  });

  it('turning reminders off stops them: no trigger of its own, no email', () => {
    const w = billedWorld();
    w.run('saveDeliverySettings', [{ reminders: true }]);
    w.run('saveDeliverySettings', [{ reminders: false }]);
    expect(w.runtime.triggers.map((t) => t.handler)).not.toContain('hourlyTick');
    driveUntil(w, '2026-12-03T10:00:00');
    expect(w.runtime.mail).toEqual([]);
  });
});

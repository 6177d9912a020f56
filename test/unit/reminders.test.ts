import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_DAYS,
  dueReminder,
  formatLastReminder,
  isRemindersStopped,
  normaliseReminderDays,
  parseLastReminder,
  type ReminderInput,
  sentSteps,
  stepLabel,
} from '../../src/core/reminders';
import type { PaymentStatus } from '../../src/core/status';
import type { Cell } from '../../src/core/types';
import { JAKARTA, NEW_YORK } from './zone';

/** An instant given as Jakarta wall-clock time (UTC+7). */
function wib(text: string): Date {
  return new Date(`${text}:00+07:00`);
}

const SETTINGS = { enabled: true, reminderDays: DEFAULT_REMINDER_DAYS };
// Due 31 Dec 2026: the link expires at the end of that day in Jakarta.
const EXPIRY = wib('2026-12-31T23:59');

function decide(now: string, over: Partial<ReminderInput> = {}) {
  return dueReminder({ settings: SETTINGS, expiry: EXPIRY, status: 'unpaid', sent: [], zone: JAKARTA, now: wib(now), ...over });
}

describe('dueReminder', () => {
  it('sends H-3, H-1 and the due-day reminder on their days', () => {
    expect(decide('2026-12-28T09:00')).toEqual({ send: true, step: -3, daysLeft: 3, kind: 'reminderBefore' });
    expect(decide('2026-12-30T09:00', { sent: [-3] })).toEqual({ send: true, step: -1, daysLeft: 1, kind: 'reminderBefore' });
    expect(decide('2026-12-31T09:00', { sent: [-1] })).toEqual({ send: true, step: 0, daysLeft: 0, kind: 'reminderDue' });
  });

  it('sends nothing before the first step', () => {
    expect(decide('2026-12-27T12:00')).toEqual({ send: false, reason: 'notYet' });
  });

  it('sends each step once', () => {
    expect(decide('2026-12-28T15:00', { sent: [-3] })).toEqual({ send: false, reason: 'alreadySent' });
    expect(decide('2026-12-29T15:00', { sent: [-3] })).toEqual({ send: false, reason: 'alreadySent' });
  });

  it('skips a missed step in favour of the latest one that is due', () => {
    // H-3 never went out (say the sheet was closed for days): on H-1 only H-1 is sent.
    expect(decide('2026-12-30T10:00')).toEqual({ send: true, step: -1, daysLeft: 1, kind: 'reminderBefore' });
    // The day after H-3, with nothing sent: H-3 is still the latest step due.
    expect(decide('2026-12-29T10:00')).toEqual({ send: true, step: -3, daysLeft: 2, kind: 'reminderBefore' });
    // On the due day with nothing sent: only the due-day reminder.
    expect(decide('2026-12-31T10:00')).toEqual({ send: true, step: 0, daysLeft: 0, kind: 'reminderDue' });
  });

  it('never goes back to an earlier step, even when the settings add one', () => {
    const settings = { enabled: true, reminderDays: [-3, -2, -1, 0] };
    expect(decide('2026-12-29T10:00', { settings, sent: [-1] })).toEqual({ send: false, reason: 'alreadySent' });
  });

  it.each<[PaymentStatus | null]>([['paid'], ['closed'], ['expired'], ['review'], [null]])('never reminds a row whose status is %s', (status) => {
    expect(decide('2026-12-31T09:00', { status })).toEqual({ send: false, reason: 'notUnpaid' });
  });

  it('stops once the link has expired, even if the status still says unpaid', () => {
    const expiry = wib('2026-12-31T10:00');
    expect(decide('2026-12-31T09:59', { expiry })).toMatchObject({ send: true, step: 0 });
    expect(decide('2026-12-31T10:00', { expiry })).toEqual({ send: false, reason: 'expired' });
    expect(decide('2027-01-01T09:00')).toEqual({ send: false, reason: 'expired' });
    expect(decide('2026-12-31T09:00', { expiry: new Date(NaN) })).toEqual({ send: false, reason: 'expired' });
  });

  it('sends only between 08:00 and 20:00 in the sheet zone', () => {
    expect(decide('2026-12-28T07:59')).toEqual({ send: false, reason: 'outsideHours' });
    expect(decide('2026-12-28T08:00')).toMatchObject({ send: true, step: -3 });
    expect(decide('2026-12-28T19:59')).toMatchObject({ send: true, step: -3 });
    expect(decide('2026-12-28T20:00')).toEqual({ send: false, reason: 'outsideHours' });
    expect(decide('2026-12-28T23:30')).toEqual({ send: false, reason: 'outsideHours' });
  });

  it('counts days and hours in the sheet zone, not UTC', () => {
    // 28 Dec 09:00 in New York is 14:00 UTC; due 31 Dec end of day New York time.
    const expiry = new Date('2027-01-01T04:59:59Z');
    const now = new Date('2026-12-28T14:00:00Z');
    expect(dueReminder({ settings: SETTINGS, expiry, status: 'unpaid', sent: [], zone: NEW_YORK, now })).toMatchObject({ send: true, step: -3, daysLeft: 3 });
    // 02:00 UTC on 28 Dec is 21:00 on 27 Dec in New York: too late, and not yet H-3.
    expect(dueReminder({ settings: SETTINGS, expiry, status: 'unpaid', sent: [], zone: NEW_YORK, now: new Date('2026-12-28T02:00:00Z') })).toEqual({
      send: false,
      reason: 'notYet',
    });
  });

  it("honours the settings and the row's Reminders cell", () => {
    expect(decide('2026-12-28T09:00', { settings: { enabled: false, reminderDays: [-3] } })).toEqual({ send: false, reason: 'disabled' });
    expect(decide('2026-12-28T09:00', { settings: { enabled: true, reminderDays: [] } })).toEqual({ send: false, reason: 'notYet' });
    expect(decide('2026-12-24T09:00', { settings: { enabled: true, reminderDays: [-7] } })).toMatchObject({ send: true, step: -7 });
    for (const cell of ['stop', ' STOP ', 'Berhenti', false] as Cell[]) {
      expect(decide('2026-12-28T09:00', { remindersCell: cell })).toEqual({ send: false, reason: 'stopped' });
    }
    expect(decide('2026-12-28T09:00', { remindersCell: '' })).toMatchObject({ send: true });
    expect(decide('2026-12-28T09:00', { remindersCell: true })).toMatchObject({ send: true });
  });
});

describe('normaliseReminderDays', () => {
  it('keeps whole days from -30 to 0, sorted, once each', () => {
    expect(normaliseReminderDays([0, -1, -3, -1, 2, -31, 1.5, '-2', Number.NaN])).toEqual([-3, -1, 0]);
  });
});

describe('isRemindersStopped', () => {
  it('recognises stop words in both languages and nothing else', () => {
    expect(['stop', 'berhenti', 'Off', 'no', 'tidak'].every((w) => isRemindersStopped(w))).toBe(true);
    expect(['', 'yes', 'ya', 'stop please'].some((w) => isRemindersStopped(w))).toBe(false);
    expect(isRemindersStopped(undefined)).toBe(false);
    expect(isRemindersStopped(0)).toBe(false);
  });
});

describe('Last Reminder cell', () => {
  it('formats step and local time', () => {
    expect(formatLastReminder(-3, wib('2026-12-28T09:00'), JAKARTA)).toBe('H-3 · 2026-12-28 09:00');
    expect(formatLastReminder(0, wib('2026-12-31T19:05'), JAKARTA)).toBe('H · 2026-12-31 19:05');
    expect(stepLabel(-1)).toBe('H-1');
  });

  it('reads back what it wrote', () => {
    for (const step of [-30, -3, -1, 0]) {
      const at = wib('2027-01-02T08:15');
      expect(parseLastReminder(formatLastReminder(step, at, JAKARTA), JAKARTA)).toEqual({ step, at });
    }
    expect(parseLastReminder('h-1', JAKARTA)).toEqual({ step: -1, at: null });
    expect(parseLastReminder(' H ', JAKARTA)).toEqual({ step: 0, at: null });
  });

  it('refuses anything else', () => {
    for (const cell of ['', 'sent', '2026-12-28', 'H-3 yesterday', 3, new Date()] as Cell[]) {
      expect(parseLastReminder(cell, JAKARTA)).toBeNull();
    }
    expect(sentSteps('', JAKARTA)).toEqual([]);
    expect(sentSteps('H-1 · 2026-12-30 09:00', JAKARTA)).toEqual([-1]);
  });
});

describe('ten days of hourly reminder runs', () => {
  interface SimRow {
    name: string;
    expiry: Date;
    status: PaymentStatus;
    lastReminder: string;
    reminders?: Cell;
    /** When the customer pays (the status turns Paid from then on). */
    paysAt?: Date;
    log: string[];
  }

  it('sends each row its due steps once, during the day, and stops at payment', () => {
    const rows: SimRow[] = [
      { name: 'due day 5', expiry: wib('2027-01-05T23:59'), status: 'unpaid', lastReminder: '', log: [] },
      { name: 'pays on H-2', expiry: wib('2027-01-05T23:59'), status: 'unpaid', lastReminder: '', paysAt: wib('2027-01-03T13:20'), log: [] },
      { name: 'pays at night before H', expiry: wib('2027-01-06T23:59'), status: 'unpaid', lastReminder: '', paysAt: wib('2027-01-05T22:00'), log: [] },
      { name: 'due tomorrow', expiry: wib('2027-01-02T23:59'), status: 'unpaid', lastReminder: '', log: [] },
      { name: 'stopped', expiry: wib('2027-01-05T23:59'), status: 'unpaid', lastReminder: '', reminders: 'berhenti', log: [] },
      { name: 'due at 10:00', expiry: wib('2027-01-08T10:00'), status: 'unpaid', lastReminder: '', log: [] },
      { name: 'already paid', expiry: wib('2027-01-04T23:59'), status: 'paid', lastReminder: '', log: [] },
      { name: 'beyond', expiry: wib('2027-01-20T23:59'), status: 'unpaid', lastReminder: '', log: [] },
    ];
    const start = wib('2027-01-01T00:00').getTime();
    for (let hour = 0; hour < 24 * 10; hour++) {
      // Runs drift a few minutes past the hour, as time-driven triggers do.
      const now = new Date(start + hour * 3_600_000 + 7 * 60_000);
      for (const row of rows) {
        if (row.paysAt !== undefined && now >= row.paysAt) row.status = 'paid';
        const decision = dueReminder({
          settings: SETTINGS,
          expiry: row.expiry,
          status: row.status,
          sent: sentSteps(row.lastReminder, JAKARTA),
          remindersCell: row.reminders,
          zone: JAKARTA,
          now,
        });
        if (decision.send) {
          row.lastReminder = formatLastReminder(decision.step, now, JAKARTA);
          row.log.push(row.lastReminder);
        }
      }
    }
    const logs = Object.fromEntries(rows.map((row) => [row.name, row.log]));
    expect(logs).toEqual({
      'due day 5': ['H-3 · 2027-01-02 08:07', 'H-1 · 2027-01-04 08:07', 'H · 2027-01-05 08:07'],
      'pays on H-2': ['H-3 · 2027-01-02 08:07'],
      'pays at night before H': ['H-3 · 2027-01-03 08:07', 'H-1 · 2027-01-05 08:07'],
      // Created with one day left: H-3 has passed and is skipped, H-1 goes out on the first morning.
      'due tomorrow': ['H-1 · 2027-01-01 08:07', 'H · 2027-01-02 08:07'],
      stopped: [],
      // The due-day reminder still fits before the 10:00 expiry.
      'due at 10:00': ['H-3 · 2027-01-05 08:07', 'H-1 · 2027-01-07 08:07', 'H · 2027-01-08 08:07'],
      'already paid': [],
      beyond: [],
    });
    // Never two reminders to one row in one run, and never two on one day.
    for (const row of rows) {
      const days = row.log.map((entry) => entry.split(' · ')[1]?.slice(0, 10));
      expect(new Set(days).size).toBe(days.length);
    }
  });
});

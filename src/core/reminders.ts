/**
 * When to remind a customer of an unpaid bill. Steps are days relative to the due day in the
 * sheet's zone (-3 = three days before, 0 = the due day). A row gets at most one reminder
 * per step, never two at once, only during the day, and never once it is paid, closed or expired.
 */
import { instantFromWallClock, wallClock } from './dates';
import { calendarDateOf, daysBetween, isoDate } from './periods';
import type { PaymentStatus } from './status';
import type { Cell, ZoneInfo } from './types';

/** Reminder settings: whether reminders go out and on which steps. */
export interface ReminderSettings {
  enabled: boolean;
  /** Days relative to the due day, e.g. [-3, -1, 0]. */
  reminderDays: readonly number[];
}

/** H-3, H-1 and the due day itself. */
export const DEFAULT_REMINDER_DAYS: readonly number[] = [-3, -1, 0];

/** Reminders are sent from 08:00 up to (not including) 20:00, sheet time. */
export const REMINDER_HOURS = { from: 8, until: 20 } as const;

/** The earliest step accepted: a month before the due day. */
const EARLIEST_STEP = -30;

/** The steps as a sorted list of whole days from -30 to 0, each once; anything else is dropped. */
export function normaliseReminderDays(days: readonly unknown[]): number[] {
  const steps = days.filter((d): d is number => typeof d === 'number' && Number.isInteger(d) && d >= EARLIEST_STEP && d <= 0);
  return [...new Set(steps)].sort((a, b) => a - b);
}

/** One row's facts for a reminder decision. */
export interface ReminderInput {
  settings: ReminderSettings;
  /** When the payment link expires. */
  expiry: Date;
  status: PaymentStatus | null;
  /** Steps already sent to this row (from the Last Reminder cell: parseLastReminder). */
  sent: readonly number[];
  /** The row's Reminders cell; "stop"/"berhenti" turns reminders off for the row. */
  remindersCell?: Cell;
  zone: ZoneInfo;
  now: Date;
}

/** Why no reminder is due. */
export type ReminderSkip = 'disabled' | 'stopped' | 'notUnpaid' | 'expired' | 'notYet' | 'alreadySent' | 'outsideHours';

/** The decision for one row now. */
export type ReminderDecision = { send: true; step: number; daysLeft: number; kind: 'reminderBefore' | 'reminderDue' } | { send: false; reason: ReminderSkip };

const STOP_WORDS = new Set(['stop', 'berhenti', 'off', 'no', 'tidak', 'jangan']);

/** Whether a Reminders cell turns reminders off for its row (stop, berhenti, off, no, tidak, an unticked checkbox). */
export function isRemindersStopped(cell: Cell | undefined): boolean {
  if (cell === false) return true;
  if (typeof cell !== 'string') return false;
  return STOP_WORDS.has(cell.trim().toLowerCase());
}

function localHour(instant: Date, zone: ZoneInfo): number {
  return wallClock(instant, zone).getUTCHours();
}

/** Which reminder step, if any, to send to a row now. */
export function dueReminder(input: ReminderInput): ReminderDecision {
  const { settings, expiry, zone, now } = input;
  if (!settings.enabled) return { send: false, reason: 'disabled' };
  if (isRemindersStopped(input.remindersCell)) return { send: false, reason: 'stopped' };
  if (input.status !== 'unpaid') return { send: false, reason: 'notUnpaid' };
  if (Number.isNaN(expiry.getTime()) || now.getTime() >= expiry.getTime()) return { send: false, reason: 'expired' };
  const daysLeft = daysBetween(calendarDateOf(now, zone), calendarDateOf(expiry, zone));
  // The latest step whose day has come; earlier steps missed are skipped, never sent late in a batch.
  const due = normaliseReminderDays(settings.reminderDays).filter((step) => step <= -daysLeft);
  const step = due[due.length - 1];
  if (step === undefined) return { send: false, reason: 'notYet' };
  // Steps only move forward: a step at or before one already sent is never due again.
  if (input.sent.some((sent) => sent >= step)) return { send: false, reason: 'alreadySent' };
  const hour = localHour(now, zone);
  if (hour < REMINDER_HOURS.from || hour >= REMINDER_HOURS.until) return { send: false, reason: 'outsideHours' };
  return { send: true, step, daysLeft, kind: daysLeft === 0 ? 'reminderDue' : 'reminderBefore' };
}

/** "H-3", "H-1", "H" for the due day. */
export function stepLabel(step: number): string {
  if (step === 0) return 'H';
  return step < 0 ? `H-${-step}` : `H+${step}`;
}

/** The Last Reminder cell: "H-3 · 2026-12-28 09:00", the time in the sheet's zone. */
export function formatLastReminder(step: number, at: Date, zone: ZoneInfo): string {
  const wall = wallClock(at, zone);
  const time = `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`;
  return `${stepLabel(step)} · ${isoDate(calendarDateOf(at, zone))} ${time}`;
}

const LAST_REMINDER = /^\s*[HD]\s*(?:([-+\u2212])\s*(\d{1,2}))?\s*(?:[·|,;-]\s*(\d{4})-(\d{2})-(\d{2})\s+(\d{1,2}):(\d{2}))?\s*$/i;

/** Reads a Last Reminder cell back: its step, and when it was sent (null if the time is missing); null when it is not one. */
export function parseLastReminder(cell: Cell | undefined, zone: ZoneInfo): { step: number; at: Date | null } | null {
  if (typeof cell !== 'string') return null;
  const match = LAST_REMINDER.exec(cell);
  if (match === null) return null;
  const [, sign, days, year, month, day, hour, minute] = match;
  const step = days === undefined ? 0 : (sign === '+' ? 1 : -1) * Number(days);
  const at =
    year === undefined
      ? null
      : instantFromWallClock(
          { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: 0, ms: 0 },
          zone,
        );
  // "H-0" would give -0, which toEqual tells apart from 0.
  return { step: step === 0 ? 0 : step, at };
}

/** The steps a row has had, as dueReminder wants them, from its Last Reminder cell. */
export function sentSteps(lastReminderCell: Cell | undefined, zone: ZoneInfo): number[] {
  const last = parseLastReminder(lastReminderCell, zone);
  return last === null ? [] : [last.step];
}

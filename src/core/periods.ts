/**
 * Calendar arithmetic for recurring bills: month names, month steps that clamp to the end of
 * the month, and the Repeat/Ulangi column. Dates are plain year/month/day in the sheet's zone.
 */
import type { Locale } from './messages';
import { cellIsEmpty, isDateCell } from './cell-text';
import { DAY_MS, daysInMonth, instantFromWallClock, wallClock } from './dates';
import { parseExpiry } from './parse';
import type { Cell, ZoneInfo } from './types';

/** A calendar day; month runs 1–12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const MONTH_NAMES: Record<Locale, readonly string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
};

/** The month's full name in the locale: monthName('id', 12) → "Desember". */
export function monthName(locale: Locale, month: number): string {
  return MONTH_NAMES[locale][month - 1] ?? '';
}

/** "31 Desember 2026" / "31 December 2026". */
export function formatLongDate(locale: Locale, date: CalendarDate): string {
  return `${date.day} ${monthName(locale, date.month)} ${date.year}`;
}

/** "Januari 2027" / "January 2027". */
export function periodName(locale: Locale, date: CalendarDate): string {
  return `${monthName(locale, date.month)} ${date.year}`;
}

/** The name of the month after the date's: December 2026 → "Januari 2027". */
export function nextPeriodName(locale: Locale, date: CalendarDate): string {
  return periodName(locale, addMonths(date, 1));
}

/** Adds whole months; a day the target month lacks becomes its last day (31 Jan → 28 Feb). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** The calendar day an instant falls on in the zone. */
export function calendarDateOf(instant: Date, zone: ZoneInfo): CalendarDate {
  const wall = wallClock(instant, zone);
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** Days from one calendar day to another (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  const serial = (d: CalendarDate): number => Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
  return Math.round(serial(to) - serial(from));
}

/** "2026-12-31". */
export function isoDate(date: CalendarDate): string {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** The Date a date-only cell holds for that day: midnight in the sheet's zone. */
export function dateCellValue(date: CalendarDate, zone: ZoneInfo): Date {
  return instantFromWallClock({ ...date, hour: 0, minute: 0, second: 0, ms: 0 }, zone);
}

// Any instant: the date is wanted even when it has passed.
const DISTANT_PAST = new Date(-8.64e15);

/**
 * The calendar day a date cell (a Date, usually local midnight in the sheet's zone) or a text
 * date ("2026-12-31", "31/12/2026", "31 Desember 2026") names; null for anything else.
 */
export function calendarDateFromCell(cell: Cell, zone: ZoneInfo): CalendarDate | null {
  if (cellIsEmpty(cell)) return null;
  if (isDateCell(cell)) {
    if (Number.isNaN(cell.getTime())) return null;
    // Sheets stores days as fractions, so local midnight may come back a few ms early.
    return calendarDateOf(new Date(cell.getTime() + 1000), zone);
  }
  if (typeof cell !== 'string') return null;
  // The expiry parser reads every date form the sheet accepts; a date-only text becomes
  // the end of that day in the zone, so its calendar day is the one typed.
  const parsed = parseExpiry(cell, { zone, now: DISTANT_PAST, defaultExpiryDays: 0 });
  return parsed.ok ? calendarDateOf(new Date(parsed.value), zone) : null;
}

/** The same day `months` months on, as a cell value of the same kind (Date → Date, text → yyyy-mm-dd). */
export function advanceDateCell(cell: Cell, zone: ZoneInfo, months = 1): Cell | null {
  const date = calendarDateFromCell(cell, zone);
  if (date === null) return null;
  const next = addMonths(date, months);
  return isDateCell(cell) ? dateCellValue(next, zone) : isoDate(next);
}

const MONTH_IN_TEXT = new RegExp(
  String.raw`\b(${[...MONTH_NAMES.en, ...MONTH_NAMES.id].filter((n, i, all) => all.indexOf(n) === i).join('|')})\s+(\d{4})\b`,
  'gi',
);

/**
 * Moves every "<month> <year>" in a text on by `months`, keeping the text's language:
 * "SPP Desember 2026" → "SPP Januari 2027". Names both languages share (April, September,
 * November) are read in `locale`, the interface language.
 */
export function advancePeriodInText(locale: Locale, text: string, months = 1): string {
  const indexIn = (language: Locale, lower: string): number => MONTH_NAMES[language].findIndex((n) => n.toLowerCase() === lower) + 1;
  return text.replace(MONTH_IN_TEXT, (whole, name: string, year: string) => {
    const lower = name.toLowerCase();
    const language: Locale = indexIn(locale, lower) > 0 ? locale : locale === 'en' ? 'id' : 'en';
    const month = indexIn(language, lower);
    if (month === 0) return whole;
    return periodName(language, addMonths({ year: Number(year), month, day: 1 }, months));
  });
}

const YES = new Set(['yes', 'ya', 'y', 'true', '✓', '✔', '✔️', '☑', '☑️', '✅', '1', 'iya']);

/** Whether a Repeat/Ulangi cell asks for the bill to repeat (yes, ya, y, true, ✓, 1, a ticked checkbox). */
export function isRepeatYes(cell: Cell): boolean {
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number') return cell === 1;
  if (typeof cell !== 'string') return false;
  return YES.has(cell.trim().toLowerCase());
}

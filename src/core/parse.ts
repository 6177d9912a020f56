/**
 * One parser per input field. Each takes a cell as getValues() returns it and answers either
 * the value to send to Mayar or a Message that quotes the cell as the user typed it.
 * Plain string work only: Apps Script V8 has no Intl time zones, URL or TextEncoder.
 */
import * as z from 'zod/mini';
import { type AmountReading, groupThousands, readAmountText, readsDotAsDecimal } from './amount';
import { cellIsEmpty, cellText, isDateCell, plainNumber } from './cell-text';
import { DAY_MS, instantFromWallClock, MINUTE_MS, readDateText, wallClock } from './dates';
import type { Message } from './messages';
import { lazy } from './schema';
import type { Cell, ZoneInfo } from './types';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: Message };

export interface ExpiryContext {
  zone: ZoneInfo;
  now: Date;
  defaultExpiryDays: number;
}

const MIN_AMOUNT = 500;
/** Well above any real invoice; catches a pasted account number or an extra row of zeros. */
export const MAX_AMOUNT = 10_000_000_000;
export const NAME_MAX = 255;
const TEXT_MAX = 2000;

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function fail<T>(message: Message): Parsed<T> {
  return { ok: false, message };
}

const missing = <T>(): Parsed<T> => fail({ key: 'cell.missing' });

// ---------------------------------------------------------------- name and free text

export function parseName(cell: Cell): Parsed<string> {
  // Line breaks and runs of spaces inside a name are layout, not part of the name.
  const name = cellText(cell).replace(/\s+/g, ' ');
  if (name === '') return missing();
  if (name.length > NAME_MAX) return fail({ key: 'name.tooLong', params: { max: NAME_MAX } });
  return ok(name);
}

/** Optional text, kept as typed apart from trimming (a leading "=" stays plain text). */
export function parseText(cell: Cell, max: number = TEXT_MAX): Parsed<string | undefined> {
  const text = cellText(cell);
  if (text === '') return ok(undefined);
  if (text.length > max) return fail({ key: 'text.tooLong', params: { max } });
  return ok(text);
}

// ---------------------------------------------------------------- amount

export function parseAmount(cell: Cell): Parsed<number> {
  if (cellIsEmpty(cell)) return missing();
  const value = cellText(cell);
  let reading: AmountReading;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return fail({ key: 'amount.notRupiah', params: { value } });
    // A formula such as =B2*1.1 leaves float dust (275000.00000000006): that is still whole.
    const rounded = Math.round(cell);
    const dust = Math.abs(cell - rounded) < 1e-6;
    reading = {
      kind: 'number',
      value: Math.abs(dust ? rounded : cell),
      negative: cell < 0,
      fraction: !dust,
    };
  } else if (typeof cell === 'string') {
    reading = readAmountText(cell);
  } else {
    reading = { kind: 'notNumber' };
  }
  if (reading.kind === 'notNumber') return fail({ key: 'amount.notRupiah', params: { value } });
  if (reading.kind === 'ambiguous') return fail({ key: 'amount.ambiguous', params: { value } });
  if (reading.negative && reading.value !== 0) return fail({ key: 'amount.negative', params: { value } });
  if (reading.fraction) return fail({ key: 'amount.fraction', params: { value } });
  if (reading.value < MIN_AMOUNT) return fail({ key: 'amount.tooSmall', params: { value } });
  if (reading.value > MAX_AMOUNT) {
    return fail({ key: 'amount.tooLarge', params: { value, max: groupThousands(MAX_AMOUNT) } });
  }
  return ok(reading.value);
}

/** The smallest amount a thousands-grouped number can have: below it, "." can only have been a decimal point. */
const GROUPED_MINIMUM = 1000;

/**
 * A number cell whose amount the user may not be seeing: null when what is shown is what would
 * be sent. `shown` is the cell's getDisplayValues() text; `sheetLocale` getSpreadsheetLocale().
 * A whole amount from Rp 500 (the minimum; below it the row fails anyway) to under Rp 1.000 in
 * a sheet that reads "." as a decimal point is most likely 500.000 typed and stored as 500; a shown text that reads as another amount (a number format
 * showing 500 as "500.000", or hiding digits) would send something the user never saw.
 * Text cells are read from their text, which is what is shown, so they pass.
 */
export function amountAsShown(cell: Cell, shown: string | undefined, sheetLocale: string | undefined): Message | null {
  if (typeof cell !== 'number' || !Number.isFinite(cell)) return null;
  const whole = Math.abs(cell - Math.round(cell)) < 1e-6;
  const value = shown === undefined || shown.trim() === '' ? cellText(cell) : shown.trim();
  if (whole && cell >= MIN_AMOUNT && cell < GROUPED_MINIMUM && sheetLocale !== undefined && readsDotAsDecimal(sheetLocale)) {
    const amount = Math.round(cell);
    return { key: 'amount.dotDecimalLocale', params: { value, locale: sheetLocale, digits: plainNumber(amount * 1000), amount: plainNumber(amount) } };
  }
  if (shown === undefined || !parseAmount(cell).ok) return null;
  // A currency sign before the digits ("$", "Rp", "IDR") is the format's; a word after them
  // ("rb", "K", "jt") may be a multiplier, so it stays and the text is not read as this amount.
  const digits = shown.trim().replace(/^[^\d\-\u2212]+/, '');
  const reading = readAmountText(digits);
  const sent = Math.round(cell);
  if (reading.kind === 'number' && !reading.fraction && reading.value === sent) return null;
  return { key: 'amount.notAsShown', params: { value: shown.trim(), sent: groupThousands(sent), digits: plainNumber(sent) } };
}

// ---------------------------------------------------------------- Mayar ids

/**
 * Mayar's ids (uuids): letters, digits, "-" and "_", at most 64. An id becomes part of a URL
 * path, so ".", "..", slashes, spaces or "?" (which would reach another path) are refused first.
 */
const MAYAR_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isMayarId(text: string): boolean {
  return MAYAR_ID.test(text);
}

// ---------------------------------------------------------------- email and mobile

// zod's email check is a plain regex, so it works in Apps Script (unlike z.url()).
const emailSchema = /* @__PURE__ */ lazy(() => z.email());

export function parseEmail(cell: Cell): Parsed<string | undefined> {
  if (cellIsEmpty(cell)) return ok(undefined);
  const value = cellText(cell);
  if (typeof cell !== 'string' || !emailSchema().safeParse(value).success) {
    return fail({ key: 'email.invalid', params: { value } });
  }
  return ok(value);
}

/** 0, then 8, then 8 to 12 more digits: 10 to 14 digits in all. */
const MOBILE_PATTERN = /^08\d{8,12}$/;

/**
 * Normalises to 08…: separators removed, +62 / 0062 / 62 (with an optional "(0)") → 0, and a
 * number cell that lost its leading 0 (81234567890) gets it back.
 */
export function parseMobile(cell: Cell): Parsed<string | undefined> {
  if (cellIsEmpty(cell)) return ok(undefined);
  const value = cellText(cell);
  let digits: string;
  if (typeof cell === 'number') {
    if (!Number.isInteger(cell) || cell <= 0) return fail({ key: 'mobile.invalid', params: { value } });
    digits = value;
  } else if (typeof cell === 'string') {
    digits = value.replace(/[\s\-.()[\]/]/g, '');
  } else {
    return fail({ key: 'mobile.invalid', params: { value } });
  }
  digits = digits.replace(/^(?:\+|00)?620?(?=8)/, '0');
  if (/^8/.test(digits)) digits = `0${digits}`;
  if (!MOBILE_PATTERN.test(digits)) return fail({ key: 'mobile.invalid', params: { value } });
  return ok(digits);
}

// ---------------------------------------------------------------- expiry

const END_OF_DAY = { hour: 23, minute: 59, second: 59, ms: 0 };

/**
 * The payment link's expiry as ISO 8601 UTC. A date without a time of day (a Date cell at
 * midnight in the spreadsheet's zone, or date-only text) means the end of that day there;
 * text times without a zone are the spreadsheet's. Blank → now + defaultExpiryDays days.
 */
export function parseExpiry(cell: Cell, ctx: ExpiryContext): Parsed<string> {
  const { zone, now } = ctx;
  if (cellIsEmpty(cell)) return ok(new Date(now.getTime() + ctx.defaultExpiryDays * DAY_MS).toISOString());
  const value = cellText(cell, zone);
  const invalid = (): Parsed<string> => fail({ key: 'expiry.invalid', params: { value } });
  let instant: Date;
  if (isDateCell(cell)) {
    if (Number.isNaN(cell.getTime())) return invalid();
    const wall = wallClock(cell, zone);
    const sinceMidnight = wall.getTime() - Math.floor(wall.getTime() / DAY_MS) * DAY_MS;
    // Sheets stores dates as fractions of a day, so "midnight" may be off by a few ms.
    const atMidnight = sinceMidnight < 1000 || sinceMidnight > DAY_MS - 1000;
    if (atMidnight) {
      const day = new Date(Math.round(wall.getTime() / DAY_MS) * DAY_MS);
      instant = instantFromWallClock({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), ...END_OF_DAY }, zone);
    } else {
      instant = cell;
    }
  } else if (typeof cell === 'string') {
    const read = readDateText(cell);
    if (read === undefined) return invalid();
    const wall = read.hasTime ? read.wall : { ...read.wall, ...END_OF_DAY };
    instant =
      read.offset !== undefined
        ? new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms) - read.offset * MINUTE_MS)
        : instantFromWallClock(wall, zone);
  } else {
    return invalid();
  }
  if (instant.getTime() < now.getTime()) return fail({ key: 'expiry.past', params: { value } });
  return ok(instant.toISOString());
}

/**
 * One parser per input field. Each takes a cell as getValues() returns it and answers either
 * the value to send to Mayar or a Message that quotes the cell as the user typed it.
 * Plain string work only: Apps Script V8 has no Intl time zones, URL or TextEncoder.
 */
import * as z from 'zod/mini';
import type { Message } from './messages';
import type { Cell, ZoneInfo } from './types';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: Message };

export interface ExpiryContext {
  zone: ZoneInfo;
  now: Date;
  defaultExpiryDays: number;
}

export const MIN_AMOUNT = 500;
/** Well above any real invoice; catches a pasted account number or an extra row of zeros. */
export const MAX_AMOUNT = 10_000_000_000;
export const NAME_MAX = 255;
export const TEXT_MAX = 2000;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function fail<T>(message: Message): Parsed<T> {
  return { ok: false, message };
}

const missing = <T>(): Parsed<T> => fail({ key: 'cell.missing' });

/** Dates from another realm (a vm sandbox, a fake sheet) fail instanceof, so ask the tag. */
export function isDateCell(cell: unknown): cell is Date {
  return Object.prototype.toString.call(cell) === '[object Date]';
}

export function cellIsEmpty(cell: Cell | undefined | null): boolean {
  return cell === undefined || cell === null || (typeof cell === 'string' && cell.trim() === '');
}

/** A number as digits, never in exponent form (81234567890, not 8.1234567890e10). */
function plainNumber(n: number): string {
  const text = String(n);
  if (!/e/i.test(text) || !Number.isFinite(n)) return text;
  if (Number.isInteger(n)) return BigInt(n).toString();
  return n.toFixed(20).replace(/\.?0+$/, '');
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Wall-clock fields of an instant in a zone, read from a shifted UTC date. */
function wallClock(instant: Date, zone: ZoneInfo | undefined): Date {
  const offset = zone ? zone.offsetMinutes(instant) : 0;
  return new Date(instant.getTime() + offset * MINUTE_MS);
}

/**
 * A cell as the user would read it: strings trimmed, numbers without exponent, booleans as the
 * sheet shows them, Dates as yyyy-mm-dd (plus HH:mm, and :ss when set) in the zone, UTC without one.
 */
export function cellText(cell: Cell | undefined | null, zone?: ZoneInfo): string {
  if (cell === undefined || cell === null) return '';
  if (typeof cell === 'string') return cell.trim();
  if (typeof cell === 'number') return plainNumber(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (!isDateCell(cell)) return String(cell);
  if (Number.isNaN(cell.getTime())) return '';
  const wall = wallClock(cell, zone);
  const date = `${wall.getUTCFullYear()}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())}`;
  const h = wall.getUTCHours();
  const m = wall.getUTCMinutes();
  const s = wall.getUTCSeconds();
  if (h === 0 && m === 0 && s === 0) return date;
  return `${date} ${pad2(h)}:${pad2(m)}${s === 0 ? '' : `:${pad2(s)}`}`;
}

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

/** 10000000000 → "10.000.000.000", the way rupiah are written. */
export function groupThousands(n: number): string {
  return plainNumber(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

type AmountReading = { kind: 'number'; value: number; negative: boolean; fraction: boolean } | { kind: 'notNumber' };

/**
 * Reads "Rp 250.000", "250,000", "Rp. 1.250.000", "IDR 250000", "Rp 250.000,-". A separator
 * followed by groups of exactly three digits is a thousands separator (both "." and ","
 * are used in Indonesia); any other separator starts a fraction.
 */
function readAmountText(raw: string): AmountReading {
  let s = raw.replace(/\s+/g, '');
  let negative = false;
  const takeSign = (): void => {
    if (/^[-\u2212]/.test(s)) {
      negative = true;
      s = s.slice(1);
    }
  };
  takeSign();
  s = s.replace(/^(?:rp\.?|idr)/i, '');
  takeSign();
  s = s.replace(/(?:idr|rupiah)$/i, '').replace(/[.,]-+$/, '');

  let whole: string;
  let fractionDigits = '';
  let match: RegExpExecArray | null;
  if (/^\d+$/.test(s)) {
    whole = s;
  } else if (/^\d{1,3}(?:\.\d{3})+$/.test(s) || /^\d{1,3}(?:,\d{3})+$/.test(s)) {
    whole = s.replace(/[.,]/g, '');
  } else if ((match = /^(\d{1,3}(?:\.\d{3})+|\d+),(\d+)$/.exec(s)) !== null) {
    whole = (match[1] ?? '').replace(/\./g, '');
    fractionDigits = match[2] ?? '';
  } else if ((match = /^(\d{1,3}(?:,\d{3})+|\d+)\.(\d+)$/.exec(s)) !== null) {
    whole = (match[1] ?? '').replace(/,/g, '');
    fractionDigits = match[2] ?? '';
  } else {
    return { kind: 'notNumber' };
  }
  return {
    kind: 'number',
    value: Number(whole),
    negative,
    fraction: /[1-9]/.test(fractionDigits),
  };
}

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
  if (reading.negative && reading.value !== 0) return fail({ key: 'amount.negative', params: { value } });
  if (reading.fraction) return fail({ key: 'amount.fraction', params: { value } });
  if (reading.value < MIN_AMOUNT) return fail({ key: 'amount.tooSmall', params: { value } });
  if (reading.value > MAX_AMOUNT) {
    return fail({ key: 'amount.tooLarge', params: { value, max: groupThousands(MAX_AMOUNT) } });
  }
  return ok(reading.value);
}

/**
 * Languages whose Sheets locales read "," as the decimal point and "." as the thousands
 * separator, as Indonesian does; with the few countries that differ from their language.
 * Any other locale is taken to read "." as a decimal point: the safe side, since that is
 * where a typed 500.000 silently becomes 500.
 */
const COMMA_DECIMAL_LANGUAGES = new Set([
  'id',
  'in',
  'de',
  'nl',
  'da',
  'es',
  'pt',
  'it',
  'tr',
  'el',
  'ro',
  'hr',
  'sl',
  'sr',
  'bs',
  'is',
  'vi',
  'ca',
  'gl',
  'eu',
  'az',
]);
const DOT_DECIMAL_LOCALES = new Set(['es_mx', 'es_us', 'es_pr', 'es_do', 'es_gt', 'es_hn', 'es_ni', 'es_pa', 'es_sv', 'de_ch', 'it_ch']);

/** Whether a spreadsheet locale (getSpreadsheetLocale(): "en_US", "id", "in_ID") reads "." as a decimal point. */
export function readsDotAsDecimal(sheetLocale: string): boolean {
  const tag = sheetLocale.toLowerCase().replace('-', '_');
  if (DOT_DECIMAL_LOCALES.has(tag)) return true;
  return !COMMA_DECIMAL_LANGUAGES.has(tag.split('_')[0] ?? '');
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

// ---------------------------------------------------------------- email and mobile

// zod's email check is a plain regex, so it works in Apps Script (unlike z.url()).
const emailSchema = z.email();

export function parseEmail(cell: Cell): Parsed<string | undefined> {
  if (cellIsEmpty(cell)) return ok(undefined);
  const value = cellText(cell);
  if (typeof cell !== 'string' || !emailSchema.safeParse(value).success) {
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

interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** The instant at which the zone's clock shows the given wall time. */
export function instantFromWallClock(wall: WallTime, zone: ZoneInfo): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms);
  const first = asUtc - zone.offsetMinutes(new Date(asUtc)) * MINUTE_MS;
  // Near a daylight-saving change the offset at the guess may differ from the one at the answer.
  const second = asUtc - zone.offsetMinutes(new Date(first)) * MINUTE_MS;
  return new Date(second);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// One line per month, so a missing spelling stands out.
// prettier-ignore
const MONTHS: Record<string, number> = {
  jan: 1, januari: 1, january: 1,
  feb: 2, februari: 2, february: 2, peb: 2, pebruari: 2,
  mar: 3, maret: 3, march: 3,
  apr: 4, april: 4,
  may: 5, mei: 5,
  jun: 6, juni: 6, june: 6,
  jul: 7, juli: 7, july: 7,
  aug: 8, agu: 8, agt: 8, agustus: 8, august: 8,
  sep: 9, sept: 9, september: 9,
  oct: 10, okt: 10, oktober: 10, october: 10,
  nov: 11, nopember: 11, november: 11,
  dec: 12, des: 12, desember: 12, december: 12,
};

/** Fixed offsets, in minutes, of zone names people write after a time. */
const ZONE_NAMES: Record<string, number> = { z: 0, utc: 0, gmt: 0, wib: 420, wita: 480, wit: 540 };

// Time of day, optionally with seconds, fractions and a zone: "17:00", "17.00", "T17:00:00.000+07:00".
const TIME = String.raw`(?:\s*[T ,]\s*(?:(?:pukul|jam|at)\s+)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.(\d{1,9}))?)?\s*(z|utc|gmt|wib|wita|wit|[+-]\d{2}(?::?\d{2})?)?)?`;
const YMD = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${TIME}$`, 'i');
const DMY = new RegExp(String.raw`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})${TIME}$`, 'i');
const D_MONTH_Y = new RegExp(String.raw`^(\d{1,2})[\s-]*([a-z]+)\.?[\s-]*(\d{4})${TIME}$`, 'i');

interface TextDate {
  wall: WallTime;
  hasTime: boolean;
  /** Minutes east of UTC when the text names a zone. */
  offset?: number;
}

function zoneOffset(token: string): number | undefined {
  const named = ZONE_NAMES[token.toLowerCase()];
  if (named !== undefined) return named;
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(token);
  if (match === null) return undefined;
  const hours = Number(match[2]);
  const mins = Number(match[3] ?? '0');
  // Real offsets run from -12:00 to +14:00.
  if (hours > 14 || mins > 59) return undefined;
  const minutes = hours * 60 + mins;
  return match[1] === '-' ? -minutes : minutes;
}

function readDateText(raw: string): TextDate | undefined {
  const text = raw.trim().replace(/\s+/g, ' ');
  let year: number;
  let month: number;
  let day: number;
  let rest: (string | undefined)[];
  let match: RegExpExecArray | null;
  if ((match = YMD.exec(text)) !== null) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    rest = match.slice(4);
  } else if ((match = DMY.exec(text)) !== null) {
    // Day first, as Indonesia writes it; 12/31/2026 is rejected rather than guessed.
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
    rest = match.slice(4);
  } else if ((match = D_MONTH_Y.exec(text)) !== null) {
    const named = MONTHS[(match[2] ?? '').toLowerCase()];
    if (named === undefined) return undefined;
    [day, month, year] = [Number(match[1]), named, Number(match[3])];
    rest = match.slice(4);
  } else {
    return undefined;
  }
  const [h, m, s, fraction, zoneToken] = rest;
  const hasTime = h !== undefined;
  const wall: WallTime = {
    year,
    month,
    day,
    hour: hasTime ? Number(h) : 0,
    minute: hasTime ? Number(m) : 0,
    second: s !== undefined ? Number(s) : 0,
    ms: fraction !== undefined ? Math.floor(Number(`0.${fraction}`) * 1000) : 0,
  };
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) return undefined;
  if (zoneToken === undefined) return { wall, hasTime };
  const offset = zoneOffset(zoneToken);
  if (offset === undefined) return undefined;
  return { wall, hasTime, offset };
}

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

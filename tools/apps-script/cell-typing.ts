/**
 * How Sheets turns text into cell values (what a person typing, or setValue with a string, gets)
 * and how it shows values back (getDisplayValues). Locale-aware for decimal/group separators and
 * day/month order, the parts that bite a payment add-on: phone numbers, amounts and dates.
 */
import { instantFromWall, wallClock } from './timezone';

/** A cell value as the fake stores it (host realm). */
export type CellValue = string | number | boolean | Date;

/** What getValues() returns for a formula cell: never a literal a test could confuse with data. */
export const FORMULA_VALUE = '#FORMULA!';
/** What getValues() returns for text Sheets tried to parse as a formula (`+62 812…`, `-foo`). */
export const FORMULA_ERROR_VALUE = '#ERROR!';

export interface Typed {
  value: CellValue;
  formula?: string;
  /** Number format Sheets applies when the cell had none (e.g. 'yyyy-mm-dd' for a typed date). */
  autoFormat?: string;
}

interface LocaleInfo {
  decimal: string;
  group: string;
  monthFirst: boolean;
}

const localeCache = new Map<string, LocaleInfo>();

export function localeInfo(locale: string): LocaleInfo {
  let info = localeCache.get(locale);
  if (!info) {
    const tag = locale.replace('_', '-');
    let decimal = '.';
    let group = ',';
    let monthFirst = true;
    try {
      const parts = new Intl.NumberFormat(tag).formatToParts(12345.5);
      decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
      group = parts.find((p) => p.type === 'group')?.value ?? ',';
      const dateParts = new Intl.DateTimeFormat(tag, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }).formatToParts(0);
      monthFirst = dateParts.findIndex((p) => p.type === 'month') < dateParts.findIndex((p) => p.type === 'day');
    } catch {
      // Unknown locale: Sheets would fall back to en_US.
    }
    info = { decimal, group, monthFirst };
    localeCache.set(locale, info);
  }
  return info;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseNumber(text: string, locale: string): Typed | null {
  const { decimal, group } = localeInfo(locale);
  const g = group === ',' || group === '.' ? escapeRegex(group) : null;
  const d = escapeRegex(decimal);
  const intPart = g ? `(\\d+|\\d{1,3}(?:${g}\\d{3})+)` : '(\\d+)';
  const re = new RegExp(`^([+-])?(?:${intPart}(?:${d}(\\d*))?|${d}(\\d+))(?:[eE]([+-]?\\d+))?(%)?$`);
  const m = re.exec(text);
  if (!m) return null;
  const [, sign, intDigits, fracA, fracB, exponent, percent] = m;
  const grouped = intDigits !== undefined && g !== null && intDigits.includes(group);
  const integer = (intDigits ?? '0').split(group).join('');
  const fraction = fracA ?? fracB ?? '';
  let value = Number(`${integer}.${fraction || '0'}${exponent ? `e${exponent}` : ''}`);
  if (percent) value /= 100;
  if (sign === '-') value = -value;
  if (!Number.isFinite(value)) return null;
  const decimals = fraction.length > 0 ? '.00' : '';
  let autoFormat: string | undefined;
  if (percent) autoFormat = fraction.length > 0 ? '0.00%' : '0%';
  else if (exponent) autoFormat = '0.00E+00';
  else if (grouped) autoFormat = `#,##0${decimals}`;
  return { value, ...(autoFormat ? { autoFormat } : {}) };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function parseTime(text: string | undefined): { h: number; mi: number; s: number } | null {
  if (text === undefined) return { h: 0, mi: 0, s: 0 };
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$/.exec(text);
  if (!m) return null;
  let h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3] ?? 0);
  if (m[4]) {
    if (h < 1 || h > 12) return null;
    const pm = m[4].toLowerCase() === 'pm';
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (h > 23 || mi > 59 || s > 59) return null;
  return { h, mi, s };
}

function parseDate(text: string, locale: string, timeZone: string): Typed | null {
  const iso = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](.+))?$/.exec(text);
  const local = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?: (.+))?$/.exec(text);
  let year: number;
  let month: number;
  let day: number;
  let timeText: string | undefined;
  let dateFormat: string;
  if (iso) {
    year = Number(iso[1]);
    month = Number(iso[2]);
    day = Number(iso[3]);
    timeText = iso[4];
    dateFormat = 'yyyy-mm-dd';
  } else if (local) {
    const first = Number(local[1]);
    const second = Number(local[3]);
    const y = local[4] as string;
    year = y.length === 2 ? (Number(y) < 30 ? 2000 + Number(y) : 1900 + Number(y)) : Number(y);
    const monthFirst = localeInfo(locale).monthFirst;
    month = monthFirst ? first : second;
    day = monthFirst ? second : first;
    timeText = local[5];
    dateFormat = monthFirst ? 'm/d/yyyy' : 'd/m/yyyy';
  } else {
    const time = parseTime(text);
    if (!time || !/^\d/.test(text) || !text.includes(':')) return null;
    // A time alone is a time of day on Sheets' epoch, 1899-12-30.
    return { value: new Date(instantFromWall(1899, 12, 30, time.h, time.mi, time.s, 0, timeZone)), autoFormat: 'h:mm:ss am/pm' };
  }
  if (!validDate(year, month, day)) return null;
  const time = parseTime(timeText);
  if (!time) return null;
  const value = new Date(instantFromWall(year, month, day, time.h, time.mi, time.s, 0, timeZone));
  return { value, autoFormat: timeText === undefined ? dateFormat : `${dateFormat} h:mm:ss` };
}

/**
 * The value Sheets stores for a string entered into a cell with an ordinary (non-text) format.
 * The caller has already handled the `'` prefix and the '@' format.
 */
export function typeString(text: string, locale: string, timeZone: string): Typed {
  if (text === '') return { value: '' };
  if (text.startsWith('=')) return { value: FORMULA_VALUE, formula: text };
  const trimmed = text.trim();
  if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === 'true' };
  const number = parseNumber(trimmed, locale);
  if (number) return number;
  const date = parseDate(trimmed, locale, timeZone);
  if (date) return date;
  // Sheets reads text starting with + or - as a formula; what isn't a number is a parse error.
  if (/^[+-]./.test(trimmed)) return { value: FORMULA_ERROR_VALUE, formula: `=${trimmed}` };
  return { value: text };
}

// ---------------------------------------------------------------- display

const SHEETS_EPOCH_UTC = Date.UTC(1899, 11, 30);

/** Sheets' serial number of a date: days since 1899-12-30 on the spreadsheet's wall clock. */
export function serialOf(date: Date, timeZone: string): number {
  const w = wallClock(date.getTime(), timeZone);
  const wallMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
  return (wallMs - SHEETS_EPOCH_UTC) / 86400000;
}

function groupDigits(digits: string, group: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, group);
}

function localizeNumber(text: string, locale: string): string {
  const { decimal } = localeInfo(locale);
  return decimal === '.' ? text : text.replace('.', decimal);
}

function generalNumber(value: number, locale: string): string {
  if (!Number.isFinite(value)) return '#NUM!';
  const abs = Math.abs(value);
  if (Number.isInteger(value) && abs < 1e15) return String(value);
  if (abs >= 1e15 || (abs < 1e-9 && value !== 0)) {
    const [mantissa, exp] = value.toExponential(2).split('e');
    const e = Number(exp);
    return localizeNumber(`${mantissa}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`, locale);
  }
  return localizeNumber(String(Number(value.toPrecision(10))), locale);
}

function isDateFormat(format: string): boolean {
  const unquoted = format.replace(/"[^"]*"/g, '').replace(/\\./g, '');
  return /[ydhs]/i.test(unquoted) || /^[^0#]*m[^0#]*$/i.test(unquoted);
}

function formatNumber(value: number, format: string, locale: string): string {
  const section = format.split(';')[0] as string;
  const percent = section.includes('%');
  const scaled = percent ? value * 100 : value;
  const exp = /0(?:\.(0+))?E\+0+/i.exec(section);
  if (exp) {
    const [mantissa, e] = scaled.toExponential(exp[1]?.length ?? 0).split('e');
    return localizeNumber(`${mantissa}E${Number(e) < 0 ? '-' : '+'}${String(Math.abs(Number(e))).padStart(2, '0')}`, locale);
  }
  const numberPart = /[#0,]+(?:\.([0#]+))?/.exec(section);
  if (!numberPart) return generalNumber(value, locale);
  const decimals = numberPart[1]?.length ?? 0;
  const fixed = Math.abs(scaled).toFixed(decimals);
  const [intDigits, fraction] = fixed.split('.') as [string, string | undefined];
  const { decimal, group } = localeInfo(locale);
  const grouped = numberPart[0].includes(',') ? groupDigits(intDigits, group) : intDigits;
  const body = fraction ? `${grouped}${decimal}${fraction}` : grouped;
  const prefix = section
    .slice(0, numberPart.index)
    .replace(/"([^"]*)"/g, '$1')
    .replace(/\\(.)/g, '$1');
  const suffix = section
    .slice(numberPart.index + numberPart[0].length)
    .replace(/"([^"]*)"/g, '$1')
    .replace(/\\(.)/g, '$1');
  return `${scaled < 0 && Number(fixed) !== 0 ? '-' : ''}${prefix}${body}${suffix}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type DateToken = { kind: 'lit'; text: string } | { kind: 'field'; letter: string; count: number };

/** Sheets date/time formats: yyyy, mm (month, or minutes next to h/s), dd, hh, ss, am/pm, "text". */
function formatSheetsDate(date: Date, format: string, timeZone: string): string {
  const w = wallClock(date.getTime(), timeZone);
  const tokens: DateToken[] = [];
  let i = 0;
  const ampm = /am\/pm|a\/p/i.test(format);
  while (i < format.length) {
    const rest = format.slice(i);
    const ap = /^(am\/pm|a\/p)/i.exec(rest);
    if (ap) {
      tokens.push({ kind: 'lit', text: w.hour < 12 ? (ap[1]?.length === 3 ? 'A' : 'AM') : ap[1]?.length === 3 ? 'P' : 'PM' });
      i += (ap[1] as string).length;
      continue;
    }
    const ch = format[i] as string;
    if (ch === '"') {
      const end = format.indexOf('"', i + 1);
      tokens.push({ kind: 'lit', text: format.slice(i + 1, end < 0 ? undefined : end) });
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    if (ch === '\\') {
      tokens.push({ kind: 'lit', text: format[i + 1] ?? '' });
      i += 2;
      continue;
    }
    const lower = ch.toLowerCase();
    if ('ymdhs'.includes(lower)) {
      let n = 1;
      while ((format[i + n] ?? '').toLowerCase() === lower) n++;
      tokens.push({ kind: 'field', letter: lower, count: n });
      i += n;
      continue;
    }
    if (ch === '.' && /^\.0+/.test(rest)) {
      const zeros = (/^\.(0+)/.exec(rest)?.[1] ?? '').length;
      tokens.push({ kind: 'lit', text: '.' + String(w.millisecond).padStart(3, '0').slice(0, zeros) });
      i += zeros + 1;
      continue;
    }
    tokens.push({ kind: 'lit', text: ch });
    i++;
  }
  const fields = tokens.filter((t): t is Extract<DateToken, { kind: 'field' }> => t.kind === 'field');
  return tokens
    .map((t) => {
      if (t.kind === 'lit') return t.text;
      const index = fields.indexOf(t);
      const prev = fields[index - 1];
      const next = fields[index + 1];
      const pad = (v: number): string => String(v).padStart(Math.min(t.count, 2), '0');
      switch (t.letter) {
        case 'y':
          return t.count <= 2 ? String(w.year % 100).padStart(2, '0') : String(w.year);
        case 'm':
          if (t.count <= 2 && (prev?.letter === 'h' || next?.letter === 's')) return pad(w.minute);
          if (t.count === 3) return MONTHS[w.month - 1]?.slice(0, 3) ?? '';
          if (t.count >= 4) return MONTHS[w.month - 1] ?? '';
          return pad(w.month);
        case 'd':
          if (t.count === 3) return DAYS[w.weekday]?.slice(0, 3) ?? '';
          if (t.count >= 4) return DAYS[w.weekday] ?? '';
          return pad(w.day);
        case 'h':
          return pad(ampm ? (w.hour % 12 === 0 ? 12 : w.hour % 12) : w.hour);
        default:
          return pad(w.second);
      }
    })
    .join('');
}

/** getDisplayValues() of one cell. */
export function displayValue(value: CellValue, format: string | undefined, locale: string, timeZone: string): string {
  const fmt = format && format !== 'General' ? format : undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    if (fmt && fmt !== '@' && isDateFormat(fmt)) return formatSheetsDate(value, fmt, timeZone);
    if (fmt && fmt !== '@') return formatNumber(serialOf(value, timeZone), fmt, locale);
    return formatSheetsDate(value, localeInfo(locale).monthFirst ? 'm/d/yyyy h:mm:ss' : 'd/m/yyyy h:mm:ss', timeZone);
  }
  if (!fmt || fmt === '@') return generalNumber(value, locale);
  if (isDateFormat(fmt)) {
    const ms = SHEETS_EPOCH_UTC + value * 86400000;
    return formatSheetsDate(new Date(ms), fmt, 'UTC');
  }
  return formatNumber(value, fmt, locale);
}

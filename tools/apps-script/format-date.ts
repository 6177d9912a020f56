/** Utilities.formatDate: Java SimpleDateFormat patterns, English names, Intl time zones. */
import { effectiveZone, offsetMinutes, wallClock } from './timezone';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Java's short names where Intl's en-US answers differ ("GMT+7"). */
const JAVA_SHORT_ZONES: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
  UTC: 'UTC',
  'Etc/UTC': 'UTC',
  GMT: 'GMT',
  'Etc/GMT': 'GMT',
};

export class DatePatternError extends Error {}

function pad(value: number, width: number): string {
  const sign = value < 0 ? '-' : '';
  return sign + String(Math.abs(value)).padStart(width, '0');
}

function offsetText(minutes: number, style: 'Z' | 'X' | 'XX' | 'XXX'): string {
  if (minutes === 0 && style !== 'Z') return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = pad(Math.floor(abs / 60), 2);
  const mm = pad(abs % 60, 2);
  if (style === 'X') return `${sign}${hh}`;
  if (style === 'XXX') return `${sign}${hh}:${mm}`;
  return `${sign}${hh}${mm}`;
}

function zoneName(instant: number, timeZone: string, long: boolean): string {
  if (!long && JAVA_SHORT_ZONES[timeZone]) return JAVA_SHORT_ZONES[timeZone];
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: long ? 'long' : 'short' }).formatToParts(new Date(instant));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

function dayOfYear(year: number, month: number, day: number): number {
  return Math.round((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86400000) + 1;
}

/** Week of year as Java's US locale counts it: weeks start on Sunday, week 1 contains January 1. */
function weekOfYear(year: number, month: number, day: number): number {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  return Math.floor((dayOfYear(year, month, day) - 1 + jan1) / 7) + 1;
}

export function formatJavaDate(instant: number, timeZoneInput: string, pattern: string): string {
  const timeZone = effectiveZone(timeZoneInput);
  const w = wallClock(instant, timeZone);
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === "'") {
      // '' is a literal apostrophe; 'text' is literal text, where '' again means an apostrophe.
      if (pattern[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      let j = i + 1;
      let literal = '';
      for (;;) {
        if (j >= pattern.length) throw new DatePatternError('Unterminated quote');
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            literal += "'";
            j += 2;
            continue;
          }
          break;
        }
        literal += pattern[j];
        j++;
      }
      out += literal;
      i = j + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      out += ch;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === ch) n++;
    i += n;
    out += field(ch, n, instant, timeZone, w);
  }
  return out;
}

function field(ch: string, n: number, instant: number, timeZone: string, w: ReturnType<typeof wallClock>): string {
  switch (ch) {
    case 'G':
      return w.year > 0 ? 'AD' : 'BC';
    case 'y':
    case 'Y':
      return n === 2 ? pad(w.year % 100, 2) : pad(w.year, n);
    case 'M':
    case 'L':
      if (n >= 4) return MONTHS[w.month - 1] as string;
      if (n === 3) return (MONTHS[w.month - 1] as string).slice(0, 3);
      return pad(w.month, n);
    case 'd':
      return pad(w.day, n);
    case 'D':
      return pad(dayOfYear(w.year, w.month, w.day), n);
    case 'w':
      return pad(weekOfYear(w.year, w.month, w.day), n);
    case 'W':
      return pad(Math.floor((w.day - 1 + new Date(Date.UTC(w.year, w.month - 1, 1)).getUTCDay()) / 7) + 1, n);
    case 'F':
      return pad(Math.floor((w.day - 1) / 7) + 1, n);
    case 'E':
      return n >= 4 ? (DAYS[w.weekday] as string) : (DAYS[w.weekday] as string).slice(0, 3);
    case 'u':
      return pad(w.weekday === 0 ? 7 : w.weekday, n);
    case 'a':
      return w.hour < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(w.hour, n);
    case 'k':
      return pad(w.hour === 0 ? 24 : w.hour, n);
    case 'K':
      return pad(w.hour % 12, n);
    case 'h':
      return pad(w.hour % 12 === 0 ? 12 : w.hour % 12, n);
    case 'm':
      return pad(w.minute, n);
    case 's':
      return pad(w.second, n);
    case 'S':
      return pad(w.millisecond, n);
    case 'z':
      return zoneName(instant, timeZone, n >= 4);
    case 'Z':
      return offsetText(offsetMinutes(instant, timeZone), 'Z');
    case 'X':
      if (n > 3) throw new DatePatternError('invalid ISO 8601 format: length=' + n);
      return offsetText(offsetMinutes(instant, timeZone), n === 1 ? 'X' : n === 2 ? 'XX' : 'XXX');
    default:
      throw new DatePatternError(`Illegal pattern character '${ch}'`);
  }
}

/**
 * Wall-clock time in the spreadsheet's zone, and dates as people type them ("2026-06-30",
 * "30/06/2026 17:00", "30 Juni 2026 pukul 17.00 WIB"). Plain arithmetic on shifted UTC dates:
 * Apps Script V8 has no Intl time zones.
 */
import type { ZoneInfo } from './types';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** Wall-clock fields of an instant in a zone, read from a shifted UTC date. */
export function wallClock(instant: Date, zone: ZoneInfo | undefined): Date {
  const offset = zone ? zone.offsetMinutes(instant) : 0;
  return new Date(instant.getTime() + offset * MINUTE_MS);
}

/** The instant at which the zone's clock shows the given wall time. */
export function instantFromWallClock(wall: WallTime, zone: ZoneInfo): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms);
  const first = asUtc - zone.offsetMinutes(new Date(asUtc)) * MINUTE_MS;
  // Near a daylight-saving change the offset at the guess may differ from the one at the answer.
  const second = asUtc - zone.offsetMinutes(new Date(first)) * MINUTE_MS;
  return new Date(second);
}

/** Days in a month (month 1–12). */
export function daysInMonth(year: number, month: number): number {
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

export function readDateText(raw: string): TextDate | undefined {
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

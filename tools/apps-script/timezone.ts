/** Wall-clock arithmetic in IANA time zones, through Intl (what Apps Script's Java time zones answer). */

export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 = Sunday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Java falls back to GMT for a zone it does not know instead of failing. */
export function effectiveZone(timeZone: string): string {
  return isValidTimeZone(timeZone) ? timeZone : 'UTC';
}

export function wallClock(instant: number, timeZone: string): WallClock {
  const parts = formatterFor(effectiveZone(timeZone)).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const era = parts.find((p) => p.type === 'era')?.value ?? 'AD';
  const yearOfEra = get('year');
  const year = era.startsWith('B') ? 1 - yearOfEra : yearOfEra;
  const month = get('month');
  const day = get('day');
  const hour = get('hour') % 24;
  const millisecond = ((instant % 1000) + 1000) % 1000;
  const utcOfWall = Date.UTC(year, month - 1, day);
  return {
    year,
    month,
    day,
    hour,
    minute: get('minute'),
    second: get('second'),
    millisecond,
    weekday: new Date(utcOfWall).getUTCDay(),
  };
}

export function offsetMinutes(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
  return Math.round((asUtc - instant) / 60000);
}

/** The instant at which the wall clock of `timeZone` shows the given fields. */
export function instantFromWall(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0, timeZone = 'UTC'): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const first = guess - offsetMinutes(guess, timeZone) * 60000;
  const second_ = guess - offsetMinutes(first, timeZone) * 60000;
  return second_;
}

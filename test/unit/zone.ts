/**
 * ZoneInfo for tests, answered by Node's Intl (Apps Script answers it with Utilities.formatDate).
 */
import type { ZoneInfo } from '../../src/core/types';

export function zoneInfo(timeZone: string): ZoneInfo {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return {
    timeZone,
    offsetMinutes(instant: Date): number {
      const parts: Record<string, number> = {};
      for (const part of format.formatToParts(instant)) {
        if (part.type !== 'literal') parts[part.type] = Number(part.value);
      }
      const wall = Date.UTC(
        parts.year ?? 0,
        (parts.month ?? 1) - 1,
        parts.day ?? 1,
        parts.hour ?? 0,
        parts.minute ?? 0,
        parts.second ?? 0,
      );
      const whole = Math.floor(instant.getTime() / 1000) * 1000;
      return Math.round((wall - whole) / 60_000);
    },
  };
}

export const JAKARTA = zoneInfo('Asia/Jakarta');
export const NEW_YORK = zoneInfo('America/New_York');

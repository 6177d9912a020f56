/**
 * ZoneInfo for tests, answered by Node's Intl through the fake runtime's time-zone helper
 * (Apps Script answers it with Utilities.formatDate).
 */
import type { ZoneInfo } from '../../src/core/types';
import { offsetMinutes } from '../../tools/apps-script/timezone';

export function zoneInfo(timeZone: string): ZoneInfo {
  return { timeZone, offsetMinutes: (instant: Date) => offsetMinutes(instant.getTime(), timeZone) };
}

export const JAKARTA = zoneInfo('Asia/Jakarta');
export const NEW_YORK = zoneInfo('America/New_York');

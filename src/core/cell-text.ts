/**
 * Reading cells as getValues() returns them (strings, numbers, booleans, Dates) and as the
 * user sees them.
 */
import { wallClock } from './dates';
import type { Cell, ZoneInfo } from './types';

/** Dates from another realm (a vm sandbox, a fake sheet) fail instanceof, so ask the tag. */
export function isDateCell(cell: unknown): cell is Date {
  return Object.prototype.toString.call(cell) === '[object Date]';
}

export function cellIsEmpty(cell: Cell | undefined | null): boolean {
  return cell === undefined || cell === null || (typeof cell === 'string' && cell.trim() === '');
}

/** A number as digits, never in exponent form (81234567890, not 8.1234567890e10). */
export function plainNumber(n: number): string {
  const text = String(n);
  if (!/e/i.test(text) || !Number.isFinite(n)) return text;
  if (Number.isInteger(n)) return BigInt(n).toString();
  return n.toFixed(20).replace(/\.?0+$/, '');
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

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

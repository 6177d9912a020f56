/**
 * The confirmation shown before links are created: how many, for how much, where (sandbox or
 * production), and what looks like a mistake in the sheet.
 */
import { type Locale, t } from './messages';
import { groupThousands } from './amount';
import type { Environment } from './settings';
import type { PaymentRequest } from './types';

/** A valid request and the 1-based sheet row it came from. */
export interface ConfirmItem {
  row: number;
  request: PaymentRequest;
}

/** Something in the requests that looks like a typo or a repeat; rows are sheet rows. */
export type ConfirmWarning =
  | { kind: 'tinyAmount'; rows: number[] }
  | { kind: 'outlier'; rows: number[]; median: number }
  | { kind: 'duplicate'; rows: number[]; name: string; amount: number }
  | { kind: 'soonExpiry'; rows: number[] }
  | { kind: 'amountColumn'; rows: number[]; taken: string; others: string[] };

/** What the confirmation says, before it is put into words. */
export interface Confirmation {
  environment: Environment;
  count: number;
  total: number;
  withEmail: number;
  withMobile: number;
  warnings: ConfirmWarning[];
}

/** Amounts below this are probably a typo (thousands left out). */
export const TINY_AMOUNT = 1000;
/** Amounts more than this many times the median are probably a typo (zeros added). */
export const OUTLIER_FACTOR = 20;
const DAY_MS = 86_400_000;
/** Rows quoted in one warning before "and N more". */
const ROWS_SHOWN = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The sheet's amount column, and the other columns that could have been it (headers as the sheet spells them). */
export interface AmountColumns {
  taken: string;
  others: readonly string[];
}

/** Counts, total and warnings for the requests about to be sent. */
export function buildConfirmation(items: readonly ConfirmItem[], environment: Environment, now: Date, amountColumns?: AmountColumns): Confirmation {
  const amounts = items.map((item) => item.request.amount);
  const typical = median(amounts);
  const warnings: ConfirmWarning[] = [];
  const rowsWhere = (test: (request: PaymentRequest) => boolean): number[] => items.filter((item) => test(item.request)).map((item) => item.row);

  const tiny = rowsWhere((r) => r.amount < TINY_AMOUNT);
  if (tiny.length > 0) warnings.push({ kind: 'tinyAmount', rows: tiny });
  const outliers = rowsWhere((r) => typical > 0 && r.amount > OUTLIER_FACTOR * typical);
  if (outliers.length > 0) warnings.push({ kind: 'outlier', rows: outliers, median: typical });

  const groups = new Map<string, ConfirmItem[]>();
  for (const item of items) {
    // The same customer however the name is spaced or capitalised.
    const key = `${item.request.name.trim().replace(/\s+/g, ' ').toLowerCase()}\u0000${item.request.amount}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  for (const group of groups.values()) {
    const first = group[0];
    if (group.length > 1 && first !== undefined) {
      warnings.push({ kind: 'duplicate', rows: group.map((item) => item.row), name: first.request.name, amount: first.request.amount });
    }
  }

  const soon = rowsWhere((r) => Date.parse(r.expiredAt) - now.getTime() < DAY_MS);
  if (soon.length > 0) warnings.push({ kind: 'soonExpiry', rows: soon });
  // Two columns could be the amount: say which one is read, so a wrong one is caught before sending.
  if (amountColumns && amountColumns.others.length > 0)
    warnings.push({ kind: 'amountColumn', rows: [], taken: amountColumns.taken, others: [...amountColumns.others] });

  return {
    environment,
    count: items.length,
    total: amounts.reduce((sum, amount) => sum + amount, 0),
    withEmail: items.filter((item) => item.request.email !== undefined).length,
    withMobile: items.filter((item) => item.request.mobile !== undefined).length,
    warnings,
  };
}

/** "Rp 1.500.000", as dialogs write rupiah. */
function rupiah(amount: number): string {
  return `Rp ${groupThousands(Math.round(amount))}`;
}

function rowList(locale: Locale, rows: readonly number[]): string {
  const shown = rows.slice(0, ROWS_SHOWN).join(', ');
  if (rows.length <= ROWS_SHOWN) return shown;
  return t(locale, 'confirm.moreRows', { rows: shown, count: rows.length - ROWS_SHOWN });
}

function warningText(locale: Locale, warning: ConfirmWarning): string {
  const rows = rowList(locale, warning.rows);
  const count = warning.rows.length;
  switch (warning.kind) {
    case 'tinyAmount':
      return t(locale, 'confirm.tinyAmount', { count, rows });
    case 'outlier':
      return t(locale, 'confirm.outlier', { count, rows, median: rupiah(warning.median) });
    case 'duplicate':
      return t(locale, 'confirm.duplicate', { count, rows, name: warning.name, amount: rupiah(warning.amount) });
    case 'soonExpiry':
      return t(locale, 'confirm.soonExpiry', { count, rows });
    case 'amountColumn':
      return t(locale, 'confirm.amountColumn', { taken: warning.taken, others: warning.others.map((h) => `"${h}"`).join(', ') });
  }
}

/** Lines the caller adds: `first` before everything (a change someone else made), `notes` before the question. */
export interface ConfirmExtra {
  first?: readonly string[];
  notes?: readonly string[];
}

/** The dialog's title and text in the interface language; production is said first and plainly. */
export function confirmationText(locale: Locale, confirmation: Confirmation, extra: ConfirmExtra = {}): { title: string; text: string } {
  const lines: string[] = [];
  if (extra.first?.length) lines.push(...extra.first.map((line) => `⚠ ${line}`), '');
  if (confirmation.environment === 'production') lines.push(`⚠ ${t(locale, 'confirm.production')}`, '');
  lines.push(t(locale, 'confirm.summary', { count: confirmation.count, total: rupiah(confirmation.total) }));
  lines.push(t(locale, 'confirm.contacts', { withEmail: confirmation.withEmail, withMobile: confirmation.withMobile }));
  if (confirmation.environment !== 'production') lines.push(t(locale, 'confirm.sandbox'));
  if (confirmation.warnings.length > 0) {
    lines.push('', t(locale, 'confirm.warnings'));
    for (const warning of confirmation.warnings) lines.push(`• ${warningText(locale, warning)}`);
  }
  if (extra.notes?.length) lines.push('', ...extra.notes);
  lines.push('', t(locale, 'confirm.question'));
  return { title: t(locale, 'confirm.title'), text: lines.join('\n') };
}

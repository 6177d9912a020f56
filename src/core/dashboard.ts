/**
 * The summary of billing across customer sheets: what was billed and collected, what is
 * overdue and for how long, and the money collected per day, as figures and as one block
 * of cells for the summary sheet.
 */
import { plainText } from './cells';
import { type Locale, t } from './messages';
import { type CalendarDate, calendarDateOf, dateCellValue, daysBetween } from './periods';
import { type PaymentStatus, STATUSES, statusText } from './status';
import type { ZoneInfo } from './types';

/** One row of a customer sheet as the summary needs it; rows without a status were never sent. */
export interface DashboardRow {
  status: PaymentStatus | null;
  amount: number | null;
  expiry: Date | null;
  paidAt: Date | null;
  /** The customer and the payment link, for the list of who still owes. */
  name?: string;
  link?: string;
}

/** A bill still owed (Unpaid or Expired), for the "Belum bayar" list. */
export interface UnpaidBill {
  sheet: string;
  name: string;
  amount: number;
  status: 'unpaid' | 'expired';
  expiry: Date | null;
  /** Calendar days past the due date; 0 while not yet due. */
  daysOverdue: number;
  link: string;
}

/** Bills the summary lists by name; the rest are counted in one line. */
export const MAX_UNPAID_LISTED = 500;

export const AGE_BUCKETS = ['1-7', '8-30', '>30'] as const;
/** Days past expiry: 1–7, 8–30, more than 30. */
export type AgeBucket = (typeof AGE_BUCKETS)[number];

/** How many days of collections the daily series covers, today included. */
export const DAILY_DAYS = 30;

/** The figures of one sheet, or of all of them. */
export interface Figures {
  /** Rows with a payment link (a status). */
  bills: number;
  /** Rupiah of all bills. */
  billed: number;
  paid: number;
  collected: number;
  unpaid: number;
  expired: number;
  closed: number;
  review: number;
  /** Rupiah of closed bills, left out of the collection rate. */
  closedAmount: number;
  /** Collected ÷ billed, closed bills left out; 0 when nothing is billed. */
  collectionRate: number;
  /** Unpaid or expired bills whose expiry has passed, by days since. */
  overdue: Record<AgeBucket, { count: number; amount: number }>;
  /** Rupiah paid per day in the sheet's zone, oldest first, ending today. */
  daily: { date: string; amount: number }[];
  byStatus: Record<PaymentStatus, number>;
}

/** The figures of every customer sheet and their total. */
export interface Dashboard {
  total: Figures;
  sheets: { name: string; figures: Figures }[];
  /** Every bill still owed, across the sheets, most overdue first. */
  unpaid: UnpaidBill[];
  /** When the figures were computed. */
  at: Date;
}

const DAY_MS = 86_400_000;

function emptyFigures(today: CalendarDate): Figures {
  const daily: { date: string; amount: number }[] = [];
  const base = Date.UTC(today.year, today.month - 1, today.day);
  for (let back = DAILY_DAYS - 1; back >= 0; back--) {
    daily.push({ date: new Date(base - back * DAY_MS).toISOString().slice(0, 10), amount: 0 });
  }
  return {
    bills: 0,
    billed: 0,
    paid: 0,
    collected: 0,
    unpaid: 0,
    expired: 0,
    closed: 0,
    review: 0,
    closedAmount: 0,
    collectionRate: 0,
    overdue: { '1-7': { count: 0, amount: 0 }, '8-30': { count: 0, amount: 0 }, '>30': { count: 0, amount: 0 } },
    daily,
    byStatus: { unpaid: 0, paid: 0, expired: 0, closed: 0, review: 0 },
  };
}

function rate(f: Figures): number {
  const open = f.billed - f.closedAmount;
  return open > 0 ? f.collected / open : 0;
}

function ageBucket(days: number): AgeBucket {
  return days <= 7 ? '1-7' : days <= 30 ? '8-30' : '>30';
}

/** The figures of one sheet's rows at `now`, days counted in the sheet's zone. */
export function computeFigures(rows: readonly DashboardRow[], now: Date, zone: ZoneInfo): Figures {
  const today = calendarDateOf(now, zone);
  const f = emptyFigures(today);
  for (const row of rows) {
    if (row.status === null) continue;
    const amount = row.amount !== null && Number.isFinite(row.amount) ? row.amount : 0;
    f.bills += 1;
    f.billed += amount;
    f.byStatus[row.status] += 1;
    f[row.status] += 1;
    if (row.status === 'closed') f.closedAmount += amount;
    if (row.status === 'paid') {
      f.collected += amount;
      if (row.paidAt !== null && !Number.isNaN(row.paidAt.getTime())) {
        const index = DAILY_DAYS - 1 - daysBetween(calendarDateOf(row.paidAt, zone), today);
        const day = f.daily[index];
        if (day !== undefined) day.amount += amount;
      }
    }
    const stillOwed = row.status === 'unpaid' || row.status === 'expired';
    if (stillOwed && row.expiry !== null && row.expiry.getTime() < now.getTime()) {
      // Any part of a day past expiry counts as a day.
      const bucket = f.overdue[ageBucket(Math.max(1, Math.ceil((now.getTime() - row.expiry.getTime()) / DAY_MS)))];
      bucket.count += 1;
      bucket.amount += amount;
    }
  }
  f.collectionRate = rate(f);
  return f;
}

/** Adds up figures computed at the same moment. */
export function sumFigures(all: readonly Figures[], now: Date, zone: ZoneInfo): Figures {
  const total = emptyFigures(calendarDateOf(now, zone));
  for (const f of all) {
    for (const key of ['bills', 'billed', 'paid', 'collected', 'unpaid', 'expired', 'closed', 'review', 'closedAmount'] as const) {
      total[key] += f[key];
    }
    for (const bucket of AGE_BUCKETS) {
      total.overdue[bucket].count += f.overdue[bucket].count;
      total.overdue[bucket].amount += f.overdue[bucket].amount;
    }
    for (const status of STATUSES) total.byStatus[status] += f.byStatus[status];
    f.daily.forEach((day, i) => {
      const into = total.daily[i];
      if (into !== undefined && into.date === day.date) into.amount += day.amount;
    });
  }
  total.collectionRate = rate(total);
  return total;
}

/** Calendar days from the due date to today in the sheet's zone: due the 20th, on the 25th is 5 days late. */
function daysOverdue(expiry: Date | null, now: Date, zone: ZoneInfo): number {
  if (expiry === null || expiry.getTime() >= now.getTime()) return 0;
  return Math.max(0, daysBetween(calendarDateOf(expiry, zone), calendarDateOf(now, zone)));
}

/** Who still owes, across the sheets: the longest overdue first, then by due date, undated last. */
export function unpaidBills(sheets: readonly { name: string; rows: readonly DashboardRow[] }[], now: Date, zone: ZoneInfo): UnpaidBill[] {
  const bills: UnpaidBill[] = [];
  for (const sheet of sheets) {
    for (const row of sheet.rows) {
      if (row.status !== 'unpaid' && row.status !== 'expired') continue;
      bills.push({
        sheet: sheet.name,
        name: row.name ?? '',
        amount: row.amount !== null && Number.isFinite(row.amount) ? row.amount : 0,
        status: row.status,
        expiry: row.expiry,
        daysOverdue: daysOverdue(row.expiry, now, zone),
        link: row.link ?? '',
      });
    }
  }
  // A stable sort: rows due at the same moment keep the sheets' order.
  return bills.sort((a, b) => {
    if (a.expiry === null || b.expiry === null) return (a.expiry === null ? 1 : 0) - (b.expiry === null ? 1 : 0);
    return a.expiry.getTime() - b.expiry.getTime();
  });
}

/** The figures of each customer sheet and their total. */
export function computeDashboard(sheets: readonly { name: string; rows: readonly DashboardRow[] }[], now: Date, zone: ZoneInfo): Dashboard {
  const perSheet = sheets.map((sheet) => ({ name: sheet.name, figures: computeFigures(sheet.rows, now, zone) }));
  return {
    unpaid: unpaidBills(sheets, now, zone),
    total: sumFigures(
      perSheet.map((s) => s.figures),
      now,
      zone,
    ),
    sheets: perSheet,
    at: now,
  };
}

/** "Mayar Summary" / "Ringkasan Mayar". */
export function summarySheetName(locale: Locale): string {
  return t(locale, 'dashboard.sheetName');
}

/** A cell of the summary: numbers stay numbers, dates are Dates at local midnight. */
export type SummaryCell = string | number | Date;

/** A number format to apply to a block of the summary (1-based, as getRange takes them). */
export interface SummaryFormat {
  row: number;
  column: number;
  numRows: number;
  numColumns: number;
  pattern: string;
}

/** The summary sheet's content: one rectangle of values for a single setValues, and its number formats. */
export interface SummaryTable {
  sheetName: string;
  values: SummaryCell[][];
  formats: SummaryFormat[];
}

const RUPIAH_FORMAT = '#,##0';
const PERCENT_FORMAT = '0.0%';
const DATE_FORMAT = 'yyyy-mm-dd';
const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm';

/**
 * "Belum bayar": each bill still owed by name, the most overdue first. Names and links are
 * written as plain text, so a name that starts with "=" stays a name, never a formula.
 */
function unpaidList(
  locale: Locale,
  unpaid: readonly UnpaidBill[],
  rows: SummaryCell[][],
  format: (row: number, column: number, numRows: number, numColumns: number, pattern: string) => void,
): void {
  const say = (key: Parameters<typeof t>[1], params?: Record<string, number>): string => t(locale, key, params);
  rows.push([say('dashboard.unpaid')]);
  rows.push([
    say('dashboard.customer'),
    say('dashboard.amount'),
    say('dashboard.due'),
    say('dashboard.daysOverdue'),
    say('dashboard.status'),
    say('dashboard.link'),
    say('dashboard.sheet'),
  ]);
  const listed = unpaid.slice(0, MAX_UNPAID_LISTED);
  format(rows.length, 1, listed.length, 1, RUPIAH_FORMAT);
  format(rows.length, 2, listed.length, 1, DATE_TIME_FORMAT);
  for (const bill of listed) {
    rows.push([
      plainText(bill.name),
      bill.amount,
      bill.expiry ?? '',
      bill.daysOverdue,
      statusText(locale, bill.status),
      plainText(bill.link),
      plainText(bill.sheet),
    ]);
  }
  if (listed.length === 0) rows.push([say('dashboard.unpaidNone')]);
  if (unpaid.length > listed.length) rows.push([say('dashboard.unpaidMore', { count: unpaid.length - listed.length })]);
  rows.push([]);
}

/** Every figure as labelled rows, in the interface language, ready for the summary sheet. */
export function summaryTable(locale: Locale, dashboard: Dashboard, zone: ZoneInfo): SummaryTable {
  const say = (key: Parameters<typeof t>[1]): string => t(locale, key);
  const rows: SummaryCell[][] = [];
  const formats: SummaryFormat[] = [];
  const format = (row: number, column: number, numRows: number, numColumns: number, pattern: string): void => {
    if (numRows > 0) formats.push({ row: row + 1, column: column + 1, numRows, numColumns, pattern });
  };
  const { total } = dashboard;

  rows.push([say('dashboard.title')]);
  format(rows.length, 1, 1, 1, DATE_TIME_FORMAT);
  rows.push([say('dashboard.updated'), dashboard.at]);
  rows.push([]);

  rows.push([say('dashboard.figure'), say('dashboard.value')]);
  const figures: [string, number, string?][] = [
    [say('dashboard.bills'), total.bills],
    [say('dashboard.billed'), total.billed, RUPIAH_FORMAT],
    [say('dashboard.paid'), total.paid],
    [say('dashboard.collected'), total.collected, RUPIAH_FORMAT],
    [statusText(locale, 'unpaid'), total.unpaid],
    [statusText(locale, 'expired'), total.expired],
    [statusText(locale, 'closed'), total.closed],
    [statusText(locale, 'review'), total.review],
    [say('dashboard.rate'), total.collectionRate, PERCENT_FORMAT],
  ];
  for (const [label, value, pattern] of figures) {
    if (pattern !== undefined) format(rows.length, 1, 1, 1, pattern);
    rows.push([label, value]);
  }
  rows.push([]);

  rows.push([say('dashboard.overdue')]);
  rows.push([say('dashboard.age'), say('dashboard.count'), say('dashboard.amount')]);
  format(rows.length, 2, AGE_BUCKETS.length, 1, RUPIAH_FORMAT);
  for (const bucket of AGE_BUCKETS) {
    // "1–7" with an en dash reads as a range, and Sheets would turn "1-7" into a date.
    const label = bucket === '>30' ? '> 30' : bucket.replace('-', '–');
    rows.push([label, total.overdue[bucket].count, total.overdue[bucket].amount]);
  }
  rows.push([]);

  unpaidList(locale, dashboard.unpaid, rows, format);

  rows.push([say('dashboard.bySheet')]);
  rows.push([
    say('dashboard.sheet'),
    say('dashboard.bills'),
    say('dashboard.billed'),
    say('dashboard.paid'),
    say('dashboard.collected'),
    statusText(locale, 'unpaid'),
    statusText(locale, 'expired'),
    statusText(locale, 'closed'),
    statusText(locale, 'review'),
    say('dashboard.rate'),
  ]);
  const sheetRows = [...dashboard.sheets, { name: say('dashboard.total'), figures: total }];
  format(rows.length, 2, sheetRows.length, 1, RUPIAH_FORMAT);
  format(rows.length, 4, sheetRows.length, 1, RUPIAH_FORMAT);
  format(rows.length, 9, sheetRows.length, 1, PERCENT_FORMAT);
  for (const { name, figures: f } of sheetRows) {
    rows.push([plainText(name), f.bills, f.billed, f.paid, f.collected, f.unpaid, f.expired, f.closed, f.review, f.collectionRate]);
  }
  rows.push([]);

  rows.push([say('dashboard.daily')]);
  rows.push([say('dashboard.date'), say('dashboard.collected')]);
  format(rows.length, 0, total.daily.length, 1, DATE_FORMAT);
  format(rows.length, 1, total.daily.length, 1, RUPIAH_FORMAT);
  for (const day of total.daily) {
    const [year, month, date] = day.date.split('-').map(Number);
    rows.push([dateCellValue({ year: year ?? 1970, month: month ?? 1, day: date ?? 1 }, zone), day.amount]);
  }

  // setValues needs a rectangle.
  const width = Math.max(...rows.map((row) => row.length));
  const values = rows.map((row) => [...row, ...Array<SummaryCell>(width - row.length).fill('')]);
  return { sheetName: summarySheetName(locale), values, formats };
}

/**
 * The Mayar Summary sheet (a view of every customer sheet, rebuilt after each run, refresh and
 * paid webhook) and the colours of the Status column.
 */
import { computeDashboard, DAILY_DAYS, type DashboardRow, summaryTable } from '../core/dashboard';
import { mapHeaders, type SheetLayout } from '../core/headers';
import { cellText, isDateCell } from '../core/cell-text';
import { expiryOf } from '../core/expiry';
import { parseAmount } from '../core/parse';
import { parseStatus, type PaymentStatus, STATUSES, statusText } from '../core/status';
import type { Cell, ZoneInfo } from '../core/types';
import type { AppContext } from './context';
import type { ChartSpec, SheetPort, StatusColour } from './ports';

/** Paid green, Expired red, Closed grey, Needs review amber (Sheets' light palette). */
const STATUS_BACKGROUND: Partial<Record<PaymentStatus, string>> = {
  paid: '#d9ead3',
  expired: '#f4cccc',
  closed: '#efefef',
  review: '#ffe599',
};

/** Both languages: teammates may write the Status column in either. */
function statusColours(): StatusColour[] {
  const colours: StatusColour[] = [];
  for (const status of STATUSES) {
    const background = STATUS_BACKGROUND[status];
    if (background === undefined) continue;
    for (const text of new Set([statusText('en', status), statusText('id', status)])) colours.push({ text, background });
  }
  return colours;
}

/** Colours the Status column; `replace` (Set up this sheet) puts the add-on's rules back. */
export function colourStatusColumn(sheet: SheetPort, layout: SheetLayout, replace: boolean): void {
  const column = layout.output.status;
  if (column !== undefined) sheet.colourStatuses(column + 1, statusColours(), replace);
}

function expiryDate(cell: Cell | undefined, zone: ZoneInfo): Date | null {
  const at = expiryOf(cell, zone);
  return at === null ? null : new Date(at);
}

function dashboardRows(data: readonly Cell[][], layout: SheetLayout, zone: ZoneInfo): DashboardRow[] {
  const at = (row: readonly Cell[], column: number | undefined): Cell | undefined => (column === undefined ? undefined : row[column]);
  return data.slice(1).map((row) => {
    const amount = parseAmount(at(row, layout.input.amount) ?? '');
    const paidAt = at(row, layout.output.paidAt);
    return {
      name: cellText(at(row, layout.input.name)).trim(),
      link: cellText(at(row, layout.output.link)).trim(),
      status: parseStatus(at(row, layout.output.status)),
      amount: amount.ok ? amount.value : null,
      expiry: expiryDate(at(row, layout.input.expiry), zone),
      paidAt: isDateCell(paidAt) ? paidAt : null,
    };
  });
}

/**
 * Rebuilds the summary from every customer sheet (one with a Status column) in one write of
 * values. The previous content is overwritten with blanks, so the sheet stays a view.
 */
export function rebuildSummary(ctx: AppContext): void {
  const zone = ctx.ports.spreadsheet.zone();
  const summaryNames = new Set([ctx.say('dashboard.sheetName'), 'Mayar Summary', 'Ringkasan Mayar']);
  const logName = ctx.say('log.sheetName');
  const sheets: { name: string; rows: DashboardRow[] }[] = [];
  for (const sheet of ctx.ports.spreadsheet.sheets()) {
    if (summaryNames.has(sheet.name) || sheet.name === logName) continue;
    const data = sheet.readAll();
    const layout = mapHeaders(data[0] ?? []);
    if (layout.output.status === undefined || layout.input.amount === undefined) continue;
    sheets.push({ name: sheet.name, rows: dashboardRows(data, layout, zone) });
  }
  const dashboard = computeDashboard(sheets, new Date(ctx.ports.clock.now()), zone);
  const table = summaryTable(ctx.locale, dashboard, zone);

  const values: Cell[][] = table.values.map((row) => [...row]);
  values.push([]);
  values.push([ctx.say('dashboard.byStatus')]);
  values.push([ctx.say('dashboard.status'), ctx.say('dashboard.count')]);
  for (const status of STATUSES) values.push([statusText(ctx.locale, status), dashboard.total.byStatus[status]]);

  const summary = ctx.ports.spreadsheet.sheetByName(table.sheetName) ?? ctx.ports.spreadsheet.insertSheet(table.sheetName);
  const previous = summary.readAll();
  const width = Math.max(...values.map((row) => row.length), ...previous.map((row) => row.length));
  const height = Math.max(values.length, previous.length);
  const block: Cell[][] = [];
  for (let r = 0; r < height; r++) {
    const row = values[r] ?? [];
    block.push([...row, ...Array<Cell>(width - row.length).fill('')]);
  }
  summary.write(1, 1, block);
  for (const f of table.formats) summary.setNumberFormat(f.row, f.column, f.numRows, f.numColumns, f.pattern);
  summary.replaceCharts(chartsOf(ctx, values, width));
}

/** Collected per day (a line) and bills by status (a pie), right of the figures. */
function chartsOf(ctx: AppContext, values: readonly Cell[][], width: number): ChartSpec[] {
  const headerOf = (title: string): number => values.findIndex((row) => row[0] === title) + 2;
  const daily = headerOf(ctx.say('dashboard.daily'));
  const byStatus = headerOf(ctx.say('dashboard.byStatus'));
  const charts: ChartSpec[] = [];
  const anchorColumn = width + 2;
  if (daily > 1) {
    charts.push({ type: 'line', title: ctx.say('dashboard.daily'), row: daily, column: 1, numRows: DAILY_DAYS + 1, numColumns: 2, anchorRow: 1, anchorColumn });
  }
  if (byStatus > 1) {
    charts.push({
      type: 'pie',
      title: ctx.say('dashboard.byStatus'),
      row: byStatus,
      column: 1,
      numRows: STATUSES.length + 1,
      numColumns: 2,
      anchorRow: 20,
      anchorColumn,
    });
  }
  return charts;
}

/** The rebuild after a run or a webhook: a failure here must never fail what came before. */
export function rebuildSummarySafely(ctx: AppContext): void {
  try {
    rebuildSummary(ctx);
  } catch (error) {
    console.warn(`Mayar summary: not rebuilt: ${String(error)}`);
  }
}

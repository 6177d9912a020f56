/**
 * The spreadsheet and its sheets over SpreadsheetApp: reads, writes that grow the sheet as
 * needed, formats, charts, the selection and the spreadsheet's time zone.
 */
import type { SheetPort, SpreadsheetPort } from '../app/ports';
import type { Cell, ZoneInfo } from '../core/types';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

function sheetPort(sheet: Sheet): SheetPort {
  return {
    id: sheet.getSheetId(),
    name: sheet.getName(),
    readAll() {
      const rows = sheet.getLastRow();
      const columns = sheet.getLastColumn();
      if (rows === 0 || columns === 0) return [];
      return sheet.getRange(1, 1, rows, columns).getValues() as Cell[][];
    },
    readShown(numRows, numColumns) {
      if (numRows === 0 || numColumns === 0) return [];
      return sheet.getRange(1, 1, numRows, numColumns).getDisplayValues();
    },
    write(row, column, values) {
      const numRows = values.length;
      const numColumns = values[0]?.length ?? 0;
      if (numRows === 0 || numColumns === 0) return;
      // A range must lie inside the sheet: grow it first (the log outgrows the 1,000 rows of a
      // new sheet; output columns go right of a sheet that may use all of its columns).
      const maxRows = sheet.getMaxRows();
      if (row + numRows - 1 > maxRows) sheet.insertRowsAfter(maxRows, row + numRows - 1 - maxRows);
      const maxColumns = sheet.getMaxColumns();
      if (column + numColumns - 1 > maxColumns) sheet.insertColumnsAfter(maxColumns, column + numColumns - 1 - maxColumns);
      sheet.getRange(row, column, numRows, numColumns).setValues(values);
    },
    readNotes(column, numRows) {
      if (numRows === 0) return [];
      return sheet
        .getRange(1, column, numRows, 1)
        .getNotes()
        .map((row) => String(row[0] ?? ''));
    },
    writeNotes(row, column, notes) {
      const numRows = notes.length;
      const numColumns = notes[0]?.length ?? 0;
      if (numRows === 0 || numColumns === 0) return;
      sheet.getRange(row, column, numRows, numColumns).setNotes(notes);
    },
    setColumnFormat(column, numColumns, format) {
      const rows = sheet.getMaxRows() - 1;
      if (rows > 0) sheet.getRange(2, column, rows, numColumns).setNumberFormat(format);
    },
    setNumberFormat(row, column, numRows, numColumns, format) {
      sheet.getRange(row, column, numRows, numColumns).setNumberFormat(format);
    },
    freezeHeader() {
      sheet.setFrozenRows(1);
    },
    lastRow() {
      return sheet.getLastRow();
    },
    replaceCharts(charts) {
      for (const chart of sheet.getCharts()) sheet.removeChart(chart);
      const types = { line: Charts.ChartType.LINE, pie: Charts.ChartType.PIE, column: Charts.ChartType.COLUMN };
      for (const spec of charts) {
        const chart = sheet
          .newChart()
          .setChartType(types[spec.type])
          .addRange(sheet.getRange(spec.row, spec.column, spec.numRows, spec.numColumns))
          .setPosition(spec.anchorRow, spec.anchorColumn, 0, 0)
          .setOption('title', spec.title)
          // The block's first row names the series.
          .setNumHeaders(1)
          .build();
        sheet.insertChart(chart);
      }
    },
    colourStatuses(column, colours, replace) {
      const onColumn = (rule: GoogleAppsScript.Spreadsheet.ConditionalFormatRule) =>
        rule.getRanges().some((range) => range.getColumn() === column && range.getNumColumns() === 1);
      const existing = sheet.getConditionalFormatRules();
      if (!replace && existing.some(onColumn)) return;
      const range = sheet.getRange(2, column, Math.max(1, sheet.getMaxRows() - 1), 1);
      const ours = colours.map((colour) =>
        SpreadsheetApp.newConditionalFormatRule().whenTextEqualTo(colour.text).setBackground(colour.background).setRanges([range]).build(),
      );
      // One call for every rule: the sheet's rules are replaced as a whole.
      sheet.setConditionalFormatRules([...existing.filter((rule) => !onColumn(rule)), ...ours]);
    },
    select(row, column, numRows, numColumns) {
      sheet.activate();
      sheet.setActiveRange(sheet.getRange(row, column, numRows, numColumns));
    },
  };
}

export function spreadsheetPort(): SpreadsheetPort {
  const book = SpreadsheetApp.getActiveSpreadsheet();
  let zone: ZoneInfo | null = null;
  return {
    zone() {
      if (!zone) {
        const timeZone = book.getSpreadsheetTimeZone();
        // Offsets change at most at a DST switch: one formatDate per hour seen, not per cell.
        const byHour = new Map<number, number>();
        zone = {
          timeZone,
          offsetMinutes(instant: Date) {
            const hour = Math.floor(instant.getTime() / 3_600_000);
            const known = byHour.get(hour);
            if (known !== undefined) return known;
            const z = Utilities.formatDate(instant, timeZone, 'Z'); // "+0700"
            const sign = z.startsWith('-') ? -1 : 1;
            const digits = z.replace(/[^0-9]/g, '');
            const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
            byHour.set(hour, offset);
            return offset;
          },
        };
      }
      return zone;
    },
    locale: () => book.getSpreadsheetLocale(),
    activeSheet: () => sheetPort(book.getActiveSheet()),
    sheetById(id) {
      const sheet = book.getSheets().find((s) => s.getSheetId() === id);
      return sheet ? sheetPort(sheet) : null;
    },
    sheetByName(name) {
      const sheet = book.getSheetByName(name);
      return sheet ? sheetPort(sheet) : null;
    },
    sheets: () => book.getSheets().map(sheetPort),
    insertSheet(name) {
      // insertSheet makes the new sheet active: keep the person on the sheet they were using.
      const active = book.getActiveSheet();
      const sheet = book.insertSheet(name);
      if (active) book.setActiveSheet(active);
      return sheetPort(sheet);
    },
    selectedRows() {
      const sheet = book.getActiveSheet();
      const rows = new Set<number>();
      const list = book.getActiveRangeList();
      const ranges = list ? list.getRanges() : [];
      for (const range of ranges) {
        for (let r = range.getRow(); r < range.getRow() + range.getNumRows(); r++) rows.add(r);
      }
      // A dragged selection includes rows a filter hides; the person did not mean those.
      const filtered = sheet.getFilter() !== null;
      let hiddenByFilter = 0;
      for (const r of [...rows]) {
        if (filtered && r > 1 && sheet.isRowHiddenByFilter(r)) {
          rows.delete(r);
          hiddenByFilter++;
        }
      }
      return { sheetId: sheet.getSheetId(), rows: [...rows].sort((a, b) => a - b), hiddenByFilter };
    },
    flush: () => SpreadsheetApp.flush(),
  };
}

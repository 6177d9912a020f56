/**
 * SpreadsheetApp and the Spreadsheet, Sheet, Range and RangeList objects the bundle receives.
 * Every method is a counted, costed service call. State lives in #private fields so the bundle
 * sees what Apps Script shows it (`JSON.stringify(range)` is "{}").
 */
import { a1Of, type GridRect, parseA1, splitSheetName } from './a1';
import { type CellValue } from './cell-typing';
import type { Exec } from './execution';
import { enumName } from './enums';
import { type ChartData, type ConditionalRuleData, type FakeSheet, type FakeSpreadsheet, PROTECTED_MESSAGE, validationMessage } from './spreadsheet';
import type { UiLog } from './ui';

/** The active sheet and selections as one execution sees them. */
export interface SheetView {
  active(): FakeSheet;
  activate(sheet: FakeSheet): void;
  selection(sheet: FakeSheet): GridRect[];
  select(sheet: FakeSheet, rects: GridRect[]): void;
}

/** Menu, sidebar and google.script.run executions act on what the user sees, and move it. */
export function persistentView(spreadsheet: FakeSpreadsheet): SheetView {
  return {
    active: () => (spreadsheet.sheets.includes(spreadsheet.activeSheet) ? spreadsheet.activeSheet : (spreadsheet.sheets[0] as FakeSheet)),
    activate: (sheet) => {
      spreadsheet.activeSheet = sheet;
    },
    selection: (sheet) => sheet.selection,
    select: (sheet, rects) => {
      sheet.selection = rects;
    },
  };
}

/** Triggers and the web app have no UI: the first sheet is active, the selection is A1. */
export function detachedView(spreadsheet: FakeSpreadsheet): SheetView {
  let active: FakeSheet | null = null;
  const selections = new Map<FakeSheet, GridRect[]>();
  return {
    active: () => (active && spreadsheet.sheets.includes(active) ? active : (spreadsheet.sheets[0] as FakeSheet)),
    activate: (sheet) => {
      active = sheet;
    },
    selection: (sheet) => selections.get(sheet) ?? [{ row: 1, column: 1, numRows: 1, numColumns: 1 }],
    select: (sheet, rects) => {
      selections.set(sheet, rects);
    },
  };
}

export interface SheetsEnv {
  exec: Exec;
  spreadsheet: FakeSpreadsheet;
  ui: UiLog;
  view: SheetView;
  /** SpreadsheetApp.getUi(): the Ui service, or throws outside a UI context. */
  getUi: () => unknown;
}

/** Apps Script rejects non-integers where Java expects an int. */
function toInt(exec: Exec, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'boolean' || value === null || !Number.isInteger(n)) throw exec.error(`Cannot convert '${String(value)}' to int.`);
  return n;
}

function isRows(value: unknown): value is unknown[][] {
  return Array.isArray(value) && value.every((row) => Array.isArray(row));
}

class Handles {
  readonly sheets = new Map<FakeSheet, SheetHandle>();
  spreadsheet: SpreadsheetHandle | null = null;
  constructor(readonly env: SheetsEnv) {}

  sheet(sheet: FakeSheet): SheetHandle {
    let handle = this.sheets.get(sheet);
    if (!handle) {
      handle = new SheetHandle(this, sheet);
      this.sheets.set(sheet, handle);
    }
    return handle;
  }

  ss(): SpreadsheetHandle {
    this.spreadsheet ??= new SpreadsheetHandle(this);
    return this.spreadsheet;
  }

  range(sheet: FakeSheet, rect: GridRect): RangeHandle {
    return new RangeHandle(this, sheet, rect);
  }

  /** getRange(row, column, numRows?, numColumns?) with Apps Script's checks and messages. */
  checkedRect(sheet: FakeSheet, args: readonly unknown[]): GridRect {
    const exec = this.env.exec;
    const row = toInt(exec, args[0]);
    const column = toInt(exec, args[1]);
    const numRows = toInt(exec, args[2], 1);
    const numColumns = toInt(exec, args[3], 1);
    if (row < 1) throw exec.error('The starting row of the range is too small.');
    if (column < 1) throw exec.error('The starting column of the range is too small.');
    if (numRows < 1) throw exec.error('The number of rows in the range must be at least 1.');
    if (numColumns < 1) throw exec.error('The number of columns in the range must be at least 1.');
    const rect = { row, column, numRows, numColumns };
    this.checkInside(sheet, rect);
    return rect;
  }

  /** Protections and rejecting validation rules, checked before any cell changes. */
  guardWrite(sheet: FakeSheet, rect: GridRect, valueAt?: (row: number, column: number) => unknown): void {
    const exec = this.env.exec;
    if (sheet.protectedFor(exec.user, rect)) throw exec.error(PROTECTED_MESSAGE);
    if (!valueAt) return;
    const rejected = sheet.rejectedCell(rect, valueAt);
    if (rejected !== null) throw exec.error(validationMessage(rejected));
  }

  checkInside(sheet: FakeSheet, rect: GridRect): void {
    if (rect.row + rect.numRows - 1 > sheet.maxRows || rect.column + rect.numColumns - 1 > sheet.maxColumns)
      throw this.env.exec.error('The coordinates of the range are outside the dimensions of the sheet.');
  }

  a1Rect(sheet: FakeSheet, a1: unknown): GridRect {
    const text = typeof a1 === 'string' ? a1 : '';
    const { sheet: prefix, ref } = splitSheetName(text);
    if (prefix !== null && prefix !== sheet.name) throw this.env.exec.error('Range not found');
    const rect = parseA1(ref, sheet.maxRows, sheet.maxColumns);
    if (!rect) throw this.env.exec.error('Range not found');
    this.checkInside(sheet, rect);
    return rect;
  }
}

export class SpreadsheetAppService {
  readonly #h: Handles;

  constructor(env: SheetsEnv) {
    this.#h = new Handles(env);
  }

  #call<T>(method: string, cost: number, effect: () => T): T {
    return this.#h.env.exec.call(`SpreadsheetApp.${method}`, cost, effect);
  }

  getActiveSpreadsheet(): SpreadsheetHandle {
    return this.#call('getActiveSpreadsheet', this.#h.env.exec.costs.sheetMetaMs, () => this.#h.ss());
  }

  getActive(): SpreadsheetHandle {
    return this.#call('getActive', this.#h.env.exec.costs.sheetMetaMs, () => this.#h.ss());
  }

  getActiveSheet(): SheetHandle {
    return this.#call('getActiveSheet', this.#h.env.exec.costs.sheetMetaMs, () => this.#h.sheet(this.#h.env.view.active()));
  }

  getActiveRange(): RangeHandle | null {
    return this.#call('getActiveRange', this.#h.env.exec.costs.sheetMetaMs, () => activeRange(this.#h));
  }

  getUi(): unknown {
    return this.#call('getUi', 0, () => this.#h.env.getUi());
  }

  /** Applies the execution's pending writes (see FakeSpreadsheet.applyPending for Google's words). */
  flush(): void {
    this.#call('flush', this.#h.env.exec.costs.flushMs, () => this.#h.env.spreadsheet.applyPending());
  }

  /** https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#newConditionalFormatRule() */
  newConditionalFormatRule(): ConditionalFormatRuleBuilderFake {
    return this.#call(
      'newConditionalFormatRule',
      0,
      () => new ConditionalFormatRuleBuilderFake(this.#h, { textEqualTo: null, background: null, fontColor: null, ranges: [] }),
    );
  }
}

let nextChartId = 1;

/** An embedded chart: https://developers.google.com/apps-script/reference/spreadsheet/embedded-chart */
export class EmbeddedChartFake {
  readonly data: ChartData;

  constructor(data: ChartData) {
    this.data = data;
  }

  getChartId(): number | null {
    return this.data.id === 0 ? null : this.data.id;
  }
}

/**
 * Sheet.newChart()'s builder: type, ranges, position and options are kept; nothing is drawn.
 * https://developers.google.com/apps-script/reference/spreadsheet/embedded-chart-builder
 */
export class EmbeddedChartBuilderFake {
  readonly #h: Handles;
  readonly #data: ChartData;

  constructor(handles: Handles, data: ChartData) {
    this.#h = handles;
    this.#data = data;
  }

  #call(method: string, effect: () => void): EmbeddedChartBuilderFake {
    return this.#h.env.exec.call(`EmbeddedChartBuilder.${method}`, 0, () => {
      effect();
      return this;
    });
  }

  setChartType(type: unknown): EmbeddedChartBuilderFake {
    return this.#call('setChartType', () => {
      const name = typeof type === 'object' ? enumName(type) : null;
      if (name === null) throw this.#h.env.exec.signatureError('EmbeddedChartBuilder.setChartType', [type]);
      this.#data.type = name;
    });
  }

  addRange(range: unknown): EmbeddedChartBuilderFake {
    return this.#call('addRange', () => {
      if (!(range instanceof RangeHandle)) throw this.#h.env.exec.signatureError('EmbeddedChartBuilder.addRange', [range]);
      this.#data.ranges.push(range.rect);
    });
  }

  setPosition(anchorRowPos: unknown, anchorColPos: unknown, _offsetX: unknown, _offsetY: unknown): EmbeddedChartBuilderFake {
    return this.#call('setPosition', () => {
      this.#data.anchorRow = Number(anchorRowPos);
      this.#data.anchorColumn = Number(anchorColPos);
    });
  }

  setNumHeaders(headers: unknown): EmbeddedChartBuilderFake {
    return this.#call('setNumHeaders', () => (this.#data.options.numHeaders = Number(headers)));
  }

  setOption(option: unknown, value: unknown): EmbeddedChartBuilderFake {
    return this.#call('setOption', () => (this.#data.options[String(option)] = value));
  }

  build(): EmbeddedChartFake {
    return this.#h.env.exec.call(
      'EmbeddedChartBuilder.build',
      0,
      () => new EmbeddedChartFake({ ...this.#data, ranges: [...this.#data.ranges], options: { ...this.#data.options } }),
    );
  }
}

/** A built rule: what Sheet.getConditionalFormatRules returns and setConditionalFormatRules takes. */
export class ConditionalFormatRuleFake {
  readonly #h: Handles;
  readonly data: ConditionalRuleData;
  readonly #sheet: FakeSheet | null;

  constructor(handles: Handles, data: ConditionalRuleData, sheet: FakeSheet | null) {
    this.#h = handles;
    this.data = data;
    this.#sheet = sheet;
  }

  /** https://developers.google.com/apps-script/reference/spreadsheet/conditional-format-rule#getRanges() */
  getRanges(): RangeHandle[] {
    const sheet = this.#sheet;
    return this.#h.env.exec.call('ConditionalFormatRule.getRanges', 0, () => (sheet ? this.data.ranges.map((r) => this.#h.range(sheet, r)) : []));
  }

  /** https://developers.google.com/apps-script/reference/spreadsheet/conditional-format-rule#copy() */
  copy(): ConditionalFormatRuleBuilderFake {
    return new ConditionalFormatRuleBuilderFake(this.#h, { ...this.data, ranges: [...this.data.ranges] }, this.#sheet);
  }
}

/**
 * The builder of SpreadsheetApp.newConditionalFormatRule(); only the text-equals condition and
 * the colours are modelled. https://developers.google.com/apps-script/reference/spreadsheet/conditional-format-rule-builder
 */
export class ConditionalFormatRuleBuilderFake {
  readonly #h: Handles;
  readonly #data: ConditionalRuleData;
  #sheet: FakeSheet | null;

  constructor(handles: Handles, data: ConditionalRuleData, sheet: FakeSheet | null = null) {
    this.#h = handles;
    this.#data = data;
    this.#sheet = sheet;
  }

  #call(method: string, effect: () => void): ConditionalFormatRuleBuilderFake {
    return this.#h.env.exec.call(`ConditionalFormatRuleBuilder.${method}`, 0, () => {
      effect();
      return this;
    });
  }

  whenTextEqualTo(text: unknown): ConditionalFormatRuleBuilderFake {
    return this.#call('whenTextEqualTo', () => (this.#data.textEqualTo = String(text)));
  }

  setBackground(color: unknown): ConditionalFormatRuleBuilderFake {
    return this.#call('setBackground', () => (this.#data.background = color === null ? null : String(color)));
  }

  setFontColor(color: unknown): ConditionalFormatRuleBuilderFake {
    return this.#call('setFontColor', () => (this.#data.fontColor = color === null ? null : String(color)));
  }

  setRanges(ranges: unknown): ConditionalFormatRuleBuilderFake {
    return this.#call('setRanges', () => {
      if (!Array.isArray(ranges) || !ranges.every((r) => r instanceof RangeHandle))
        throw this.#h.env.exec.signatureError('ConditionalFormatRuleBuilder.setRanges', [ranges]);
      const handles = ranges as RangeHandle[];
      this.#sheet = handles[0]?.fakeSheet ?? null;
      this.#data.ranges = handles.map((r) => r.rect);
    });
  }

  build(): ConditionalFormatRuleFake {
    return this.#h.env.exec.call(
      'ConditionalFormatRuleBuilder.build',
      0,
      () => new ConditionalFormatRuleFake(this.#h, { ...this.#data, ranges: [...this.#data.ranges] }, this.#sheet),
    );
  }
}

function activeRange(h: Handles): RangeHandle | null {
  const sheet = h.env.view.active();
  const first = h.env.view.selection(sheet)[0];
  return first ? h.range(sheet, first) : null;
}

const spreadsheetIds = new WeakMap<object, string>();

/** The id of a Spreadsheet object handed to the bundle, or null for anything else. */
export function spreadsheetIdOf(value: unknown): string | null {
  return typeof value === 'object' && value !== null ? (spreadsheetIds.get(value) ?? null) : null;
}

export class SpreadsheetHandle {
  readonly #h: Handles;

  constructor(handles: Handles) {
    this.#h = handles;
    spreadsheetIds.set(this, handles.env.spreadsheet.id);
  }

  #call<T>(method: string, cost: number, effect: () => T): T {
    return this.#h.env.exec.call(`Spreadsheet.${method}`, cost, effect);
  }

  get #meta(): number {
    return this.#h.env.exec.costs.sheetMetaMs;
  }

  get #ss(): FakeSpreadsheet {
    return this.#h.env.spreadsheet;
  }

  getId(): string {
    return this.#call('getId', 0, () => this.#ss.id);
  }

  getName(): string {
    return this.#call('getName', this.#meta, () => this.#ss.name);
  }

  getUrl(): string {
    return this.#call('getUrl', this.#meta, () => this.#ss.url);
  }

  getSpreadsheetTimeZone(): string {
    return this.#call('getSpreadsheetTimeZone', this.#meta, () => this.#ss.timeZone);
  }

  setSpreadsheetTimeZone(timeZone: unknown): void {
    this.#call('setSpreadsheetTimeZone', this.#meta, () => {
      this.#ss.timeZone = String(timeZone);
    });
  }

  getSpreadsheetLocale(): string {
    return this.#call('getSpreadsheetLocale', this.#meta, () => this.#ss.locale);
  }

  getActiveSheet(): SheetHandle {
    return this.#call('getActiveSheet', this.#meta, () => this.#h.sheet(this.#h.env.view.active()));
  }

  setActiveSheet(sheet: unknown): SheetHandle {
    return this.#call('setActiveSheet', this.#meta, () => {
      const target = sheetOf(this.#h, sheet, 'Spreadsheet.setActiveSheet');
      this.#h.env.view.activate(target);
      return this.#h.sheet(target);
    });
  }

  getSheets(): SheetHandle[] {
    return this.#call('getSheets', this.#meta, () => this.#h.env.exec.guestArray(this.#ss.sheets.map((s) => this.#h.sheet(s))));
  }

  getNumSheets(): number {
    return this.#call('getNumSheets', this.#meta, () => this.#ss.sheets.length);
  }

  getSheetByName(name: unknown): SheetHandle | null {
    return this.#call('getSheetByName', this.#meta, () => {
      const sheet = this.#ss.find(String(name));
      return sheet ? this.#h.sheet(sheet) : null;
    });
  }

  getSheetById(id: unknown): SheetHandle | null {
    return this.#call('getSheetById', this.#meta, () => {
      const sheet = this.#ss.sheets.find((s) => s.id === Number(id));
      return sheet ? this.#h.sheet(sheet) : null;
    });
  }

  insertSheet(name?: unknown, index?: unknown): SheetHandle {
    return this.#call('insertSheet', this.#h.env.exec.costs.structureMs, () => {
      const exec = this.#h.env.exec;
      let sheetName: string;
      if (name === undefined) {
        let n = this.#ss.sheets.length + 1;
        while (this.#ss.find(`Sheet${n}`)) n++;
        sheetName = `Sheet${n}`;
      } else sheetName = String(name);
      if (this.#ss.find(sheetName)) throw exec.error(`A sheet with the name "${sheetName}" already exists. Please enter another name.`);
      const position = index === undefined ? this.#ss.sheets.length : Math.min(toInt(exec, index), this.#ss.sheets.length);
      const sheet = this.#ss.createSheet(sheetName, position);
      this.#h.env.view.activate(sheet);
      return this.#h.sheet(sheet);
    });
  }

  deleteSheet(sheet: unknown): void {
    this.#call('deleteSheet', this.#h.env.exec.costs.structureMs, () => {
      const target = sheetOf(this.#h, sheet, 'Spreadsheet.deleteSheet');
      if (this.#ss.sheets.length === 1) throw this.#h.env.exec.error("You can't remove all the sheets in a document.");
      this.#ss.sheets.splice(this.#ss.sheets.indexOf(target), 1);
    });
  }

  toast(message: unknown, title?: unknown, timeoutSeconds?: unknown): void {
    this.#call('toast', this.#h.env.exec.costs.uiMs, () => {
      const exec = this.#h.env.exec;
      this.#h.env.ui.toasts.push({
        message: String(message),
        title: title === undefined || title === null ? '' : String(title),
        seconds: timeoutSeconds === undefined || timeoutSeconds === null ? null : Number(timeoutSeconds),
        at: exec.now(),
        user: exec.user,
        shown: exec.kind === 'user',
      });
    });
  }

  getActiveRange(): RangeHandle | null {
    return this.#call('getActiveRange', this.#meta, () => activeRange(this.#h));
  }

  getActiveCell(): RangeHandle {
    return this.#call('getActiveCell', this.#meta, () => {
      const sheet = this.#h.env.view.active();
      const first = this.#h.env.view.selection(sheet)[0] ?? { row: 1, column: 1, numRows: 1, numColumns: 1 };
      return this.#h.range(sheet, { row: first.row, column: first.column, numRows: 1, numColumns: 1 });
    });
  }

  getActiveRangeList(): RangeListHandle | null {
    return this.#call('getActiveRangeList', this.#meta, () => {
      const sheet = this.#h.env.view.active();
      const rects = this.#h.env.view.selection(sheet);
      return rects.length === 0
        ? null
        : new RangeListHandle(
            this.#h,
            rects.map((r) => this.#h.range(sheet, r)),
          );
    });
  }

  getRange(a1: unknown): RangeHandle {
    return this.#call('getRange', this.#meta, () => {
      const { sheet: prefix } = splitSheetName(typeof a1 === 'string' ? a1 : '');
      const sheet = prefix === null ? this.#h.env.view.active() : this.#ss.find(prefix);
      if (!sheet) throw this.#h.env.exec.error('Range not found');
      return this.#h.range(sheet, this.#h.a1Rect(sheet, a1));
    });
  }

  getRangeByName(_name: unknown): null {
    return this.#call('getRangeByName', this.#meta, () => null);
  }
}

function sheetOf(h: Handles, value: unknown, method: string): FakeSheet {
  for (const [sheet, handle] of h.sheets) if (handle === value && h.env.spreadsheet.sheets.includes(sheet)) return sheet;
  throw h.env.exec.signatureError(method, [value]);
}

/** Sheet methods that read cell contents: Sheets applies the sheet's pending writes first. */
const SHEET_READS = new Set(['getLastRow', 'getLastColumn', 'getDataRange']);
/** Range methods that read cells. */
const RANGE_READS = new Set([
  'getValues',
  'getValue',
  'getDisplayValues',
  'getDisplayValue',
  'getFormulas',
  'getFormula',
  'getNumberFormats',
  'getNumberFormat',
  'isBlank',
]);

export class SheetHandle {
  readonly #h: Handles;
  readonly #sheet: FakeSheet;

  constructor(handles: Handles, sheet: FakeSheet) {
    this.#h = handles;
    this.#sheet = sheet;
  }

  #call<T>(method: string, cost: number, effect: () => T): T {
    return this.#h.env.exec.call(`Sheet.${method}`, cost, () => {
      // Sheets applies the pending writes before it answers a read of the sheet's cells.
      if (SHEET_READS.has(method)) this.#sheet.applyPending();
      return effect();
    });
  }

  get #meta(): number {
    return this.#h.env.exec.costs.sheetMetaMs;
  }

  get #structure(): number {
    return this.#h.env.exec.costs.structureMs;
  }

  getName(): string {
    return this.#call('getName', this.#meta, () => this.#sheet.name);
  }

  setName(name: unknown): SheetHandle {
    return this.#call('setName', this.#meta, () => {
      const text = String(name);
      const other = this.#h.env.spreadsheet.find(text);
      if (other && other !== this.#sheet) throw this.#h.env.exec.error(`A sheet with the name "${text}" already exists. Please enter another name.`);
      this.#sheet.name = text;
      return this;
    });
  }

  getSheetId(): number {
    return this.#call('getSheetId', 0, () => this.#sheet.id);
  }

  getIndex(): number {
    return this.#call('getIndex', this.#meta, () => this.#h.env.spreadsheet.sheets.indexOf(this.#sheet) + 1);
  }

  getParent(): SpreadsheetHandle {
    return this.#call('getParent', 0, () => this.#h.ss());
  }

  getLastRow(): number {
    return this.#call('getLastRow', this.#meta, () => this.#sheet.lastRow());
  }

  getLastColumn(): number {
    return this.#call('getLastColumn', this.#meta, () => this.#sheet.lastColumn());
  }

  getMaxRows(): number {
    return this.#call('getMaxRows', this.#meta, () => this.#sheet.maxRows);
  }

  getMaxColumns(): number {
    return this.#call('getMaxColumns', this.#meta, () => this.#sheet.maxColumns);
  }

  getRange(...args: unknown[]): RangeHandle {
    return this.#call('getRange', this.#meta, () => {
      if (typeof args[0] === 'string') {
        if (args.length > 1) throw this.#h.env.exec.signatureError('SpreadsheetApp.Sheet.getRange', args);
        return this.#h.range(this.#sheet, this.#h.a1Rect(this.#sheet, args[0]));
      }
      if (args.length < 2) throw this.#h.env.exec.signatureError('SpreadsheetApp.Sheet.getRange', args);
      return this.#h.range(this.#sheet, this.#h.checkedRect(this.#sheet, args));
    });
  }

  getDataRange(): RangeHandle {
    return this.#call('getDataRange', this.#meta, () =>
      this.#h.range(this.#sheet, { row: 1, column: 1, numRows: Math.max(1, this.#sheet.lastRow()), numColumns: Math.max(1, this.#sheet.lastColumn()) }),
    );
  }

  getFrozenRows(): number {
    return this.#call('getFrozenRows', this.#meta, () => this.#sheet.frozenRows);
  }

  setFrozenRows(rows: unknown): void {
    this.#call('setFrozenRows', this.#structure, () => {
      const n = toInt(this.#h.env.exec, rows);
      if (n < 0 || n >= this.#sheet.maxRows) throw this.#h.env.exec.error('Those rows are out of bounds.');
      this.#sheet.frozenRows = n;
    });
  }

  appendRow(rowContents: unknown): SheetHandle {
    const cells = Array.isArray(rowContents) ? (rowContents as unknown[]).length : 1;
    const costs = this.#h.env.exec.costs;
    return this.#call('appendRow', costs.setValuesMs + costs.perCellWriteMs * cells, () => {
      if (!Array.isArray(rowContents)) throw this.#h.env.exec.signatureError('SpreadsheetApp.Sheet.appendRow', [rowContents]);
      const values = rowContents as unknown[];
      this.#h.guardWrite(
        this.#sheet,
        { row: this.#sheet.lastRow() + 1, column: 1, numRows: 1, numColumns: Math.max(1, values.length) },
        (_r, c) => values[c - 1],
      );
      const row = this.#sheet.lastRow() + 1;
      this.#sheet.ensureSize(row, rowContents.length);
      this.#sheet.hold({ row, column: 1, numRows: 1, numColumns: Math.max(1, values.length) });
      (rowContents as unknown[]).forEach((value, i) => this.#sheet.write(row, i + 1, value));
      return this;
    });
  }

  activate(): SheetHandle {
    return this.#call('activate', this.#meta, () => {
      this.#h.env.view.activate(this.#sheet);
      return this;
    });
  }

  getActiveRange(): RangeHandle | null {
    return this.#call('getActiveRange', this.#meta, () => activeRange(this.#h));
  }

  setActiveRange(range: unknown): RangeHandle {
    return this.#call('setActiveRange', this.#meta, () => {
      const state = range instanceof RangeHandle ? rangeState.get(range) : undefined;
      if (!state || state.sheet !== this.#sheet) throw this.#h.env.exec.signatureError('SpreadsheetApp.Sheet.setActiveRange', [range]);
      this.#h.env.view.activate(this.#sheet);
      this.#h.env.view.select(this.#sheet, [{ ...state.rect }]);
      return range as RangeHandle;
    });
  }

  setActiveSelection(a1: unknown): RangeHandle {
    return this.#call('setActiveSelection', this.#meta, () => {
      const state = a1 instanceof RangeHandle ? rangeState.get(a1) : undefined;
      const rect = state ? { ...state.rect } : this.#h.a1Rect(this.#sheet, a1);
      this.#h.env.view.activate(this.#sheet);
      this.#h.env.view.select(this.#sheet, [rect]);
      return this.#h.range(this.#sheet, rect);
    });
  }

  // Layout calls change nothing the fake models; they still cost a round trip.
  setColumnWidth(_column: unknown, _width: unknown): SheetHandle {
    return this.#call('setColumnWidth', this.#meta, () => this);
  }

  setColumnWidths(_start: unknown, _count: unknown, _width: unknown): SheetHandle {
    return this.#call('setColumnWidths', this.#meta, () => this);
  }

  autoResizeColumn(_column: unknown): SheetHandle {
    return this.#call('autoResizeColumn', this.#meta, () => this);
  }

  autoResizeColumns(_start: unknown, _count: unknown): SheetHandle {
    return this.#call('autoResizeColumns', this.#meta, () => this);
  }

  #insertColumns(method: string, before: number, count: number): SheetHandle {
    return this.#call(method, this.#structure, () => {
      const exec = this.#h.env.exec;
      if (before < 1 || before > this.#sheet.maxColumns + 1) throw exec.error('Those columns are out of bounds.');
      if (count < 1) throw exec.error('The number of columns to insert must be at least 1.');
      this.#sheet.insertColumns(before, count);
      return this;
    });
  }

  insertColumnAfter(afterPosition: unknown): SheetHandle {
    return this.#insertColumns('insertColumnAfter', toInt(this.#h.env.exec, afterPosition) + 1, 1);
  }

  insertColumnsAfter(afterPosition: unknown, howMany: unknown): SheetHandle {
    return this.#insertColumns('insertColumnsAfter', toInt(this.#h.env.exec, afterPosition) + 1, toInt(this.#h.env.exec, howMany));
  }

  insertColumnBefore(beforePosition: unknown): SheetHandle {
    return this.#insertColumns('insertColumnBefore', toInt(this.#h.env.exec, beforePosition), 1);
  }

  insertColumnsBefore(beforePosition: unknown, howMany: unknown): SheetHandle {
    return this.#insertColumns('insertColumnsBefore', toInt(this.#h.env.exec, beforePosition), toInt(this.#h.env.exec, howMany));
  }

  #insertRows(method: string, before: number, count: number): SheetHandle {
    return this.#call(method, this.#structure, () => {
      const exec = this.#h.env.exec;
      if (before < 1 || before > this.#sheet.maxRows + 1) throw exec.error('Those rows are out of bounds.');
      if (count < 1) throw exec.error('The number of rows to insert must be at least 1.');
      this.#sheet.insertRows(before, count);
      return this;
    });
  }

  insertRowBefore(beforePosition: unknown): SheetHandle {
    return this.#insertRows('insertRowBefore', toInt(this.#h.env.exec, beforePosition), 1);
  }

  insertRowsBefore(beforePosition: unknown, howMany: unknown): SheetHandle {
    return this.#insertRows('insertRowsBefore', toInt(this.#h.env.exec, beforePosition), toInt(this.#h.env.exec, howMany));
  }

  insertRowAfter(afterPosition: unknown): SheetHandle {
    return this.#insertRows('insertRowAfter', toInt(this.#h.env.exec, afterPosition) + 1, 1);
  }

  insertRowsAfter(afterPosition: unknown, howMany: unknown): SheetHandle {
    return this.#insertRows('insertRowsAfter', toInt(this.#h.env.exec, afterPosition) + 1, toInt(this.#h.env.exec, howMany));
  }

  #deleteRows(method: string, start: number, count: number): void {
    this.#call(method, this.#structure, () => {
      const exec = this.#h.env.exec;
      if (start < 1 || count < 1 || start + count - 1 > this.#sheet.maxRows) throw exec.error('Those rows are out of bounds.');
      if (count >= this.#sheet.maxRows) throw exec.error("You can't delete all the rows on the sheet.");
      this.#sheet.deleteRows(start, count);
    });
  }

  deleteRow(rowPosition: unknown): SheetHandle {
    this.#deleteRows('deleteRow', toInt(this.#h.env.exec, rowPosition), 1);
    return this;
  }

  deleteRows(rowPosition: unknown, howMany: unknown): void {
    this.#deleteRows('deleteRows', toInt(this.#h.env.exec, rowPosition), toInt(this.#h.env.exec, howMany));
  }

  deleteColumn(columnPosition: unknown): SheetHandle {
    this.#call('deleteColumn', this.#structure, () => {
      const column = toInt(this.#h.env.exec, columnPosition);
      if (column < 1 || column > this.#sheet.maxColumns) throw this.#h.env.exec.error('Those columns are out of bounds.');
      if (this.#sheet.maxColumns === 1) throw this.#h.env.exec.error("You can't delete all the columns on the sheet.");
      this.#sheet.deleteColumns(column, 1);
    });
    return this;
  }

  /**
   * Sorts the rows below the frozen rows by one column. Apps Script keeps only *frozen* rows in
   * place: a header row that isn't frozen gets sorted with the data.
   */
  sort(columnPosition: unknown, ascending?: unknown): SheetHandle {
    return this.#call('sort', this.#structure, () => {
      const column = toInt(this.#h.env.exec, columnPosition);
      if (column < 1 || column > this.#sheet.maxColumns) throw this.#h.env.exec.error('Those columns are out of bounds.');
      this.#sheet.sortRows(this.#sheet.frozenRows + 1, this.#sheet.lastRow(), column, ascending === undefined ? true : Boolean(ascending));
      return this;
    });
  }

  /**
   * The sheet's filter, or null without one. Modelled as present while a filter hides rows.
   * https://developers.google.com/apps-script/reference/spreadsheet/sheet#getFilter()
   */
  getFilter(): { getRange(): unknown } | null {
    return this.#call('getFilter', this.#meta, () => (this.#sheet.hiddenByFilter.size > 0 ? { getRange: () => null } : null));
  }

  /** https://developers.google.com/apps-script/reference/spreadsheet/sheet#isRowHiddenByFilter(Integer) */
  isRowHiddenByFilter(rowPosition: unknown): boolean {
    return this.#call('isRowHiddenByFilter', this.#meta, () => this.#sheet.hiddenByFilter.has(toInt(this.#h.env.exec, rowPosition)));
  }

  /** https://developers.google.com/apps-script/reference/spreadsheet/sheet#newChart() */
  newChart(): EmbeddedChartBuilderFake {
    return this.#call(
      'newChart',
      0,
      () => new EmbeddedChartBuilderFake(this.#h, { id: 0, type: 'COLUMN', ranges: [], anchorRow: 1, anchorColumn: 1, options: {} }),
    );
  }

  /** https://developers.google.com/apps-script/reference/spreadsheet/sheet#insertChart(EmbeddedChart) */
  insertChart(chart: unknown): void {
    this.#call('insertChart', this.#structure, () => {
      if (!(chart instanceof EmbeddedChartFake)) throw this.#h.env.exec.signatureError('Sheet.insertChart', [chart]);
      if (chart.data.ranges.length === 0) throw this.#h.env.exec.error('The chart has no data range.');
      chart.data.id = nextChartId++;
      this.#sheet.charts.push({ ...chart.data, ranges: [...chart.data.ranges] });
    });
  }

  /** https://developers.google.com/apps-script/reference/spreadsheet/sheet#getCharts() */
  getCharts(): EmbeddedChartFake[] {
    return this.#call('getCharts', this.#meta, () => this.#sheet.charts.map((c) => new EmbeddedChartFake({ ...c, ranges: [...c.ranges] })));
  }

  /** https://developers.google.com/apps-script/reference/spreadsheet/sheet#removeChart(EmbeddedChart) */
  removeChart(chart: unknown): void {
    this.#call('removeChart', this.#structure, () => {
      if (!(chart instanceof EmbeddedChartFake)) throw this.#h.env.exec.signatureError('Sheet.removeChart', [chart]);
      this.#sheet.charts = this.#sheet.charts.filter((c) => c.id !== chart.data.id);
    });
  }

  /** https://developers.google.com/apps-script/reference/spreadsheet/sheet#getConditionalFormatRules() */
  getConditionalFormatRules(): ConditionalFormatRuleFake[] {
    return this.#call('getConditionalFormatRules', this.#meta, () =>
      this.#sheet.conditionalFormatRules.map((rule) => new ConditionalFormatRuleFake(this.#h, { ...rule, ranges: [...rule.ranges] }, this.#sheet)),
    );
  }

  /** https://developers.google.com/apps-script/reference/spreadsheet/sheet#setConditionalFormatRules(ConditionalFormatRule) — replaces every rule of the sheet. */
  setConditionalFormatRules(rules: unknown): void {
    this.#call('setConditionalFormatRules', this.#structure, () => {
      if (!Array.isArray(rules) || !rules.every((r) => r instanceof ConditionalFormatRuleFake))
        throw this.#h.env.exec.signatureError('Sheet.setConditionalFormatRules', [rules]);
      this.#sheet.conditionalFormatRules = (rules as ConditionalFormatRuleFake[]).map((r) => ({ ...r.data, ranges: [...r.data.ranges] }));
    });
  }

  clearContents(): SheetHandle {
    return this.#call('clearContents', this.#structure, () => {
      const rows = this.#sheet.lastRow();
      const columns = this.#sheet.lastColumn();
      if (rows > 0 && columns > 0) {
        this.#h.guardWrite(this.#sheet, { row: 1, column: 1, numRows: rows, numColumns: columns });
        this.#sheet.hold({ row: 1, column: 1, numRows: rows, numColumns: columns });
      }
      for (let r = 1; r <= rows; r++) for (let c = 1; c <= columns; c++) this.#sheet.clearContent(r, c);
      return this;
    });
  }
}

export class RangeListHandle {
  readonly #h: Handles;
  readonly #ranges: RangeHandle[];

  constructor(handles: Handles, ranges: RangeHandle[]) {
    this.#h = handles;
    this.#ranges = ranges;
  }

  getRanges(): RangeHandle[] {
    return this.#h.env.exec.call('RangeList.getRanges', 0, () => this.#h.env.exec.guestArray(this.#ranges));
  }
}

/** Where a Range points, for the fake's own checks; kept off the object so the bundle can't see it. */
const rangeState = new WeakMap<RangeHandle, { sheet: FakeSheet; rect: GridRect }>();

export class RangeHandle {
  readonly #h: Handles;
  readonly #sheet: FakeSheet;
  readonly #rect: GridRect;

  /** The sheet and cells this range covers, for rules built on it. */
  get fakeSheet(): FakeSheet {
    return this.#sheet;
  }

  get rect(): GridRect {
    return { ...this.#rect };
  }

  constructor(handles: Handles, sheet: FakeSheet, rect: GridRect) {
    this.#h = handles;
    this.#sheet = sheet;
    this.#rect = rect;
    rangeState.set(this, { sheet, rect });
  }

  #call<T>(method: string, cost: number, effect: () => T): T {
    return this.#h.env.exec.call(`Range.${method}`, cost, () => {
      if (RANGE_READS.has(method)) this.#sheet.applyPending();
      return effect();
    });
  }

  get #cells(): number {
    return this.#rect.numRows * this.#rect.numColumns;
  }

  get #readCost(): number {
    const c = this.#h.env.exec.costs;
    return c.getValuesMs + c.perCellReadMs * this.#cells;
  }

  get #writeCost(): number {
    const c = this.#h.env.exec.costs;
    return c.setValuesMs + c.perCellWriteMs * this.#cells;
  }

  #grid<T>(read: (row: number, column: number) => T): T[][] {
    const { row, column, numRows, numColumns } = this.#rect;
    return Array.from({ length: numRows }, (_, r) => Array.from({ length: numColumns }, (_, c) => read(row + r, column + c)));
  }

  #each(write: (row: number, column: number, r: number, c: number) => void): void {
    const { row, column, numRows, numColumns } = this.#rect;
    for (let r = 0; r < numRows; r++) for (let c = 0; c < numColumns; c++) write(row + r, column + c, r, c);
  }

  /** setValues' and setNumberFormats' dimension checks, with Apps Script's messages. */
  #checkShape(method: string, data: unknown): unknown[][] {
    const exec = this.#h.env.exec;
    if (!isRows(data)) throw exec.signatureError(`SpreadsheetApp.Range.${method}`, [data]);
    if (data.length !== this.#rect.numRows)
      throw exec.error(
        `The number of rows in the data does not match the number of rows in the range. The data has ${data.length} but the range has ${this.#rect.numRows}.`,
      );
    for (const row of data)
      if (row.length !== this.#rect.numColumns)
        throw exec.error(
          `The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${this.#rect.numColumns}.`,
        );
    return data;
  }

  getValues(): unknown[][] {
    return this.#call('getValues', this.#readCost, () => this.#h.env.exec.guestRows(this.#grid((r, c) => this.#sheet.value(r, c))));
  }

  getValue(): unknown {
    const c = this.#h.env.exec.costs;
    return this.#call('getValue', c.getValuesMs + c.perCellReadMs, () => {
      const value: CellValue = this.#sheet.value(this.#rect.row, this.#rect.column);
      return this.#h.env.exec.toGuest(value);
    });
  }

  getDisplayValues(): string[][] {
    return this.#call('getDisplayValues', this.#readCost, () => this.#h.env.exec.guestRows(this.#grid((r, c) => this.#sheet.display(r, c))) as string[][]);
  }

  getDisplayValue(): string {
    const c = this.#h.env.exec.costs;
    return this.#call('getDisplayValue', c.getValuesMs + c.perCellReadMs, () => this.#sheet.display(this.#rect.row, this.#rect.column));
  }

  getFormulas(): string[][] {
    return this.#call('getFormulas', this.#readCost, () => this.#h.env.exec.guestRows(this.#grid((r, c) => this.#sheet.formula(r, c))) as string[][]);
  }

  getFormula(): string {
    const c = this.#h.env.exec.costs;
    return this.#call('getFormula', c.getValuesMs + c.perCellReadMs, () => this.#sheet.formula(this.#rect.row, this.#rect.column));
  }

  getNumberFormats(): string[][] {
    return this.#call('getNumberFormats', this.#readCost, () => this.#h.env.exec.guestRows(this.#grid((r, c) => this.#sheet.format(r, c))) as string[][]);
  }

  getNumberFormat(): string {
    const c = this.#h.env.exec.costs;
    return this.#call('getNumberFormat', c.getValuesMs + c.perCellReadMs, () => this.#sheet.format(this.#rect.row, this.#rect.column));
  }

  /**
   * Notes (developers.google.com/apps-script/reference/spreadsheet/range#getnotes): "" for a
   * cell without one; setNotes takes a grid of the range's size, null or "" removing a note.
   */
  getNotes(): string[][] {
    return this.#call('getNotes', this.#readCost, () => this.#h.env.exec.guestRows(this.#grid((r, c) => this.#sheet.note(r, c))) as string[][]);
  }

  getNote(): string {
    const c = this.#h.env.exec.costs;
    return this.#call('getNote', c.getValuesMs + c.perCellReadMs, () => this.#sheet.note(this.#rect.row, this.#rect.column));
  }

  setNotes(notes: unknown): RangeHandle {
    return this.#call('setNotes', this.#writeCost, () => {
      const data = this.#checkShape('setNotes', notes);
      this.#h.guardWrite(this.#sheet, this.#rect);
      this.#each((row, column, r, c) => {
        const note = data[r]?.[c];
        this.#sheet.setNote(row, column, note === null || note === undefined ? '' : String(note));
      });
      return this;
    });
  }

  setNote(note: unknown): RangeHandle {
    return this.#call('setNote', this.#writeCost, () => {
      this.#h.guardWrite(this.#sheet, this.#rect);
      this.#each((row, column) => this.#sheet.setNote(row, column, note === null || note === undefined ? '' : String(note)));
      return this;
    });
  }

  setValues(values: unknown): RangeHandle {
    return this.#call('setValues', this.#writeCost, () => {
      const data = this.#checkShape('setValues', values);
      this.#h.guardWrite(this.#sheet, this.#rect, (row, column) => data[row - this.#rect.row]?.[column - this.#rect.column]);
      this.#sheet.hold(this.#rect);
      this.#each((row, column, r, c) => this.#sheet.write(row, column, data[r]?.[c]));
      return this;
    });
  }

  setValue(value: unknown): RangeHandle {
    return this.#call('setValue', this.#writeCost, () => {
      this.#h.guardWrite(this.#sheet, this.#rect, () => value);
      this.#sheet.hold(this.#rect);
      this.#each((row, column) => this.#sheet.write(row, column, value));
      return this;
    });
  }

  setFormula(formula: unknown): RangeHandle {
    return this.#call('setFormula', this.#writeCost, () => {
      const text = String(formula);
      this.#h.guardWrite(this.#sheet, this.#rect);
      this.#sheet.hold(this.#rect);
      this.#each((row, column) => this.#sheet.write(row, column, text.startsWith('=') ? text : `=${text}`));
      return this;
    });
  }

  setNumberFormat(format: unknown): RangeHandle {
    return this.#call('setNumberFormat', this.#h.env.exec.costs.formatMs, () => {
      const text = String(format);
      this.#h.guardWrite(this.#sheet, this.#rect);
      this.#sheet.hold(this.#rect);
      this.#each((row, column) => this.#sheet.setFormat(row, column, text));
      return this;
    });
  }

  setNumberFormats(formats: unknown): RangeHandle {
    return this.#call('setNumberFormats', this.#h.env.exec.costs.formatMs, () => {
      const data = this.#checkShape('setNumberFormats', formats);
      this.#h.guardWrite(this.#sheet, this.#rect);
      this.#sheet.hold(this.#rect);
      this.#each((row, column, r, c) => this.#sheet.setFormat(row, column, String(data[r]?.[c] ?? 'General')));
      return this;
    });
  }

  clearContent(): RangeHandle {
    return this.#call('clearContent', this.#writeCost, () => {
      this.#h.guardWrite(this.#sheet, this.#rect);
      this.#sheet.hold(this.#rect);
      this.#each((row, column) => this.#sheet.clearContent(row, column));
      return this;
    });
  }

  isBlank(): boolean {
    return this.#call('isBlank', this.#readCost, () => {
      let blank = true;
      this.#each((row, column) => {
        if (this.#sheet.value(row, column) !== '' || this.#sheet.formula(row, column) !== '') blank = false;
      });
      return blank;
    });
  }

  getRow(): number {
    return this.#call('getRow', 0, () => this.#rect.row);
  }

  getColumn(): number {
    return this.#call('getColumn', 0, () => this.#rect.column);
  }

  getNumRows(): number {
    return this.#call('getNumRows', 0, () => this.#rect.numRows);
  }

  getNumColumns(): number {
    return this.#call('getNumColumns', 0, () => this.#rect.numColumns);
  }

  getLastRow(): number {
    return this.#call('getLastRow', 0, () => this.#rect.row + this.#rect.numRows - 1);
  }

  getLastColumn(): number {
    return this.#call('getLastColumn', 0, () => this.#rect.column + this.#rect.numColumns - 1);
  }

  getA1Notation(): string {
    return this.#call('getA1Notation', 0, () => a1Of(this.#rect));
  }

  getSheet(): SheetHandle {
    return this.#call('getSheet', 0, () => this.#h.sheet(this.#sheet));
  }

  getCell(row: unknown, column: unknown): RangeHandle {
    return this.#call('getCell', this.#h.env.exec.costs.sheetMetaMs, () => {
      const exec = this.#h.env.exec;
      const r = toInt(exec, row);
      const c = toInt(exec, column);
      if (r < 1 || c < 1 || r > this.#rect.numRows || c > this.#rect.numColumns)
        throw exec.error('The coordinates of the range are outside the dimensions of the sheet.');
      return this.#h.range(this.#sheet, { row: this.#rect.row + r - 1, column: this.#rect.column + c - 1, numRows: 1, numColumns: 1 });
    });
  }

  offset(rowOffset: unknown, columnOffset: unknown, numRows?: unknown, numColumns?: unknown): RangeHandle {
    return this.#call('offset', this.#h.env.exec.costs.sheetMetaMs, () => {
      const exec = this.#h.env.exec;
      const rect = this.#h.checkedRect(this.#sheet, [
        this.#rect.row + toInt(exec, rowOffset),
        this.#rect.column + toInt(exec, columnOffset),
        numRows === undefined ? this.#rect.numRows : numRows,
        numColumns === undefined ? this.#rect.numColumns : numColumns,
      ]);
      return this.#h.range(this.#sheet, rect);
    });
  }

  activate(): RangeHandle {
    return this.#call('activate', this.#h.env.exec.costs.sheetMetaMs, () => {
      this.#h.env.view.activate(this.#sheet);
      this.#h.env.view.select(this.#sheet, [{ ...this.#rect }]);
      return this;
    });
  }
}

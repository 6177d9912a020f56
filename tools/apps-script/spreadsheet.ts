/**
 * The persistent spreadsheet: sheets of cells with values, formulas and number formats, plus the
 * UI state (active sheet, selections). It outlives executions; the guest only reaches it through
 * the handles in spreadsheet-service.ts.
 */
import { a1Of, type GridRect, parseA1, splitSheetName } from './a1';
import { type CellValue, displayValue, serialOf, typeString } from './cell-typing';
import { isDateValue } from './execution';

interface CellData {
  value: CellValue;
  formula?: string;
  format?: string;
  /** The cell's note; it stays when the content is cleared and moves with the cell in a sort. */
  note?: string;
}

/** A protected range (whole sheet when rect is null) only `editors` may change. */
export interface Protection {
  rect: GridRect | null;
  editors: string[];
}

/** A data validation rule that rejects input (not just warns). */
export interface Validation {
  rect: GridRect;
  accepts: (value: CellValue) => boolean;
}

// https://support.google.com/docs/answer/1218656 (protect ranges) — the error Apps Script throws
// for a write a protection refuses.
export const PROTECTED_MESSAGE =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';

/** https://developers.google.com/apps-script/reference/spreadsheet/data-validation-builder#setAllowInvalid(Boolean) */
export function validationMessage(a1: string): string {
  return `The data you entered in cell ${a1} violates the data validation rules set on this cell.`;
}

function overlaps(a: GridRect, b: GridRect): boolean {
  return a.row < b.row + b.numRows && b.row < a.row + a.numRows && a.column < b.column + b.numColumns && b.column < a.column + a.numColumns;
}

function contains(rect: GridRect, row: number, column: number): boolean {
  return row >= rect.row && row < rect.row + rect.numRows && column >= rect.column && column < rect.column + rect.numColumns;
}

export const DEFAULT_MAX_ROWS = 1000;
export const DEFAULT_MAX_COLUMNS = 26;

function normalizeInput(input: unknown): CellValue | null {
  if (input === null || input === undefined) return '';
  if (typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean') return input;
  if (isDateValue(input)) return new Date(input.getTime());
  return null;
}

/** A conditional format rule as the sheet keeps it: a condition, a format and its ranges. */
export interface ConditionalRuleData {
  /** whenTextEqualTo's text; null for conditions this fake does not model. */
  textEqualTo: string | null;
  background: string | null;
  fontColor: string | null;
  ranges: GridRect[];
}

/** An embedded chart as the sheet keeps it. */
export interface ChartData {
  id: number;
  /** A Charts.ChartType name, e.g. LINE or PIE. */
  type: string;
  ranges: GridRect[];
  anchorRow: number;
  anchorColumn: number;
  options: Record<string, unknown>;
}

export class FakeSheet {
  private rows: (CellData | undefined)[][] = [];
  maxRows = DEFAULT_MAX_ROWS;
  maxColumns = DEFAULT_MAX_COLUMNS;
  frozenRows = 0;
  /** The ranges selected in this sheet; Sheets remembers one selection per sheet. */
  selection: GridRect[] = [{ row: 1, column: 1, numRows: 1, numColumns: 1 }];
  readonly protections: Protection[] = [];
  readonly validations: Validation[] = [];
  /** Rows a filter hides (1-based). A dragged selection still includes them. */
  readonly hiddenByFilter = new Set<number>();
  /** Conditional format rules, in the order Sheets applies them (the first match wins). */
  conditionalFormatRules: ConditionalRuleData[] = [];
  /** Embedded charts, in the order they were inserted. */
  charts: ChartData[] = [];
  /**
   * Cells the running execution changed that Sheets has not applied yet, keyed "row,column",
   * with what each held before the change (see FakeSpreadsheet.applyPending).
   */
  private readonly pending = new Map<string, CellData | undefined>();

  constructor(
    readonly spreadsheet: FakeSpreadsheet,
    public name: string,
    readonly id: number,
  ) {}

  // ------------------------------------------------------------ cells

  private data(row: number, column: number): CellData | undefined {
    return this.rows[row - 1]?.[column - 1];
  }

  private ensure(row: number, column: number): CellData {
    let r = this.rows[row - 1];
    if (!r) {
      r = [];
      this.rows[row - 1] = r;
    }
    let cell = r[column - 1];
    if (!cell) {
      cell = { value: '' };
      r[column - 1] = cell;
    }
    return cell;
  }

  value(row: number, column: number): CellValue {
    return this.data(row, column)?.value ?? '';
  }

  formula(row: number, column: number): string {
    return this.data(row, column)?.formula ?? '';
  }

  format(row: number, column: number): string {
    return this.data(row, column)?.format ?? 'General';
  }

  display(row: number, column: number): string {
    const cell = this.data(row, column);
    if (!cell) return '';
    return displayValue(cell.value, cell.format, this.spreadsheet.locale, this.spreadsheet.timeZone);
  }

  setFormat(row: number, column: number, format: string): void {
    this.ensure(row, column).format = format;
  }

  note(row: number, column: number): string {
    return this.data(row, column)?.note ?? '';
  }

  /** Range.setNote: "" (or null) removes the note. */
  setNote(row: number, column: number, note: string): void {
    if (note === '') {
      const cell = this.data(row, column);
      if (cell) delete cell.note;
      return;
    }
    this.ensureSize(row, column);
    this.ensure(row, column).note = note;
  }

  /** A raw value, no typing rules: what a test puts in place as "already in the sheet". */
  putRaw(row: number, column: number, value: unknown): void {
    this.ensureSize(row, column);
    // A person's edit is not part of the execution's batch: losing the batch keeps it.
    this.pending.delete(`${row},${column}`);
    const cell = this.ensure(row, column);
    const normalized = normalizeInput(value);
    cell.value = normalized ?? String(value);
    delete cell.formula;
  }

  /**
   * setValue's rules: numbers, booleans and dates as they are; `'text` as text; anything in a
   * '@' (plain text) cell verbatim; otherwise Sheets parses the string as if typed.
   */
  write(row: number, column: number, input: unknown): void {
    const cell = this.ensure(row, column);
    const normalized = normalizeInput(input);
    delete cell.formula;
    if (normalized === null) {
      cell.value = String(input);
      return;
    }
    if (typeof normalized !== 'string') {
      cell.value = normalized;
      return;
    }
    if (cell.format === '@') {
      cell.value = normalized;
      return;
    }
    if (normalized.startsWith("'")) {
      cell.value = normalized.slice(1);
      return;
    }
    const typed = typeString(normalized, this.spreadsheet.locale, this.spreadsheet.timeZone);
    cell.value = typed.value;
    if (typed.formula !== undefined) cell.formula = typed.formula;
    if (typed.autoFormat && (cell.format === undefined || cell.format === 'General')) cell.format = typed.autoFormat;
  }

  clearContent(row: number, column: number): void {
    const cell = this.data(row, column);
    if (!cell) return;
    cell.value = '';
    delete cell.formula;
  }

  /** The value `write(row, column, input)` would store, without storing it. */
  wouldStore(row: number, column: number, input: unknown): CellValue {
    const normalized = normalizeInput(input);
    if (normalized === null) return String(input);
    if (typeof normalized !== 'string') return normalized;
    if (this.format(row, column) === '@') return normalized;
    if (normalized.startsWith("'")) return normalized.slice(1);
    return typeString(normalized, this.spreadsheet.locale, this.spreadsheet.timeZone).value;
  }

  /** Whether a protection keeps `user` from changing any cell of `rect`. */
  protectedFor(user: string, rect: GridRect): boolean {
    return this.protections.some((p) => !p.editors.includes(user) && (p.rect === null || overlaps(p.rect, rect)));
  }

  /** The A1 notation of the first cell of `rect` a rejecting validation rule refuses `values` in, or null. */
  rejectedCell(rect: GridRect, valueAt: (row: number, column: number) => unknown): string | null {
    for (let r = rect.row; r < rect.row + rect.numRows; r++)
      for (let c = rect.column; c < rect.column + rect.numColumns; c++) {
        const rules = this.validations.filter((v) => contains(v.rect, r, c));
        if (rules.length === 0) continue;
        const value = this.wouldStore(r, c, valueAt(r, c));
        // An empty cell passes every rule, as in Sheets.
        if (value !== '' && rules.some((v) => !v.accepts(value))) return a1Of({ row: r, column: c, numRows: 1, numColumns: 1 });
      }
    return null;
  }

  private hasContent(cell: CellData | undefined): boolean {
    return cell !== undefined && (cell.value !== '' || cell.formula !== undefined);
  }

  lastRow(): number {
    for (let r = this.rows.length; r >= 1; r--) if (this.rows[r - 1]?.some((c) => this.hasContent(c))) return r;
    return 0;
  }

  lastColumn(): number {
    let last = 0;
    for (const row of this.rows) {
      if (!row) continue;
      for (let c = row.length; c > last; c--) {
        if (this.hasContent(row[c - 1])) {
          last = c;
          break;
        }
      }
    }
    return last;
  }

  ensureSize(rows: number, columns: number): void {
    if (rows > this.maxRows) this.maxRows = rows;
    if (columns > this.maxColumns) this.maxColumns = columns;
  }

  // ------------------------------------------------------------ pending writes

  /** Remembers what the cells of `rect` hold before the execution changes them. */
  hold(rect: GridRect): void {
    for (let r = rect.row; r < rect.row + rect.numRows; r++)
      for (let c = rect.column; c < rect.column + rect.numColumns; c++) {
        const key = `${r},${c}`;
        if (this.pending.has(key)) continue;
        const cell = this.data(r, c);
        this.pending.set(key, cell ? { ...cell } : undefined);
      }
  }

  /** Cells changed and not yet applied. */
  get pendingCells(): number {
    return this.pending.size;
  }

  /** Sheets applies the held changes: they stay. */
  applyPending(): void {
    this.pending.clear();
  }

  /** The held changes are lost: every held cell gets back what it had. Returns how many. */
  dropPending(): number {
    const lost = this.pending.size;
    for (const [key, before] of this.pending) {
      const [row = 0, column = 0] = key.split(',').map(Number);
      let r = this.rows[row - 1];
      if (!r) {
        r = [];
        this.rows[row - 1] = r;
      }
      r[column - 1] = before ? { ...before } : undefined;
    }
    this.pending.clear();
    return lost;
  }

  // ------------------------------------------------------------ structure
  // Sheets applies the pending changes before it moves rows or columns (the batch is ordered).

  insertRows(beforeRow: number, count: number): void {
    this.applyPending();
    const blanks = Array.from({ length: count }, () => [] as (CellData | undefined)[]);
    while (this.rows.length < beforeRow - 1) this.rows.push([]);
    this.rows.splice(beforeRow - 1, 0, ...blanks);
    this.maxRows += count;
  }

  deleteRows(startRow: number, count: number): void {
    this.applyPending();
    this.rows.splice(startRow - 1, count);
    this.maxRows -= count;
  }

  insertColumns(beforeColumn: number, count: number): void {
    this.applyPending();
    for (const row of this.rows) {
      if (!row || row.length < beforeColumn) continue;
      row.splice(beforeColumn - 1, 0, ...new Array<CellData | undefined>(count).fill(undefined));
    }
    this.maxColumns += count;
  }

  deleteColumns(startColumn: number, count: number): void {
    this.applyPending();
    for (const row of this.rows) if (row) row.splice(startColumn - 1, count);
    this.maxColumns -= count;
  }

  /** Sheets' order: numbers and dates, then text (case-insensitive), then booleans; blanks always last. */
  sortRows(firstRow: number, lastRow: number, column: number, ascending: boolean): void {
    this.applyPending();
    if (lastRow <= firstRow) return;
    const tz = this.spreadsheet.timeZone;
    const block = this.rows.slice(firstRow - 1, lastRow);
    while (block.length < lastRow - firstRow + 1) block.push([]);
    const rank = (v: CellValue): number => (v === '' ? 3 : typeof v === 'number' || v instanceof Date ? 0 : typeof v === 'string' ? 1 : 2);
    const key = (v: CellValue): number | string => (v instanceof Date ? serialOf(v, tz) : typeof v === 'string' ? v.toLowerCase() : Number(v));
    const sorted = block
      .map((row, index) => ({ row, index }))
      .sort((a, b) => {
        const va = a.row?.[column - 1]?.value ?? '';
        const vb = b.row?.[column - 1]?.value ?? '';
        const ra = rank(va);
        const rb = rank(vb);
        if (ra === 3 || rb === 3) return ra === rb ? a.index - b.index : ra === 3 ? 1 : -1;
        let order = ra - rb;
        if (order === 0) {
          const ka = key(va);
          const kb = key(vb);
          order = ka < kb ? -1 : ka > kb ? 1 : 0;
        }
        if (!ascending) order = -order;
        return order !== 0 ? order : a.index - b.index;
      });
    sorted.forEach(({ row }, i) => {
      this.rows[firstRow - 1 + i] = row ?? [];
    });
  }

  // ------------------------------------------------------------ test helpers

  /** Resolves A1 notation on this sheet. */
  rect(a1: string): GridRect {
    const { ref } = splitSheetName(a1);
    const rect = parseA1(ref, this.maxRows, this.maxColumns);
    if (!rect) throw new Error(`Bad A1 notation: ${a1}`);
    return rect;
  }

  private grid<T>(read: (row: number, column: number) => T): T[][] {
    const rows = this.lastRow();
    const columns = this.lastColumn();
    return Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => read(r + 1, c + 1)));
  }

  /** The data range's values as getValues() returns them ("" for empty, Date for dates). */
  values(): CellValue[][] {
    return this.grid((r, c) => this.value(r, c));
  }

  formulas(): string[][] {
    return this.grid((r, c) => this.formula(r, c));
  }

  formats(): string[][] {
    return this.grid((r, c) => this.format(r, c));
  }

  displayValues(): string[][] {
    return this.grid((r, c) => this.display(r, c));
  }

  cell(a1: string): CellValue {
    const { row, column } = this.rect(a1);
    return this.value(row, column);
  }

  /** Sets the number format of every cell of an A1 range (e.g. '@' for a plain-text column). */
  setNumberFormat(a1: string, format: string): void {
    const rect = this.rect(a1);
    for (let r = rect.row; r < rect.row + rect.numRows; r++) for (let c = rect.column; c < rect.column + rect.numColumns; c++) this.setFormat(r, c, format);
  }

  /** Fills rows from `startRow` with raw cell values. */
  putRows(rows: readonly (readonly unknown[])[], startRow = 1): void {
    rows.forEach((row, r) => row.forEach((value, c) => this.putRaw(startRow + r, c + 1, value)));
  }

  /**
   * Fills rows from `startRow` as a person typing each string into Sheets would: the spreadsheet
   * locale decides what becomes a number (`500.000` is 500 in en_US, 500000 in id_ID). Text
   * shows as typed; a number shows in the locale's format (a leading 0 is lost).
   */
  typeRows(rows: readonly (readonly string[])[], startRow = 1): void {
    rows.forEach((row, r) =>
      row.forEach((text, c) => {
        this.ensureSize(startRow + r, c + 1);
        this.pending.delete(`${startRow + r},${c + 1}`);
        this.write(startRow + r, c + 1, text);
      }),
    );
  }

  /** Protects a range (or the whole sheet) from everyone but `editors`, as the owner would. */
  protect(a1: string | null = null, editors: string[] = []): void {
    this.protections.push({ rect: a1 === null ? null : this.rect(a1), editors });
  }

  /** A rejecting validation rule: writes of values `accepts` refuses throw. */
  rejectInvalid(a1: string, accepts: (value: CellValue) => boolean): void {
    this.validations.push({ rect: this.rect(a1), accepts });
  }

  /** A rejecting dropdown: only `allowed` (as text) may be written. */
  requireOneOf(a1: string, allowed: readonly string[]): void {
    this.rejectInvalid(a1, (value) => allowed.includes(String(value)));
  }

  /** Hides rows as a filter would (1-based row numbers). */
  hideRowsByFilter(...rows: number[]): void {
    for (const row of rows) this.hiddenByFilter.add(row);
  }

  a1(rect: GridRect): string {
    return a1Of(rect);
  }
}

export class FakeSpreadsheet {
  readonly id = '1MayarSheetsFakeSpreadsheet000000000000000';
  name = 'Customers';
  readonly sheets: FakeSheet[] = [];
  activeSheet: FakeSheet;
  private nextSheetId = 0;

  constructor(
    public timeZone: string,
    public locale: string,
  ) {
    this.activeSheet = this.createSheet('Sheet1');
  }

  get url(): string {
    return `https://docs.google.com/spreadsheets/d/${this.id}/edit`;
  }

  /** Adds a sheet at the end (what insertSheet does with a name). */
  createSheet(name: string, index = this.sheets.length): FakeSheet {
    // The first sheet of a new spreadsheet has gid 0; later ones get large ids, as in Sheets.
    const id = this.nextSheetId === 0 ? 0 : 1000000000 + this.nextSheetId * 7919;
    this.nextSheetId++;
    const sheet = new FakeSheet(this, name, id);
    this.sheets.splice(index, 0, sheet);
    return sheet;
  }

  find(name: string): FakeSheet | undefined {
    return this.sheets.find((s) => s.name === name);
  }

  sheet(name: string): FakeSheet {
    const sheet = this.find(name);
    if (!sheet) throw new Error(`No sheet named "${name}" (sheets: ${this.sheets.map((s) => s.name).join(', ')})`);
    return sheet;
  }

  /**
   * Adds (or refills) a sheet with raw cells and makes it the active sheet, as the person who
   * just filled it in would be looking at it.
   */
  addSheet(name: string, rows: readonly (readonly unknown[])[] = []): FakeSheet {
    const sheet = this.find(name) ?? this.createSheet(name);
    sheet.putRows(rows);
    this.activeSheet = sheet;
    return sheet;
  }

  /** Like addSheet, but every string goes through Sheets' typing rules (numbers, dates, leading zeros). */
  typeRows(name: string, rows: readonly (readonly string[])[], startRow = 1): FakeSheet {
    const sheet = this.find(name) ?? this.createSheet(name);
    sheet.typeRows(rows, startRow);
    this.activeSheet = sheet;
    return sheet;
  }

  values(name: string): CellValue[][] {
    return this.sheet(name).values();
  }

  formulas(name: string): string[][] {
    return this.sheet(name).formulas();
  }

  formats(name: string): string[][] {
    return this.sheet(name).formats();
  }

  displayValues(name: string): string[][] {
    return this.sheet(name).displayValues();
  }

  cell(name: string, a1: string): CellValue {
    return this.sheet(name).cell(a1);
  }

  /** Selects ranges (comma-separated A1 list) in a sheet and makes it active, like a click. */
  setSelection(name: string, a1: string): void {
    const sheet = this.sheet(name);
    sheet.selection = a1.split(',').map((part) => sheet.rect(part.trim()));
    this.activeSheet = sheet;
  }

  setActiveSheet(name: string): void {
    this.activeSheet = this.sheet(name);
  }

  /**
   * Pending writes. https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#flush()
   * says: "Applies all pending Spreadsheet changes. Spreadsheet operations are sometimes bundled
   * together to improve performance, such as when doing multiple calls to Range.getValue().
   * However, sometimes you may want to make sure that all pending changes are made right away,
   * for instance to show users data as a script is executing." The fake takes the less
   * convenient reading: an execution's cell writes (values, formulas, number formats, cleared
   * content) are held until SpreadsheetApp.flush(), a read of the same sheet (Sheets applies
   * the batch before it answers), a change to the sheet's rows or columns, or the normal end of
   * the execution (a thrown error still ends it normally). When the execution is killed (the
   * 6-minute limit, or a test's kill) the writes still held are lost.
   */
  applyPending(sheet?: FakeSheet): void {
    for (const s of sheet ? [sheet] : this.sheets) s.applyPending();
  }

  /** The held writes are lost (a killed execution). Returns how many cells went back. */
  dropPending(): number {
    return this.sheets.reduce((lost, s) => lost + s.dropPending(), 0);
  }

  /** Cells written and not applied yet, over every sheet. */
  get pendingCells(): number {
    return this.sheets.reduce((n, s) => n + s.pendingCells, 0);
  }
}

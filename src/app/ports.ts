/**
 * The small interfaces the application asks for. src/adapters/ implements them with Apps
 * Script services; nothing else in src/app or src/core touches an Apps Script global.
 */
import type { BatchReply, HttpRequestSpec } from '../core/http';
import type { Cell, ZoneInfo } from '../core/types';

export type { BatchReply, HttpReply, HttpRequestSpec } from '../core/http';

export interface HttpPort {
  fetchAll(requests: HttpRequestSpec[]): BatchReply;
}

/** A background for Status cells whose text is exactly `text`. */
export interface StatusColour {
  text: string;
  background: string;
}

/** A chart drawn by Sheets from a block of the sheet (1-based; the block's first row is its header). */
export interface ChartSpec {
  type: 'line' | 'pie' | 'column';
  title: string;
  row: number;
  column: number;
  numRows: number;
  numColumns: number;
  /** The cell the chart's top-left corner sits on. */
  anchorRow: number;
  anchorColumn: number;
}

/** One tab of the spreadsheet. Rows and columns are 1-based, as in Apps Script. */
export interface SheetPort {
  readonly id: number;
  readonly name: string;
  /** Every value from A1 to the last row and column with content; [] for an empty sheet. */
  readAll(): Cell[][];
  /** The text Sheets shows (getDisplayValues) from A1 over numRows × numColumns; [] when either is 0. */
  readShown(numRows: number, numColumns: number): string[][];
  /** One setValues call over a rectangle. */
  write(row: number, column: number, values: Cell[][]): void;
  /** The notes of one column (1-based) from row 1 over numRows rows ("" where none): one getNotes call. */
  readNotes(column: number, numRows: number): string[];
  /** One setNotes call over a rectangle; "" removes a note. */
  writeNotes(row: number, column: number, notes: string[][]): void;
  /** Number format for whole columns below the header. */
  setColumnFormat(column: number, numColumns: number, format: string): void;
  setNumberFormat(row: number, column: number, numRows: number, numColumns: number, format: string): void;
  freezeHeader(): void;
  lastRow(): number;
  /**
   * Colours Status cells by their text with conditional format rules on that column (1-based),
   * below the header. Other rules are kept; the column's own rules are replaced only when
   * `replace`, else left as they are if it has any (the person may have changed them).
   */
  colourStatuses(column: number, colours: readonly StatusColour[], replace: boolean): void;
  select(row: number, column: number, numRows: number, numColumns: number): void;
  /** Removes every chart of the sheet and draws these (for a sheet the add-on owns). */
  replaceCharts(charts: readonly ChartSpec[]): void;
}

export interface SpreadsheetPort {
  zone(): ZoneInfo;
  locale(): string;
  activeSheet(): SheetPort;
  sheetById(id: number): SheetPort | null;
  sheetByName(name: string): SheetPort | null;
  sheets(): SheetPort[];
  insertSheet(name: string): SheetPort;
  /** Sheet rows (1-based) covered by the current selection of the active sheet, without rows hidden by a filter. */
  selectedRows(): { sheetId: number; rows: number[]; hiddenByFilter: number };
  flush(): void;
}

export interface KeyValueStore {
  get(key: string): string | null;
  getAll(): Record<string, string>;
  /** One call: sets every given key, deletes keys given as null. */
  setMany(values: Record<string, string | null>): void;
}

export interface LockPort {
  tryLock(timeoutMs: number): boolean;
  release(): void;
}

export type Answer = 'yes' | 'no' | 'ok' | 'cancel' | 'close';

export interface UiPort {
  toast(message: string, title: string, seconds?: number): void;
  alert(title: string, message: string): void;
  confirm(title: string, message: string): boolean;
  prompt(title: string, message: string): { button: Answer; text: string };
  showSidebar(file: 'Settings' | 'Progress' | 'WhatsApp', title: string): void;
  /** False where no UI can be shown (triggers, the web app). */
  readonly available: boolean;
}

export interface TriggerPort {
  /** Installed as an Editor add-on: one clock trigger per user per document, at most hourly. */
  readonly addOn: boolean;
  /** Replaces this user's one-off trigger for the handler with one that fires after ms. */
  scheduleOnce(handler: string, afterMs: number): void;
  /** Removes this user's triggers for these handlers. */
  cancel(...handlers: string[]): void;
  /** Installs an hourly trigger for the handler unless one exists. */
  ensureHourly(handler: string): void;
  /** True when this user has a trigger for the handler in this document. */
  exists(handler: string): boolean;
  /** Installs this user's onFormSubmit trigger of the spreadsheet for the handler unless one exists. */
  ensureFormSubmit(handler: string): void;
}

export interface SessionPort {
  /** The email to show; never throws, never empty (a stand-in when the platform gives ""). */
  user(): string;
  /** A stable key per person in this script, also when the email is unavailable. */
  userKey(): string;
  userLocale(): string;
  webAppUrl(): string | null;
}

/** One email as MailApp sends it: plain and HTML bodies, the sender's display name, reply-to. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  name?: string;
  replyTo?: string;
}

/**
 * What MailApp did with one email. It checks before it sends, so a refusal means nothing went
 * out; `overQuota` is the daily quota, which only tomorrow lifts (like HTTP's `notSent`).
 */
export type MailOutcome = { sent: true } | { sent: false; overQuota: boolean; error: string };

export interface MailPort {
  /** Recipients this user may still email today. */
  remainingDailyQuota(): number;
  /** Sends, or says why MailApp refused (a bad address, the daily quota, a missing permission). */
  send(email: OutgoingEmail): MailOutcome;
}

/** What Mayar → Diagnostics asks the platform; each call may throw, and is checked on its own. */
export interface PlatformProbe {
  /** ScriptApp.getAuthorizationInfo(FULL): whether more consent is needed, and the scopes granted. */
  authorization(): { required: boolean; scopes: string[] };
  /** ScriptApp.getInstallationSource(): 'NONE' for a bound script, else how the add-on was installed. */
  installationSource(): string;
  /** Handler names of this user's triggers in this spreadsheet. */
  documentTriggers(): string[];
  /** The document lock: null where there is none, else whether it could be taken now. */
  documentLockFree(): boolean | null;
  scriptLockFree(): boolean;
}

export interface Clock {
  now(): number;
  /** Waits inside the execution (Utilities.sleep): only where nothing else can wait. */
  sleep(ms: number): void;
}

export interface Ports {
  spreadsheet: SpreadsheetPort;
  http: HttpPort;
  documentStore: KeyValueStore;
  userStore: KeyValueStore;
  lock: LockPort;
  ui: UiPort;
  triggers: TriggerPort;
  session: SessionPort;
  mail: MailPort;
  clock: Clock;
  uuid(): string;
}

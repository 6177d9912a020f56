/**
 * The ports, implemented with Apps Script services. Thin on purpose: no decisions here, only
 * translation, so everything worth testing lives in the core and the application.
 */
import type {
  Answer,
  BatchReply,
  HttpPort,
  HttpRequestSpec,
  KeyValueStore,
  LockPort,
  MailPort,
  PlatformProbe,
  Ports,
  SessionPort,
  SheetPort,
  SpreadsheetPort,
  TriggerPort,
  UiPort,
} from '../app/ports';
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

function spreadsheetPort(): SpreadsheetPort {
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

/** The manifest's urlFetchWhitelist. */
const ALLOWED_HOSTS = ['https://api.mayar.id/', 'https://api.mayar.club/'];

/**
 * Errors Apps Script raises before any request leaves: the daily UrlFetch quota, an address
 * outside the manifest's whitelist, a missing permission. Nothing reached Mayar.
 */
function raisedBeforeSending(message: string): boolean {
  return /Service invoked too many times|too many times for one day|whitelist|allowlist|You do not have permission|Required permissions/i.test(message);
}

function httpPort(): HttpPort {
  return {
    fetchAll(requests: HttpRequestSpec[]): BatchReply {
      const params = requests.map((r) => ({
        url: r.url,
        method: r.method,
        headers: r.headers,
        muteHttpExceptions: true,
        followRedirects: true,
        ...(r.payload !== undefined ? { payload: r.payload, contentType: 'application/json' } : {}),
      }));
      try {
        if (params.some((p) => !ALLOWED_HOSTS.some((prefix) => p.url.startsWith(prefix)))) {
          return { ok: false, notSent: true, error: `not an allowed Mayar address (${ALLOWED_HOSTS.join(', ')})` };
        }
        const responses = UrlFetchApp.fetchAll(params);
        return {
          ok: true,
          replies: responses.map((response) => ({
            status: response.getResponseCode(),
            headers: response.getHeaders() as Record<string, string>,
            body: response.getContentText(),
          })),
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: message, notSent: raisedBeforeSending(message) };
      }
    },
  };
}

function storePort(properties: GoogleAppsScript.Properties.Properties): KeyValueStore {
  return {
    get: (key) => properties.getProperty(key),
    getAll: () => properties.getProperties(),
    setMany(values) {
      const set: Record<string, string> = {};
      const gone: string[] = [];
      for (const [key, value] of Object.entries(values)) {
        if (value === null) gone.push(key);
        else set[key] = value;
      }
      // Writes first, in one call, then deletes: an execution that dies in between leaves
      // stale keys behind, never a job whose part count points at a deleted part.
      if (Object.keys(set).length) properties.setProperties(set);
      for (const key of gone) properties.deleteProperty(key);
    },
  };
}

function isAddOn(): boolean {
  try {
    return ScriptApp.getInstallationSource() !== ScriptApp.InstallationSource.NONE;
  } catch {
    // Never let the question stop a command: a bound script is the safer guess for locks and triggers.
    return false;
  }
}

/**
 * A bound script serves one spreadsheet, so its script lock is that document's lock, and it
 * exists in the web app too (getDocumentLock() is null there): the webhook and the batches
 * exclude each other. An add-on's script lock would be shared by every document using it:
 * there, the document lock (and the script lock only where no document lock exists).
 */
function lockPort(): LockPort {
  const lock = (isAddOn() ? LockService.getDocumentLock() : null) ?? LockService.getScriptLock();
  return {
    tryLock: (ms) => lock.tryLock(ms),
    release() {
      if (lock && lock.hasLock()) lock.releaseLock();
    },
  };
}

function answer(button: GoogleAppsScript.Base.Button): Answer {
  const ui = SpreadsheetApp.getUi();
  if (button === ui.Button.YES) return 'yes';
  if (button === ui.Button.NO) return 'no';
  if (button === ui.Button.OK) return 'ok';
  if (button === ui.Button.CANCEL) return 'cancel';
  return 'close';
}

function uiPort(available: boolean): UiPort {
  const book = () => SpreadsheetApp.getActiveSpreadsheet();
  const ui = () => SpreadsheetApp.getUi();
  return {
    available,
    toast(message, title, seconds) {
      if (available) book().toast(message, title, seconds ?? 5);
    },
    alert(title, message) {
      if (available) ui().alert(title, message, ui().ButtonSet.OK);
    },
    confirm(title, message) {
      if (!available) return false;
      return answer(ui().alert(title, message, ui().ButtonSet.YES_NO)) === 'yes';
    },
    prompt(title, message) {
      if (!available) return { button: 'cancel', text: '' };
      const response = ui().prompt(title, message, ui().ButtonSet.OK_CANCEL);
      return { button: answer(response.getSelectedButton()), text: response.getResponseText() };
    },
    showSidebar(file, title) {
      if (available) ui().showSidebar(HtmlService.createHtmlOutputFromFile(file).setTitle(title));
    },
  };
}

function triggerPort(): TriggerPort {
  const addOn = isAddOn();
  // In an add-on, getProjectTriggers() also lists this user's triggers in other documents.
  const all = () => (addOn ? ScriptApp.getUserTriggers(SpreadsheetApp.getActiveSpreadsheet()) : ScriptApp.getProjectTriggers());
  const mine = (handler: string) => all().filter((t) => t.getHandlerFunction() === handler);
  return {
    addOn,
    scheduleOnce(handler, afterMs) {
      // The new one first: an execution that dies in between leaves two triggers, never none.
      const old = mine(handler);
      ScriptApp.newTrigger(handler)
        .timeBased()
        .after(Math.max(1000, Math.round(afterMs)))
        .create();
      for (const trigger of old) ScriptApp.deleteTrigger(trigger);
    },
    cancel(handler) {
      for (const trigger of mine(handler)) ScriptApp.deleteTrigger(trigger);
    },
    ensureHourly(handler) {
      if (mine(handler).length === 0) ScriptApp.newTrigger(handler).timeBased().everyHours(1).create();
    },
  };
}

function sessionPort(): SessionPort {
  return {
    // The email is only for display: "" for a consumer account in someone else's document and
    // in web apps that run as the deployer. Identity comes from userKey().
    user: () => {
      try {
        return Session.getActiveUser().getEmail() || Session.getEffectiveUser().getEmail() || 'unknown user';
      } catch {
        return 'unknown user';
      }
    },
    userKey: () => {
      try {
        return Session.getTemporaryActiveUserKey() || '';
      } catch {
        return '';
      }
    },
    userLocale: () => Session.getActiveUserLocale(),
    webAppUrl() {
      try {
        return ScriptApp.getService().getUrl() || null;
      } catch {
        return null;
      }
    },
  };
}

function mailPort(): MailPort {
  return {
    remainingDailyQuota: () => MailApp.getRemainingDailyQuota(),
    send(email) {
      // https://developers.google.com/apps-script/reference/mail/mail-app#sendEmail(Object)
      MailApp.sendEmail({
        to: email.to,
        subject: email.subject,
        body: email.text,
        htmlBody: email.html,
        ...(email.name ? { name: email.name } : {}),
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
      });
    },
  };
}

/** Ports for one execution. `withUi` is false in triggers and the web app, where no UI exists. */
export function gasPorts(withUi: boolean): Ports {
  return {
    spreadsheet: spreadsheetPort(),
    http: httpPort(),
    documentStore: storePort(PropertiesService.getDocumentProperties()),
    userStore: storePort(PropertiesService.getUserProperties()),
    lock: lockPort(),
    ui: uiPort(withUi),
    triggers: triggerPort(),
    session: sessionPort(),
    mail: mailPort(),
    clock: { now: () => Date.now(), sleep: (ms) => Utilities.sleep(Math.max(0, Math.min(300_000, Math.round(ms)))) },
    uuid: () => Utilities.getUuid(),
  };
}

/** Tries a lock without waiting and gives it back at once. */
function lockFree(lock: GoogleAppsScript.Lock.Lock): boolean {
  if (!lock.tryLock(0)) return false;
  lock.releaseLock();
  return true;
}

export function platformProbe(): PlatformProbe {
  return {
    authorization() {
      const info = ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL);
      return {
        required: info.getAuthorizationStatus() === ScriptApp.AuthorizationStatus.REQUIRED,
        // Newer than the type definitions: https://developers.google.com/apps-script/reference/script/authorization-info#getAuthorizedScopes()
        scopes: (info as unknown as { getAuthorizedScopes?: () => string[] }).getAuthorizedScopes?.() ?? [],
      };
    },
    installationSource: () => String(ScriptApp.getInstallationSource()),
    documentTriggers: () => ScriptApp.getUserTriggers(SpreadsheetApp.getActiveSpreadsheet()).map((t) => t.getHandlerFunction()),
    documentLockFree() {
      const lock = LockService.getDocumentLock();
      return lock ? lockFree(lock) : null;
    },
    scriptLockFree: () => lockFree(LockService.getScriptLock()),
  };
}

/** Adds the Mayar menu; null entries are separators. */
export function installMenu(title: string, items: readonly ([string, string] | null)[]): void {
  // An add-on's items live under Extensions → (the add-on's name).
  const ui = SpreadsheetApp.getUi();
  let addOn = true;
  try {
    addOn = ScriptApp.getInstallationSource() !== ScriptApp.InstallationSource.NONE;
  } catch {
    // Only an add-on's onOpen runs in AuthMode.NONE, where this may not be asked.
  }
  const menu = addOn ? ui.createAddonMenu() : ui.createMenu(title);
  for (const item of items) {
    if (item) menu.addItem(item[0], item[1]);
    else menu.addSeparator();
  }
  menu.addToUi();
}

/**
 * The OAuth scopes each Apps Script method needs, from the "Authorization" section of its
 * reference page. A method lists the scopes of which ANY one suffices; an empty list means the
 * page has no Authorization section. When the manifest lists `oauthScopes`, Apps Script grants
 * exactly those, and a call needing another scope throws PERMISSION_MESSAGE.
 *
 * Keys are the names the fake records in Execution.callLog ('Range.setValues').
 */

const AUTH = 'https://www.googleapis.com/auth/';
export const SCOPE = {
  spreadsheetsCurrentOnly: `${AUTH}spreadsheets.currentonly`,
  spreadsheets: `${AUTH}spreadsheets`,
  externalRequest: `${AUTH}script.external_request`,
  containerUi: `${AUTH}script.container.ui`,
  scriptApp: `${AUTH}script.scriptapp`,
  userInfoEmail: `${AUTH}userinfo.email`,
  sendMail: `${AUTH}script.send_mail`,
} as const;

// Every method of SpreadsheetApp, Spreadsheet, Sheet, Range and RangeList that reads or
// changes the document lists these two, e.g. Range.getValues, Range.getDisplayValues,
// Sheet.isRowHiddenByFilter, Sheet.insertChart, Sheet.setConditionalFormatRules,
// Spreadsheet.getSpreadsheetLocale:
// https://developers.google.com/apps-script/reference/spreadsheet/range#getDisplayValues()
// https://developers.google.com/apps-script/reference/spreadsheet/sheet#isRowHiddenByFilter(Integer)
// https://developers.google.com/apps-script/reference/spreadsheet/sheet#insertChart(EmbeddedChart)
// https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet#getSpreadsheetLocale()
const SHEETS = [SCOPE.spreadsheetsCurrentOnly, SCOPE.spreadsheets] as const;
const NONE = [] as const;

/** What every method of a class needs unless METHOD_SCOPES says otherwise. */
const CLASS_SCOPES: Record<string, readonly string[]> = {
  SpreadsheetApp: SHEETS,
  Spreadsheet: SHEETS,
  Sheet: SHEETS,
  Range: SHEETS,
  RangeList: SHEETS,
  // Builders only describe a chart or rule; Sheet.insertChart / setConditionalFormatRules
  // (SHEETS) apply them. https://developers.google.com/apps-script/reference/spreadsheet/embedded-chart-builder
  EmbeddedChartBuilder: NONE,
  ConditionalFormatRuleBuilder: NONE,
  // A built rule or chart is a description the script holds; reading it calls nothing.
  // https://developers.google.com/apps-script/reference/spreadsheet/conditional-format-rule
  ConditionalFormatRule: NONE,
  EmbeddedChart: NONE,
  DataValidationBuilder: NONE,
  // https://developers.google.com/apps-script/reference/base/ui (no Authorization sections,
  // showSidebar and the dialogs excepted below)
  Ui: NONE,
  Menu: NONE,
  // https://developers.google.com/apps-script/reference/properties
  PropertiesService: NONE,
  Properties: NONE,
  // https://developers.google.com/apps-script/reference/cache
  CacheService: NONE,
  Cache: NONE,
  // https://developers.google.com/apps-script/reference/lock/lock-service#getScriptLock()
  LockService: NONE,
  Lock: NONE,
  // https://developers.google.com/apps-script/reference/utilities/utilities
  Utilities: NONE,
  Logger: NONE,
  // https://developers.google.com/apps-script/reference/html/html-service
  HtmlService: NONE,
  // https://developers.google.com/apps-script/reference/content/content-service
  ContentService: NONE,
  // https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#fetch(String)
  UrlFetchApp: [SCOPE.externalRequest],
  // https://developers.google.com/apps-script/reference/mail/mail-app#sendEmail(String,String,String)
  // https://developers.google.com/apps-script/reference/mail/mail-app#getRemainingDailyQuota()
  MailApp: [SCOPE.sendMail],
  // https://developers.google.com/apps-script/reference/script/clock-trigger-builder#create()
  ClockTriggerBuilder: [SCOPE.scriptApp],
  // https://developers.google.com/apps-script/reference/script/spreadsheet-trigger-builder#create()
  SpreadsheetTriggerBuilder: [SCOPE.scriptApp],
};

/** Methods whose page differs from their class's default. */
const METHOD_SCOPES: Record<string, readonly string[]> = {
  // https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#getUi()
  'SpreadsheetApp.getUi': NONE,
  'SpreadsheetApp.newConditionalFormatRule': NONE,
  'SpreadsheetApp.newDataValidation': NONE,
  // https://developers.google.com/apps-script/reference/base/ui#showSidebar(Object)
  'Ui.showSidebar': [SCOPE.containerUi],
  'Ui.showModalDialog': [SCOPE.containerUi],
  'Ui.showModelessDialog': [SCOPE.containerUi],
  // https://developers.google.com/apps-script/reference/base/session#getActiveUser()
  'Session.getActiveUser': [SCOPE.userInfoEmail],
  // https://developers.google.com/apps-script/reference/base/session#getEffectiveUser()
  'Session.getEffectiveUser': [SCOPE.userInfoEmail],
  // https://developers.google.com/apps-script/reference/base/session#getTemporaryActiveUserKey()
  'Session.getTemporaryActiveUserKey': NONE,
  'Session.getActiveUserLocale': NONE,
  'Session.getScriptTimeZone': NONE,
  // https://developers.google.com/apps-script/reference/script/script-app#newTrigger(String)
  'ScriptApp.newTrigger': [SCOPE.scriptApp],
  // https://developers.google.com/apps-script/reference/script/script-app#getProjectTriggers()
  'ScriptApp.getProjectTriggers': [SCOPE.scriptApp],
  // https://developers.google.com/apps-script/reference/script/script-app#getUserTriggers(Spreadsheet)
  'ScriptApp.getUserTriggers': [SCOPE.scriptApp],
  // https://developers.google.com/apps-script/reference/script/script-app#deleteTrigger(Trigger)
  'ScriptApp.deleteTrigger': [SCOPE.scriptApp],
  // https://developers.google.com/apps-script/reference/script/script-app#getAuthorizationInfo(AuthMode)
  'ScriptApp.getAuthorizationInfo': NONE,
  // https://developers.google.com/apps-script/reference/script/script-app#getInstallationSource()
  'ScriptApp.getInstallationSource': NONE,
  'ScriptApp.getService': NONE,
  'ScriptApp.getScriptId': NONE,
};

/** The scopes `method` needs (any one of them), or undefined when the table does not know it. */
export function requiredScopes(method: string): readonly string[] | undefined {
  const own = METHOD_SCOPES[method];
  if (own) return own;
  const dot = method.indexOf('.');
  return dot < 0 ? undefined : CLASS_SCOPES[method.slice(0, dot)];
}

/**
 * Apps Script's message: one scope bare, alternatives in parentheses joined by `||`, e.g.
 * "You do not have permission to call Session.getActiveUser. Required permissions:
 * https://www.googleapis.com/auth/userinfo.email".
 */
export function permissionMessage(method: string, scopes: readonly string[]): string {
  const list = scopes.length === 1 ? scopes[0] : `(${scopes.join(' || ')})`;
  return `You do not have permission to call ${method}. Required permissions: ${list}`;
}

/** Scope checks for one execution: `granted` null means every scope (no oauthScopes listed). */
export interface ScopeGrant {
  granted: ReadonlySet<string> | null;
  refused: ReadonlySet<string>;
}

export function hasScope(grant: ScopeGrant, scope: string): boolean {
  if (grant.refused.has(scope)) return false;
  return grant.granted === null || grant.granted.has(scope);
}

/** The error message for calling `method` under `grant`, or null when the call is allowed. */
export function scopeRefusal(grant: ScopeGrant, method: string): string | null {
  const scopes = requiredScopes(method);
  if (!scopes || scopes.length === 0) return null;
  return scopes.some((s) => hasScope(grant, s)) ? null : permissionMessage(method, scopes);
}

/**
 * Entry points. Apps Script calls these (menus, triggers, google.script.run, the web app);
 * they only wire the adapters to the application. scripts/build.mjs turns every export into
 * a top-level function Apps Script can see.
 */
import { gasPorts, installMenu } from './adapters/gas';
import * as close from './app/close';
import type { CloseSummary } from './app/close';
import { type AppContext, createContext } from './app/context';
import * as control from './app/control';
import * as dashboard from './app/dashboard';
import * as periods from './app/periods';
import * as renew from './app/kinds/renew';
import * as engine from './app/engine/engine';
import { KINDS } from './app/kinds';
import * as create from './app/kinds/create-start';
import * as refresh from './app/kinds/refresh-start';
import * as settingsApp from './app/settings-app';
import * as setup from './app/setup';
import * as webhook from './app/webhook';
import { type Locale, localeFrom, t } from './core/messages';
import type { ProgressView } from './core/progress';
import type { SidebarServerApi } from './core/server-api';
import type { ConnectionResult, Environment, SaveResult, SettingsView } from './core/settings';

function app(withUi = true): AppContext {
  return createContext(gasPorts(withUi), KINDS);
}

/** A time-based trigger passes an event with its id; google.script.run and menus pass nothing. */
function fromTrigger(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'triggerUid' in event;
}

// ---- Menu --------------------------------------------------------------------------------

export function onOpen(e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  // In AuthMode.NONE (an add-on not yet used in this document) properties can't be read.
  let locale: Locale = 'en';
  if (!e || e.authMode !== ScriptApp.AuthMode.NONE) {
    try {
      locale = app().locale;
    } catch {
      locale = localeFrom(Session.getActiveUserLocale());
    }
  }
  const say = (key: Parameters<typeof t>[1]) => t(locale, key);
  installMenu('Mayar', [
    [say('menu.create'), 'createPaymentLinks'],
    [say('menu.createSelection'), 'createPaymentLinksForSelection'],
    [say('menu.progress'), 'showProgress'],
    null,
    [say('menu.refresh'), 'refreshPaymentStatus'],
    [say('menu.summary'), 'updateSummary'],
    [say('menu.close'), 'closeSelectedPaymentLinks'],
    [say('menu.renew'), 'renewExpiredLinks'],
    [say('menu.billAgain'), 'billNextPeriod'],
    null,
    [say('menu.setup'), 'setUpSheet'],
    [say('menu.check'), 'checkRows'],
    [say('menu.settings'), 'showSettings'],
  ]);
}

// ---- Billing again ------------------------------------------------------------------------

export function billNextPeriod(): void {
  periods.billNextPeriod(app());
}

export function renewExpiredLinks(): ProgressView | undefined {
  return renew.renewExpiredLinks(app());
}

// ---- Summary -----------------------------------------------------------------------------

export function updateSummary(): void {
  const ctx = app();
  control.withLock(ctx, () => dashboard.rebuildSummary(ctx));
}

export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as GoogleAppsScript.Events.SheetsOnOpen | undefined);
}

// ---- Creating links ----------------------------------------------------------------------

export function createPaymentLinks(): ProgressView | undefined {
  return create.startCreate(app(), false);
}

export function createPaymentLinksForSelection(): ProgressView | undefined {
  return create.startCreate(app(), true);
}

export function processNextBatch(event?: unknown): ProgressView {
  return engine.processNextBatch(app(!fromTrigger(event)));
}

export function getProgress(): ProgressView {
  return control.getProgress(app());
}

export function pauseRun(): ProgressView {
  return control.pauseRun(app());
}

export function resumeRun(): ProgressView {
  return control.resumeRun(app());
}

export function cancelRun(): ProgressView {
  return control.cancelRun(app());
}

export function showProgress(): void {
  const ctx = app();
  ctx.ports.ui.showSidebar('Progress', ctx.say('app.title'));
}

export function goToRow(sheetName: string, row: number): void {
  setup.goToRow(app(), sheetName, row);
}

export function setUpSheet(): void {
  setup.setUpSheet(app());
}

export function checkRows(): void {
  create.checkRows(app());
}

// ---- Settings ----------------------------------------------------------------------------

export function showSettings(): void {
  const ctx = app();
  ctx.ports.ui.showSidebar('Settings', ctx.say('menu.settings'));
}

export function getSettings(): SettingsView {
  return settingsApp.settingsView(app());
}

export function saveSettings(settings: unknown): SaveResult {
  return settingsApp.saveSettings(app(), settings);
}

export function testConnection(input?: { apiKey?: string; environment?: Environment }): ConnectionResult {
  return settingsApp.testConnection(app(), input);
}

export function newWebhookSecret(): SettingsView {
  return settingsApp.regenerateWebhookSecret(app());
}

// ---- Payment status ----------------------------------------------------------------------

export function refreshPaymentStatus(): ProgressView | undefined {
  return refresh.refreshPaymentStatus(app());
}

export function closeSelectedPaymentLinks(): CloseSummary | undefined {
  return close.closeSelected(app());
}

/** The hourly trigger installed by the automatic refresh setting. */
export function autoRefreshStatus(): ProgressView | null {
  return refresh.autoRefresh(app(false));
}

/** Mayar's webhook, when the script is deployed as a web app. */
export function doPost(e?: GoogleAppsScript.Events.DoPost): GoogleAppsScript.Content.TextOutput {
  let answer: webhook.WebhookAnswer;
  try {
    answer = webhook.handleWebhook(app(false), { token: e?.parameter?.token, body: e?.postData?.contents });
  } catch (error) {
    console.error(`Mayar webhook failed: ${String(error)}`);
    answer = { ok: false, error: 'internal error' };
  }
  return ContentService.createTextOutput(JSON.stringify(answer)).setMimeType(ContentService.MimeType.JSON);
}

// The sidebars' server API must stay in step with these exports.
const sidebarApi: SidebarServerApi = {
  getSettings,
  saveSettings: saveSettings as SidebarServerApi['saveSettings'],
  testConnection: (input) => testConnection(input),
  newWebhookSecret,
  processNextBatch: () => processNextBatch(),
  getProgress,
  pauseRun,
  resumeRun,
  cancelRun,
  goToRow,
};
void sidebarApi;

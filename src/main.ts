/**
 * Entry points. Apps Script calls these (menus, triggers, google.script.run, the web app);
 * they only wire the adapters to the application. scripts/build.mjs turns every export into
 * a top-level function Apps Script can see.
 */
import manifest from '../appsscript.json';
import { gasPorts } from './adapters/gas';
import { formResponseOf } from './adapters/forms';
import { platformProbe } from './adapters/script';
import { installMenu } from './adapters/ui';
import * as close from './app/close';
import type { CloseSummary } from './app/close';
import type { AppContext } from './app/context';
import { createContext } from './app/create-context';
import * as control from './app/control';
import * as diagnostics from './app/diagnostics';
import * as dashboard from './app/dashboard';
import * as periods from './app/periods';
import * as renew from './app/kinds/renew';
import * as engine from './app/engine/engine';
import * as errorRows from './app/error-rows';
import * as hourly from './app/hourly';
import { KINDS } from './app/kinds';
import * as create from './app/kinds/create/menu';
import * as email from './app/kinds/email/menu';
import * as forms from './app/forms/submit';
import * as refresh from './app/kinds/refresh/menu';
import * as settingsApp from './app/settings-app';
import * as setup from './app/setup';
import * as webhook from './app/webhook';
import * as deliverySettings from './app/delivery/templates-app';
import * as whatsapp from './app/delivery/whatsapp';
import * as schedule from './app/schedule';
import { menuEntries } from './app/menu';
import { type Locale, localeFrom } from './core/messages';
import type { ProgressView } from './core/progress';
import { TEMPLATE_KINDS, type TemplateKind } from './core/templates';
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
  installMenu('Mayar', menuEntries(locale));
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
  control.withLock(ctx, (ctx) => dashboard.rebuildSummary(ctx));
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

/** Progress sidebar: selects the next row with an error after `afterRow` (wrapping to the first). */
export function goToErrorRow(sheetName: string, afterRow: number): errorRows.ErrorRowStep {
  return errorRows.goToErrorRow(app(), String(sheetName), Number(afterRow) || 0);
}

export function setUpSheet(): void {
  setup.setUpSheet(app());
}

export function checkRows(): void {
  create.checkRows(app());
}

// ---- Delivering bills --------------------------------------------------------------------

export function sendPaymentLinksByEmail(): ProgressView | undefined {
  return email.sendPaymentLinksByEmail(app());
}

export function showWhatsApp(): void {
  const ctx = app();
  ctx.ports.ui.showSidebar('WhatsApp', ctx.say('ui.whatsapp.title'));
}

export function getWhatsAppQueue(): whatsapp.WhatsAppQueue {
  return whatsapp.whatsAppQueue(app());
}

export function markWhatsAppSent(paymentId: string, kind: 'bill' | 'reminder', step?: number): whatsapp.WhatsAppQueue {
  return whatsapp.markWhatsAppSent(app(), String(paymentId), kind === 'reminder' ? 'reminder' : 'bill', typeof step === 'number' ? step : undefined);
}

export function getDeliverySettings(): deliverySettings.DeliveryView {
  return deliverySettings.deliveryView(app());
}

export function saveDeliverySettings(input: unknown): deliverySettings.DeliverySaveResult {
  return deliverySettings.saveDeliverySettings(app(), input);
}

export function previewTemplate(kind: TemplateKind, template: string): deliverySettings.TemplatePreview {
  return deliverySettings.previewTemplate(app(), TEMPLATE_KINDS.includes(kind) ? kind : 'bill', String(template ?? ''));
}

export function sendTestEmail(kind: TemplateKind): { ok: boolean; message: string } {
  return deliverySettings.sendTestEmail(app(), TEMPLATE_KINDS.includes(kind) ? kind : 'bill');
}

/** The one-off trigger that carries emailing on once the daily quota is back. */
export function resumeEmailing(): ProgressView | null {
  return email.resumeEmailing(app(false));
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

// ---- Diagnostics -------------------------------------------------------------------------

/** Mayar → Diagnostics: checks this spreadsheet's setup once and shows the report. */
export function showDiagnostics(): diagnostics.DiagnosticsReport {
  return diagnostics.showDiagnostics(app(), platformProbe(), manifest.oauthScopes);
}

/** The same checks, returned without a dialog. */
export function runDiagnostics(): diagnostics.DiagnosticsReport {
  return diagnostics.runDiagnostics(app(), platformProbe(), manifest.oauthScopes);
}

// ---- Payment status ----------------------------------------------------------------------

export function refreshPaymentStatus(): ProgressView | undefined {
  return refresh.refreshPaymentStatus(app());
}

export function closeSelectedPaymentLinks(): CloseSummary | undefined {
  return close.closeSelected(app());
}

/**
 * Hourly triggers made by earlier versions (the automatic refresh; reminders and thank-you
 * emails). The first to fire replaces both with hourlyTick, then does the hour's work.
 */
export function autoRefreshStatus(): ProgressView | null {
  return retiredHourlyTrigger();
}

export function sendReminders(): ProgressView | null {
  return retiredHourlyTrigger();
}

function retiredHourlyTrigger(): ProgressView | null {
  const ctx = app(false);
  schedule.syncHourlyTrigger(ctx);
  return hourly.hourlyTick(ctx);
}

/** The spreadsheet's onFormSubmit trigger (Settings → bill each new form response): bills the new response. */
export function onFormResponse(e?: GoogleAppsScript.Events.SheetsOnFormSubmit): ProgressView | null {
  return forms.onFormResponse(app(false), formResponseOf(e));
}

/** A bound script's look, a minute later, at form responses kept while another run held the slot. */
export function processFormResponses(): ProgressView | null {
  return forms.processFormResponses(app(false));
}

/** Confirms webhooks that arrived while a run held the lock or the rate limit. */
export function processWebhookInbox(): number {
  return webhook.processWebhookInbox(app(false));
}

/** The hourly trigger: reminders, thank-you emails, the automatic refresh (and an add-on's runs). */
export function hourlyTick(): ProgressView | null {
  return hourly.hourlyTick(app(false));
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

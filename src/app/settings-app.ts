/** Reading and saving settings, the webhook URL, and "Test connection". */
import { callOnce } from './pacing';
import { classifyList } from '../core/mayar';
import { listRequest } from '../core/mayar-requests';
import {
  apiKeyWarning,
  type ConnectionResult,
  type Environment,
  keyHint,
  normalizeApiKey,
  type SaveResult,
  settingsInputSchema,
  type SettingsView,
  webAppExecUrl,
} from '../core/settings';
import type { AppContext } from './context';
import { createContext } from './create-context';
import { syncFormTrigger, syncHourlyTrigger } from './schedule';
import { describeFailure } from '../core/failure-text';
import { findSandboxHost, keyRecord, recordKeySaved } from './account';
import { logSettingsChange } from './settings-log';
import { appendLog } from './audit-log';

export function settingsView(ctx: AppContext): SettingsView {
  const apiKey = ctx.store.apiKey(ctx.settings.keyScope);
  const addOn = ctx.ports.triggers.addOn;
  return {
    ...ctx.settings,
    hasApiKey: apiKey !== null,
    apiKeyHint: apiKey ? keyHint(apiKey) : null,
    apiKeyWarning: apiKey ? apiKeyWarning(apiKey) : null,
    // An add-on has no web app per document: no webhook URL (and no secret made for one).
    webhookUrl: addOn ? null : webhookUrl(ctx),
    webhookProblem: addOn ? null : webAppEndpoint(ctx).problem,
    locale: ctx.locale,
    addOn,
  };
}

/**
 * The web app's /exec URL Mayar can call: the one the user pasted in Settings, else the
 * platform's when it is one. getUrl() called from a sidebar may give the /dev URL (editors
 * only) or a domain-scoped one: https://developers.google.com/apps-script/reference/script/service#getUrl()
 */
export function webAppEndpoint(ctx: AppContext): { url: string | null; platformUrl: string | null; problem: 'dev' | 'unknown' | null } {
  const platformUrl = ctx.ports.session.webAppUrl();
  if (ctx.settings.webAppUrl) {
    const pasted = webAppExecUrl(ctx.settings.webAppUrl);
    if (pasted.url) return { url: pasted.url, platformUrl, problem: null };
  }
  if (!platformUrl) return { url: null, platformUrl, problem: 'unknown' };
  const known = webAppExecUrl(platformUrl);
  if (known.url) return { url: known.url, platformUrl, problem: null };
  return { url: null, platformUrl, problem: known.kind === 'dev' ? 'dev' : 'unknown' };
}

export function webhookUrl(ctx: AppContext): string | null {
  const base = webAppEndpoint(ctx).url;
  if (!base) return null;
  return `${base}?token=${ensureWebhookSecret(ctx)}`;
}

function newSecret(ctx: AppContext): string {
  return `${ctx.ports.uuid()}${ctx.ports.uuid()}`.replace(/-/g, '');
}

export function ensureWebhookSecret(ctx: AppContext): string {
  const existing = ctx.store.webhookSecret();
  if (existing) return existing;
  const secret = newSecret(ctx);
  ctx.store.setWebhookSecret(secret);
  return secret;
}

export function regenerateWebhookSecret(ctx: AppContext): SettingsView {
  ctx.store.setWebhookSecret(newSecret(ctx));
  // A settings change like any other: logged, never the secret itself.
  appendLog(ctx, [
    { sheet: '', row: '', customer: '', amount: '', action: ctx.say('log.settingsChanged'), outcome: '', details: ctx.say('log.webhookSecretNew') },
  ]);
  return settingsView(ctx);
}

/** Validates with the same schema as the sidebar; on error nothing is stored. */
export function saveSettings(ctx: AppContext, input: unknown): SaveResult {
  const parsed = settingsInputSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'settings');
      errors[field] ??= issue.message;
    }
    return { ok: false, settings: settingsView(ctx), errors };
  }
  const values = parsed.data;
  const previousScope = ctx.settings.keyScope;
  const next = {
    environment: values.environment ?? ctx.settings.environment,
    keyScope: values.keyScope ?? ctx.settings.keyScope,
    defaultExpiryDays: values.defaultExpiryDays ?? ctx.settings.defaultExpiryDays,
    requestsPerMinute: values.requestsPerMinute ?? ctx.settings.requestsPerMinute,
    language: values.language ?? ctx.settings.language,
    autoRefresh: values.autoRefresh ?? ctx.settings.autoRefresh,
    webAppUrl: values.webAppUrl ?? ctx.settings.webAppUrl,
    confirmInSandbox: values.confirmInSandbox ?? ctx.settings.confirmInSandbox,
    titleTemplate: values.titleTemplate ?? ctx.settings.titleTemplate,
    billFormResponses: values.billFormResponses ?? ctx.settings.billFormResponses,
    emailFormResponses: values.emailFormResponses ?? ctx.settings.emailFormResponses,
    formAmount: values.formAmount ?? ctx.settings.formAmount,
  };
  ctx.store.saveSettings(next);
  const existingKey = ctx.store.apiKey(previousScope);
  const existingRecord = keyRecord(ctx, previousScope);
  let keyChange: 'saved' | 'removed' | 'moved' | null = null;
  if (values.removeApiKey) {
    ctx.store.setApiKey(next.keyScope, null);
    if (existingKey) keyChange = 'removed';
  } else if (values.apiKey && values.apiKey !== existingKey) {
    ctx.store.setApiKey(next.keyScope, values.apiKey);
    recordKeySaved(ctx, values.apiKey, next.keyScope);
    keyChange = 'saved';
  } else if (existingKey && next.keyScope !== previousScope) {
    ctx.store.setApiKey(next.keyScope, existingKey);
    recordKeySaved(ctx, existingKey, next.keyScope, existingRecord);
    keyChange = 'moved';
  }
  logSettingsChange(ctx, next, keyChange, ctx.store.apiKey(next.keyScope));
  // The settings are saved either way; a trigger Google refuses only costs the hourly refresh.
  const triggerOk = syncHourlyTrigger(ctx, { autoRefresh: next.autoRefresh });
  if (!triggerOk) ctx.ports.ui.toast(ctx.say('toast.settingsNoTrigger'), ctx.say('app.title'), 10);
  // The form trigger only when the setting changes: it belongs to whoever turns it on.
  if (values.billFormResponses !== undefined && !syncFormTrigger(ctx, next.billFormResponses))
    ctx.ports.ui.toast(ctx.say('form.noTrigger'), ctx.say('app.title'), 10);
  const fresh = createContext(ctx.ports, ctx.kinds);
  return { ok: true, settings: settingsView(fresh), errors: {} };
}

/** One authenticated read (the newest payment) with the given or stored key. */
export function testConnection(ctx: AppContext, input: { apiKey?: string; environment?: Environment } | undefined): ConnectionResult {
  const environment = input?.environment ?? ctx.settings.environment;
  const apiKey = normalizeApiKey(input?.apiKey ?? '') || ctx.store.apiKey(ctx.settings.keyScope);
  if (!apiKey) return { ok: false, message: ctx.say('connection.noKey') };
  if (environment === 'sandbox') {
    // Mayar's docs name two sandbox hosts: the one that accepts the key is found and remembered.
    const probe = findSandboxHost(ctx, ctx.ports.http, apiKey);
    if (probe.kind === 'found') return { ok: true, message: ctx.say('connection.okHost', { host: probe.host }) };
    if (probe.kind === 'rejected') return { ok: false, message: ctx.say('connection.noHost') };
    return { ok: false, message: ctx.say(probe.answered ? 'connection.failed' : 'connection.network', { details: probe.details }) };
  }
  const call = callOnce(ctx, listRequest(environment, apiKey, 1), classifyList, true);
  if (call.kind !== 'reply') return { ok: false, message: ctx.say('connection.network', { details: call.kind === 'network' ? call.details : '' }) };
  const result = call.result;
  if (result.ok) return { ok: true, message: ctx.say('connection.ok', { environment }) };
  if (result.failure.kind === 'unauthorized') return { ok: false, message: ctx.say('connection.unauthorized', { environment }) };
  return { ok: false, message: ctx.say('connection.failed', { details: describeFailure(result.failure) }) };
}

/**
 * Mayar → Diagnostics: checks each thing a real spreadsheet can get wrong once, and says what
 * it found. Every check runs on its own, so one that throws (a missing scope, a platform
 * hiccup) is reported without hiding the others.
 */
import { describeFailure } from '../core/failure-text';
import { effectiveRate, WINDOW_MS } from '../core/limiter';
import { classifyList } from '../core/mayar';
import { listRequest } from '../core/mayar-requests';
import type { MessageKey } from '../core/messages';
import { apiKeyWarning } from '../core/settings';
import type { AppContext } from './context';
import { callOnce } from './pacing';
import { knownSandboxHost } from './account';
import type { PlatformProbe } from './ports';
import { continuationHandler, hourlyNeeded } from './schedule';
import { webAppEndpoint } from './settings-app';
import { HOURLY_HANDLER } from './trigger-handlers';

export type DiagnosticLevel = 'ok' | 'warn' | 'fail';

export interface DiagnosticLine {
  check: 'scopes' | 'installation' | 'triggers' | 'lock' | 'webApp' | 'key' | 'usage';
  level: DiagnosticLevel;
  text: string;
}

export interface DiagnosticsReport {
  lines: DiagnosticLine[];
  /** The whole report as plain text, one line per check. */
  text: string;
}

/** The scopes the manifest asks for, from src/appsscript.json's oauthScopes, by their short names. */
const SCOPE_PREFIX = 'https://www.googleapis.com/auth/';
const shortScope = (scope: string): string => (scope.startsWith(SCOPE_PREFIX) ? scope.slice(SCOPE_PREFIX.length) : scope);

const LABELS: Record<DiagnosticLine['check'], MessageKey> = {
  scopes: 'diag.scopes',
  installation: 'diag.installation',
  triggers: 'diag.triggers',
  lock: 'diag.lock',
  webApp: 'diag.webApp',
  key: 'diag.key',
  usage: 'diag.usage',
};

const LEVELS: Record<DiagnosticLevel, MessageKey> = { ok: 'diag.ok', warn: 'diag.warn', fail: 'diag.fail' };

type Finding = { level: DiagnosticLevel; text: string };

function checkScopes(ctx: AppContext, probe: PlatformProbe, wanted: readonly string[]): Finding {
  const { required, scopes } = probe.authorization();
  const missing = wanted.filter((scope) => !scopes.includes(scope));
  if (required || missing.length > 0) {
    return { level: 'fail', text: ctx.say('diag.scopesMissing', { missing: missing.length > 0 ? missing.map(shortScope).join(', ') : '?' }) };
  }
  return { level: 'ok', text: ctx.say('diag.scopesGranted', { scopes: scopes.map(shortScope).join(', ') }) };
}

function checkInstallation(ctx: AppContext, probe: PlatformProbe): Finding {
  const source = probe.installationSource();
  return { level: 'ok', text: source === 'NONE' ? ctx.say('diag.bound') : ctx.say('diag.addon', { source }) };
}

function checkTriggers(ctx: AppContext, probe: PlatformProbe): Finding {
  const handlers = probe.documentTriggers();
  const counts = new Map<string, number>();
  for (const handler of handlers) counts.set(handler, (counts.get(handler) ?? 0) + 1);
  const list = counts.size === 0 ? ctx.say('diag.triggersNone') : [...counts].map(([handler, n]) => `${handler} ×${n}`).join(', ');
  const problems: string[] = [];
  const stored = ctx.store.job();
  const continuation = continuationHandler(ctx);
  if (stored.ok && stored.job?.state === 'running' && !counts.has(continuation)) problems.push(ctx.say('diag.noContinuation', { handler: continuation }));
  if (hourlyNeeded(ctx, { run: false }) && !counts.has(HOURLY_HANDLER)) problems.push(ctx.say('diag.noHourly', { handler: HOURLY_HANDLER }));
  return { level: problems.length > 0 ? 'warn' : 'ok', text: [list, ...problems].join('; ') };
}

function checkLock(ctx: AppContext, probe: PlatformProbe): Finding {
  const documentLock = probe.documentLockFree();
  const scriptLock = probe.scriptLockFree();
  const parts = [
    documentLock === null ? ctx.say('diag.lockNoDocument') : ctx.say(documentLock ? 'diag.lockFree' : 'diag.lockBusy'),
    ctx.say(scriptLock ? 'diag.scriptLockFree' : 'diag.scriptLockBusy'),
  ];
  const level: DiagnosticLevel = documentLock === null ? 'fail' : documentLock && scriptLock ? 'ok' : 'warn';
  return { level, text: parts.join('; ') };
}

function checkWebApp(ctx: AppContext): Finding {
  const endpoint = webAppEndpoint(ctx);
  if (endpoint.url) return { level: 'ok', text: ctx.say('diag.webAppExec', { url: endpoint.url }) };
  if (endpoint.problem === 'dev') return { level: 'warn', text: ctx.say('diag.webAppDev', { url: endpoint.platformUrl ?? '' }) };
  return { level: 'warn', text: ctx.say('diag.webAppNone') };
}

/** In sandbox, which of Mayar's two sandbox hosts accepts the key (found by the read itself when not known). */
function hostText(ctx: AppContext, apiKey: string): string {
  if (ctx.settings.environment !== 'sandbox') return '';
  const host = knownSandboxHost(ctx, apiKey);
  return `, ${host ? ctx.say('diag.sandboxHost', { host }) : ctx.say('diag.sandboxHostUnknown')}`;
}

/** One authenticated read, through the document's rate limiter: never a call a run is counting on. */
function checkKey(ctx: AppContext): Finding {
  const environment = ctx.settings.environment;
  const apiKey = ctx.store.apiKey(ctx.settings.keyScope);
  if (!apiKey) return { level: 'fail', text: ctx.say('diag.noKey', { environment }) };
  const odd = apiKeyWarning(apiKey) ? ` (${ctx.say('diag.keyOdd')})` : '';
  const call = callOnce(ctx, listRequest(environment, apiKey, 1), classifyList);
  if (call.kind === 'busy') return { level: 'warn', text: ctx.say('diag.keyBusy') + odd };
  if (call.kind === 'network') return { level: 'fail', text: ctx.say('connection.network', { details: call.details }) + odd };
  const result = call.result;
  if (result.ok) return { level: odd ? 'warn' : 'ok', text: ctx.say('diag.keyOk', { environment }) + hostText(ctx, apiKey) + odd };
  if (result.failure.kind === 'unauthorized') return { level: 'fail', text: ctx.say('diag.keyRejected', { environment }) + odd };
  return { level: 'fail', text: ctx.say('diag.keyFailed', { details: describeFailure(result.failure) }) + odd };
}

/**
 * What the add-on itself can know about use. Google keeps the day's UrlFetch count and
 * trigger runtime to itself, so the report says where to look instead of guessing.
 */
function checkUsage(ctx: AppContext): Finding {
  const now = ctx.ports.clock.now();
  const limiter = ctx.store.limiter();
  const calls = limiter.sent.filter((t) => t > now - WINDOW_MS).length;
  const pace = effectiveRate(limiter, ctx.settings.requestsPerMinute, now);
  const parts = [ctx.say('diag.usageCalls', { calls, pace, rate: ctx.settings.requestsPerMinute })];
  const stored = ctx.store.job();
  if (!stored.ok) parts.push(stored.reason);
  else if (!stored.job) parts.push(ctx.say('diag.jobNone'));
  else {
    const { job } = stored;
    parts.push(
      ctx.say('diag.job', { kind: job.kind, sheet: job.sheetName, state: job.state, user: job.startedBy, pending: job.rows.length, total: job.total }),
    );
  }
  parts.push(ctx.say('diag.usageNote'));
  return { level: 'ok', text: parts.join('; ') };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs every check (the key check makes one Mayar call) and returns the report. */
export function runDiagnostics(ctx: AppContext, probe: PlatformProbe, wantedScopes: readonly string[]): DiagnosticsReport {
  const checks: [DiagnosticLine['check'], () => Finding][] = [
    ['scopes', () => checkScopes(ctx, probe, wantedScopes)],
    ['installation', () => checkInstallation(ctx, probe)],
    ['triggers', () => checkTriggers(ctx, probe)],
    ['lock', () => checkLock(ctx, probe)],
    ['webApp', () => checkWebApp(ctx)],
    ['key', () => checkKey(ctx)],
    ['usage', () => checkUsage(ctx)],
  ];
  const lines: DiagnosticLine[] = checks.map(([check, run]) => {
    try {
      return { check, ...run() };
    } catch (error) {
      return { check, level: 'fail', text: ctx.say('diag.failedCheck', { error: errorText(error) }) };
    }
  });
  const text = lines.map((line) => `[${ctx.say(LEVELS[line.level])}] ${ctx.say(LABELS[line.check])}: ${line.text}`).join('\n');
  return { lines, text };
}

/** Mayar → Diagnostics: the report in a dialog (plain text, so nothing in it is ever markup). */
export function showDiagnostics(ctx: AppContext, probe: PlatformProbe, wantedScopes: readonly string[]): DiagnosticsReport {
  const report = runDiagnostics(ctx, probe, wantedScopes);
  ctx.ports.ui.alert(ctx.say('diag.title'), report.text);
  return report;
}

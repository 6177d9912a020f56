/**
 * The Mayar account links go to, as the add-on remembers it: who saved the key and when (kept
 * with the key, in the same properties), the last change to the key, its scope or the
 * environment (document properties), the sandbox host that accepts the key, and the domain of
 * the last link made with it. Never the key itself.
 */
import {
  type AccountChange,
  daysAgo,
  isSandboxRequest,
  type KeyRecord,
  keyTag,
  linkDomain,
  onSandboxHost,
  parseAccountChange,
  parseKeyRecord,
  requestKey,
  SANDBOX_HOSTS,
  type SandboxHost,
} from '../core/account';
import { MINUTE_MS, wallClock } from '../core/dates';
import { describeFailure } from '../core/failure-text';
import { classifyChannels } from '../core/mayar';
import { channelsRequest } from '../core/mayar-requests';
import { keyHint, type KeyScope } from '../core/settings';
import type { AppContext } from './context';
import { reserveCalls } from './pacing';
import type { BatchReply, HttpPort, HttpRequestSpec, KeyValueStore } from './ports';

const KEY_RECORD = 'mayar.keyInfo';
const ACCOUNT_CHANGE = 'mayar.accountChange';

function storeOf(ctx: AppContext, scope: KeyScope): KeyValueStore {
  return scope === 'user' ? ctx.ports.userStore : ctx.ports.documentStore;
}

/** What is known about the key of this scope, when it is the key stored there now. */
export function keyRecord(ctx: AppContext, scope: KeyScope = ctx.settings.keyScope): KeyRecord | null {
  const apiKey = ctx.store.apiKey(scope);
  if (!apiKey) return null;
  const found = parseKeyRecord(storeOf(ctx, scope).get(KEY_RECORD));
  return found && found.tag === keyTag(apiKey) ? found : null;
}

/** After a key is saved (or moved to another scope): who, when, where; the other scope's record goes. */
export function recordKeySaved(ctx: AppContext, apiKey: string, scope: KeyScope, keepFrom?: KeyRecord | null): void {
  const saved: KeyRecord = {
    ...(keepFrom && keepFrom.tag === keyTag(apiKey) ? keepFrom : {}),
    tag: keyTag(apiKey),
    hint: keyHint(apiKey),
    scope,
    by: ctx.user,
    byKey: ctx.userKey,
    at: ctx.ports.clock.now(),
  };
  storeOf(ctx, scope).setMany({ [KEY_RECORD]: JSON.stringify(saved) });
  storeOf(ctx, scope === 'user' ? 'document' : 'user').setMany({ [KEY_RECORD]: null });
}

function updateKeyRecord(ctx: AppContext, apiKey: string, change: (current: KeyRecord) => KeyRecord | null): void {
  const scope = ctx.settings.keyScope;
  if (ctx.store.apiKey(scope) !== apiKey) return;
  const current = keyRecord(ctx, scope) ?? { tag: keyTag(apiKey), hint: keyHint(apiKey), scope, by: '', byKey: '', at: 0 };
  const next = change(current);
  if (next) storeOf(ctx, scope).setMany({ [KEY_RECORD]: JSON.stringify(next) });
}

export function accountChange(ctx: AppContext): AccountChange | null {
  return parseAccountChange(ctx.ports.documentStore.get(ACCOUNT_CHANGE));
}

/** Records who changed the key, its scope or the environment (what a teammate is warned about). */
export function recordAccountChange(ctx: AppContext, what: string[], hint: string | null): void {
  const change: AccountChange = { by: ctx.user, byKey: ctx.userKey, at: ctx.ports.clock.now(), what, ...(hint ? { hint } : {}) };
  ctx.ports.documentStore.setMany({ [ACCOUNT_CHANGE]: JSON.stringify(change) });
}

/** The sandbox host remembered for this key, or null when not yet found. */
export function knownSandboxHost(ctx: AppContext, apiKey: string): SandboxHost | null {
  const found = keyRecord(ctx);
  return found && found.tag === keyTag(apiKey) ? (found.sandboxHost ?? null) : null;
}

/** After a link was made: its domain is remembered with the key (written only when it changes). */
export function noteLinkDomain(ctx: AppContext, apiKey: string, link: string): void {
  const domain = linkDomain(link);
  if (!domain) return;
  const found = keyRecord(ctx);
  if (found?.linkDomain === domain) return;
  updateKeyRecord(ctx, apiKey, (current) => ({ ...current, linkDomain: domain }));
}

/** `answered`: Mayar replied with an error (else the request did not get a reply). */
export type HostProbe = { kind: 'found'; host: SandboxHost } | { kind: 'rejected' } | { kind: 'failed'; details: string; answered: boolean };

/**
 * Which sandbox host accepts the key: one authenticated read (the channel list) per host, in
 * SANDBOX_HOSTS order, until one does not answer 401. A host found is remembered with the key.
 */
export function findSandboxHost(ctx: AppContext, port: HttpPort, apiKey: string): HostProbe {
  const http = 'direct' in port ? (port as RoutedHttp).direct : port;
  // The host found before is asked first: one read when nothing changed.
  const known = knownSandboxHost(ctx, apiKey);
  const order = known ? [known, ...SANDBOX_HOSTS.filter((h) => h !== known)] : [...SANDBOX_HOSTS];
  for (const host of order) {
    reserveCalls(ctx, 1, true);
    const batch = http.fetchAll([onSandboxHost(channelsRequest('sandbox', apiKey), host)]);
    const reply = batch.ok ? batch.replies[0] : undefined;
    if (!batch.ok || !reply) return { kind: 'failed', details: batch.ok ? ctx.say('http.noReply') : batch.error, answered: false };
    const read = classifyChannels(reply);
    if (!read.ok && read.failure.kind === 'unauthorized') continue;
    if (!read.ok) return { kind: 'failed', details: describeFailure(read.failure), answered: true };
    if (host !== known) updateKeyRecord(ctx, apiKey, (current) => ({ ...current, sandboxHost: host, hostAt: ctx.ports.clock.now() }));
    return { kind: 'found', host };
  }
  return { kind: 'rejected' };
}

/**
 * The HTTP port as the rest of the add-on uses it: sandbox requests go to the host that
 * accepts the key, found on the first sandbox call when not known yet.
 */
export interface RoutedHttp extends HttpPort {
  /** The port underneath, for a context made from this one's ports. */
  readonly direct: HttpPort;
}

export function sandboxRouted(ctx: AppContext, port: HttpPort): RoutedHttp {
  const http = 'direct' in port ? (port as RoutedHttp).direct : port;
  // Looked up once per key and execution: a run's many batches read no property for it.
  const hosts = new Map<string, SandboxHost>();
  return {
    direct: http,
    fetchAll(requests: HttpRequestSpec[]): BatchReply {
      const first = requests.find(isSandboxRequest);
      if (!first) return http.fetchAll(requests);
      const apiKey = requestKey(first);
      let host = hosts.get(apiKey) ?? knownSandboxHost(ctx, apiKey);
      if (!host) {
        const probe = findSandboxHost(ctx, http, apiKey);
        // A key neither host accepts goes where it always did (its 401 says what is wrong), and
        // is not probed again in this execution; a probe without a reply is tried next call.
        if (probe.kind !== 'failed') host = probe.kind === 'found' ? probe.host : SANDBOX_HOSTS[0];
      }
      if (host) hosts.set(apiKey, host);
      const chosen = host ?? SANDBOX_HOSTS[0];
      return http.fetchAll(requests.map((r) => (isSandboxRequest(r) ? onSandboxHost(r, chosen) : r)));
    },
  };
}

/** "2026-11-24 10:05" in the spreadsheet's zone, with "today" or "yesterday" when it is. */
export function whenText(ctx: AppContext, at: number): string {
  const zone = ctx.ports.spreadsheet.zone();
  const instant = new Date(at);
  const wall = wallClock(instant, zone).toISOString();
  const stamp = `${wall.slice(0, 10)} ${wall.slice(11, 16)}`;
  const days = daysAgo(at, ctx.ports.clock.now(), zone.offsetMinutes(instant) * MINUTE_MS);
  if (days === 0) return ctx.say('account.today', { time: stamp });
  if (days === 1) return ctx.say('account.yesterday', { time: stamp });
  return ctx.say('account.daysAgo', { time: stamp, days });
}

/** The same person: by user key, or by email when both have one; unknown counts as someone else. */
function samePerson(ctx: AppContext, by: string, byKey: string): boolean {
  if (byKey && ctx.userKey) return byKey === ctx.userKey;
  return by !== '' && by === ctx.user;
}

function who(ctx: AppContext, by: string): string {
  return by || ctx.say('account.someone');
}

/**
 * For the confirmation: `first` says what someone else changed (the key, its scope, the
 * environment), `account` names where the links will go.
 */
export function accountLines(ctx: AppContext): { first: string[]; account: string } {
  const scope = ctx.settings.keyScope;
  const apiKey = ctx.store.apiKey(scope);
  const found = keyRecord(ctx, scope);
  const first: string[] = [];
  const scopeName = ctx.say(scope === 'document' ? 'account.scopeShared' : 'account.scopeUser');
  const hint = apiKey ? keyHint(apiKey) : '';
  if (found && (found.by !== '' || found.byKey !== '') && !samePerson(ctx, found.by, found.byKey)) {
    first.push(ctx.say('account.keyByOther', { hint, by: who(ctx, found.by), when: whenText(ctx, found.at) }));
  }
  const change = accountChange(ctx);
  if (change && !samePerson(ctx, change.by, change.byKey)) {
    const what = change.what.filter((w) => w !== 'key' || first.length === 0);
    if (what.length > 0) {
      const names = what.map((w) => ctx.say(w === 'environment' ? 'account.whatEnvironment' : w === 'keyScope' ? 'account.whatScope' : 'account.whatKey'));
      first.push(ctx.say('account.changedByOther', { what: names.join(', '), by: who(ctx, change.by), when: whenText(ctx, change.at) }));
    }
  }
  const environment = ctx.settings.environment === 'sandbox' && found?.sandboxHost ? `sandbox (${found.sandboxHost})` : ctx.settings.environment;
  const saved = found && found.at > 0 ? ctx.say('account.savedBy', { by: who(ctx, found.by), when: whenText(ctx, found.at) }) : ctx.say('account.savedUnknown');
  const links = found?.linkDomain ? ctx.say('account.links', { domain: found.linkDomain }) : ctx.say('account.noLinkYet');
  const account = ctx.say('account.line', { hint, scope: scopeName, saved, environment, links });
  return { first, account };
}

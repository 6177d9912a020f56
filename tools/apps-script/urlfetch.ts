/**
 * UrlFetchApp over an HttpHandler. fetch() costs the server's latency plus overhead; fetchAll()
 * sends every request (they run in parallel: cost is the slowest one) and only then decides
 * whether the batch throws, so a failing batch may still have been processed by the server.
 */
import type { Exec, RuntimeStats } from './execution';
import type { HttpHandler, HttpOutcome, HttpRequest } from './http-types';
import { BlobFake } from './utilities';

const USER_AGENT = 'Mozilla/5.0 (compatible; Google-Apps-Script; beanserver; +https://script.google.com; id: UAEmdDd-MayarSheetsFake)';
const MAX_URL_LENGTH = 2082;
const MAX_REDIRECTS = 10;

export interface UrlFetchEnv {
  exec: Exec;
  http: HttpHandler;
  stats: RuntimeStats;
  /** Counts requests against the daily UrlFetch quota; throws when it is used up. */
  quota: (requests: number) => void;
  /** The manifest's urlFetchWhitelist, or null when it has none (every URL allowed). */
  allowlist: readonly string[] | null;
}

/**
 * Prefix match, a leading `*.` standing for any subdomain
 * (https://developers.google.com/apps-script/manifest/allowlist-url).
 */
export function allowlisted(url: string, allowlist: readonly string[] | null): boolean {
  if (allowlist === null) return true;
  return allowlist.some((prefix) => {
    const wild = /^https:\/\/\*\.(.*)$/.exec(prefix);
    if (!wild) return url.startsWith(prefix);
    const rest = wild[1] ?? '';
    const m = /^https:\/\/([^/]+)(\/.*)?$/.exec(url);
    if (!m) return false;
    const host = m[1] ?? '';
    const slash = rest.indexOf('/');
    const domain = slash < 0 ? rest : rest.slice(0, slash);
    const path = slash < 0 ? '/' : rest.slice(slash);
    return host.endsWith(`.${domain}`) && (m[2] ?? '/').startsWith(path);
  });
}

// What Apps Script answers for a URL the manifest does not allow, as projects report it, e.g.
// https://github.com/diegomanuel/binance-to-google-sheets/issues/82
export function notAllowlistedMessage(url: string): string {
  return `Request to ${url} failed because the URL has not been whitelisted in the script manifest.`;
}

/** Refuses the batch before anything is sent when one URL is not allowlisted. */
function checkAllowlist(env: UrlFetchEnv, prepared: readonly Prepared[]): void {
  for (const p of prepared) if (!allowlisted(p.url, env.allowlist)) throw env.exec.error(notAllowlistedMessage(p.url));
}

interface Prepared {
  url: string;
  request: HttpRequest;
  mute: boolean;
  follow: boolean;
}

function formEncode(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

function prepare(exec: Exec, urlInput: unknown, paramsInput: unknown): Prepared {
  if (typeof urlInput !== 'string') throw exec.signatureError('UrlFetchApp.fetch', [urlInput, paramsInput]);
  const url = urlInput;
  if (url.length > MAX_URL_LENGTH) throw exec.error('Limit Exceeded: URLFetch URL Length.');
  if (!/^https?:\/\/[^\s/?#]+/i.test(url) || /\s/.test(url)) throw exec.error(`Invalid argument: ${url}`);
  const params = (paramsInput ?? {}) as Record<string, unknown>;
  if (typeof params !== 'object') throw exec.signatureError('UrlFetchApp.fetch', [urlInput, paramsInput]);
  const method = String(params.method ?? 'get').toUpperCase();
  const headers: Record<string, string> = {};
  if (params.headers && typeof params.headers === 'object') for (const [k, v] of Object.entries(params.headers)) headers[k] = String(v);
  let body: string | undefined;
  const payload = params.payload;
  if (payload !== undefined && payload !== null) {
    if (typeof payload === 'string') body = payload;
    else if (payload instanceof BlobFake) body = payload.getDataAsString();
    else if (typeof payload === 'object' && !Array.isArray(payload)) body = formEncode(payload as Record<string, unknown>);
    else body = String(payload);
  }
  const hasContentTypeHeader = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  if (typeof params.contentType === 'string') {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-type') delete headers[k];
    headers['Content-Type'] = params.contentType;
  } else if (body !== undefined && !hasContentTypeHeader) {
    // UrlFetchApp's documented default content type for a payload.
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'user-agent')) headers['User-Agent'] = USER_AGENT;
  const request: HttpRequest = { url, method, headers, ...(body !== undefined ? { body } : {}) };
  return { url, request, mute: params.muteHttpExceptions === true, follow: params.followRedirects !== false };
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** Sends a request, following redirects like UrlFetchApp; latency adds up over the hops. */
function send(env: UrlFetchEnv, prepared: Prepared): HttpOutcome {
  let request = prepared.request;
  let totalLatency = 0;
  for (let hop = 0; ; hop++) {
    env.exec.fetchRequests++;
    env.stats.urlFetchRequests++;
    const outcome = env.http(request);
    totalLatency += outcome.latencyMs;
    if (outcome.kind !== 'response' || !prepared.follow || hop >= MAX_REDIRECTS) return { ...outcome, latencyMs: totalLatency };
    const location = header(outcome.headers, 'location');
    if (![301, 302, 303, 307, 308].includes(outcome.status) || location === undefined) return { ...outcome, latencyMs: totalLatency };
    const keepMethod = outcome.status === 307 || outcome.status === 308;
    const next = new URL(location, request.url).toString();
    request = keepMethod ? { ...request, url: next } : { url: next, method: 'GET', headers: { ...request.headers } };
  }
}

export class HttpResponseFake {
  readonly #status: number;
  readonly #headers: Record<string, string>;
  readonly #body: string;
  readonly #exec: Exec;

  constructor(exec: Exec, status: number, headers: Record<string, string>, body: string) {
    this.#exec = exec;
    this.#status = status;
    this.#headers = headers;
    this.#body = body;
  }

  getResponseCode(): number {
    return this.#status;
  }

  getContentText(_charset?: unknown): string {
    return this.#body;
  }

  getHeaders(): Record<string, string> {
    return this.#exec.toGuest({ ...this.#headers }) as Record<string, string>;
  }

  getAllHeaders(): Record<string, string> {
    return this.#exec.toGuest({ ...this.#headers }) as Record<string, string>;
  }

  getBlob(): BlobFake {
    return new BlobFake(this.#exec, Buffer.from(this.#body, 'utf8'), header(this.#headers, 'content-type') ?? null, null);
  }

  getAs(_contentType: unknown): BlobFake {
    return this.getBlob();
  }

  getContent(): number[] {
    return this.getBlob().getBytes();
  }
}

/** The error fetch() throws for an outcome, or null when it returns a response. */
function failure(exec: Exec, prepared: Prepared, outcome: HttpOutcome): Error | null {
  if (outcome.kind === 'network-error') return exec.error(outcome.message);
  if (outcome.status >= 400 && !prepared.mute)
    return exec.error(
      `Request failed for ${prepared.url} returned code ${outcome.status}. Truncated server response: ${outcome.body.slice(0, 100)} (use muteHttpExceptions option to examine full response)`,
    );
  return null;
}

export class UrlFetchAppFake {
  readonly #env: UrlFetchEnv;

  constructor(env: UrlFetchEnv) {
    this.#env = env;
  }

  fetch(url: unknown, params?: unknown): HttpResponseFake {
    const { exec, stats } = this.#env;
    const prepared = prepare(exec, url, params);
    const outcome = exec.call(
      'UrlFetchApp.fetch',
      (o: HttpOutcome) => o.latencyMs + exec.costs.fetchOverheadMs,
      () => {
        checkAllowlist(this.#env, [prepared]);
        this.#env.quota(1);
        stats.urlFetchCalls++;
        return send(this.#env, prepared);
      },
    );
    const error = failure(exec, prepared, outcome);
    if (error) throw error;
    if (outcome.kind !== 'response') throw exec.error('unreachable');
    return new HttpResponseFake(exec, outcome.status, outcome.headers, outcome.body);
  }

  fetchAll(requests: unknown): HttpResponseFake[] {
    const { exec, stats } = this.#env;
    if (!Array.isArray(requests)) throw exec.signatureError('UrlFetchApp.fetchAll', [requests]);
    const prepared = (requests as unknown[]).map((r) => {
      if (typeof r === 'string') return prepare(exec, r, undefined);
      if (r !== null && typeof r === 'object' && 'url' in r) return prepare(exec, (r as { url: unknown }).url, r);
      throw exec.signatureError('UrlFetchApp.fetchAll', [requests]);
    });
    const outcomes = exec.call(
      'UrlFetchApp.fetchAll',
      (list: HttpOutcome[]) => Math.max(0, ...list.map((o) => o.latencyMs)) + exec.costs.fetchAllOverheadMs,
      () => {
        checkAllowlist(this.#env, prepared);
        this.#env.quota(prepared.length);
        stats.urlFetchCalls++;
        return prepared.map((p) => send(this.#env, p));
      },
    );
    // Every request has been processed by now; one failure still fails the whole batch.
    for (let i = 0; i < outcomes.length; i++) {
      const error = failure(exec, prepared[i] as Prepared, outcomes[i] as HttpOutcome);
      if (error) throw error;
    }
    return exec.guestArray(
      outcomes.map((o) => {
        if (o.kind !== 'response') throw exec.error('unreachable');
        return new HttpResponseFake(exec, o.status, o.headers, o.body);
      }),
    );
  }

  getRequest(url: unknown, params?: unknown): Record<string, unknown> {
    const { exec } = this.#env;
    return exec.call('UrlFetchApp.getRequest', 0, () => {
      const { request } = prepare(exec, url, params);
      return exec.toGuest({ url: request.url, method: request.method.toLowerCase(), headers: request.headers, payload: request.body ?? '' }) as Record<
        string,
        unknown
      >;
    });
  }
}

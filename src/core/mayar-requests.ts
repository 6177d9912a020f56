/**
 * Requests to Mayar's Headless API v2, as the HTTP port sends them. Pure: nothing here talks
 * to the network.
 */
import type { HttpRequestSpec } from './http';
import { API_BASE, type Environment } from './settings';
import type { PaymentRequest } from './types';

/** Mayar's page sizes: default 10, at most 50 (payments list and webhook history). */
export const MAX_PAGE_SIZE = 50;

function headers(apiKey: string): Record<string, string> {
  return { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' };
}

export function get(env: Environment, apiKey: string, path: string, query: Record<string, string | number | undefined> = {}): HttpRequestSpec {
  const pairs = Object.entries(query).filter((pair): pair is [string, string | number] => pair[1] !== undefined && pair[1] !== '');
  const search = pairs.map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`).join('&');
  return { url: `${API_BASE[env]}${path}${search ? `?${search}` : ''}`, method: 'get', headers: headers(apiKey) };
}

export function post(env: Environment, apiKey: string, path: string, body: unknown): HttpRequestSpec {
  return {
    url: `${API_BASE[env]}${path}`,
    method: 'post',
    headers: { ...headers(apiKey), 'Content-Type': 'application/json' },
    payload: JSON.stringify(body),
  };
}

function pageSize(limit: number | undefined): number | undefined {
  if (limit === undefined || !Number.isFinite(limit)) return undefined;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}

export function createRequest(env: Environment, apiKey: string, body: PaymentRequest): HttpRequestSpec {
  return post(env, apiKey, '/payments/create', body);
}

export type ListStatus = 'unpaid' | 'paid' | 'closed';

export interface ListQuery {
  status?: ListStatus;
  /** 1 to 50; Mayar's default is 10. */
  limit?: number;
  /** The previous page's nextStartingAfter. */
  startingAfter?: string;
}

/** GET /payments, newest first. The positional form (limit, startingAfter) is kept for callers. */
export function listRequest(env: Environment, apiKey: string, query: ListQuery | number = {}, startingAfter?: string): HttpRequestSpec {
  const q: ListQuery = typeof query === 'number' ? { limit: query, ...(startingAfter ? { startingAfter } : {}) } : query;
  return get(env, apiKey, '/payments', { status: q.status, limit: pageSize(q.limit), startingAfter: q.startingAfter });
}

/** The request for the page after `page`, or null when there is none. */
export function paymentRequest(env: Environment, apiKey: string, id: string): HttpRequestSpec {
  return get(env, apiKey, `/payments/${encodeURIComponent(id)}`);
}

export function transactionRequest(env: Environment, apiKey: string, id: string): HttpRequestSpec {
  return get(env, apiKey, `/transactions/${encodeURIComponent(id)}`);
}

export function closeRequest(env: Environment, apiKey: string, id: string): HttpRequestSpec {
  return post(env, apiKey, `/payments/${encodeURIComponent(id)}/close`, {});
}

/** A v2 cursor list's query: `startingAfter` is the previous reply's nextStartingAfter; times in ms. */
export interface CursorQuery {
  limit?: number;
  startingAfter?: string;
  startAt?: number;
  endAt?: number;
}

/** Newest deliveries first, up to 50 a read, paged by the cursor (v2 ignores v1's `page`). */
export function webhookHistoryRequest(env: Environment, apiKey: string, query: CursorQuery & { type?: string } = {}): HttpRequestSpec {
  return get(env, apiKey, '/webhooks/history', {
    limit: pageSize(query.limit),
    type: query.type,
    startAt: query.startAt,
    endAt: query.endAt,
    startingAfter: query.startingAfter,
  });
}

/** GET /transactions: paid transactions, newest first, up to 50 a read, paged by the cursor. */
export function paidTransactionsRequest(env: Environment, apiKey: string, query: CursorQuery & { paymentLinkId?: string } = {}): HttpRequestSpec {
  return get(env, apiKey, '/transactions', {
    limit: pageSize(query.limit),
    paymentLinkId: query.paymentLinkId,
    startAt: query.startAt,
    endAt: query.endAt,
    startingAfter: query.startingAfter,
  });
}

/** Replaces the account's one webhook URL. */
export function channelsRequest(env: Environment, apiKey: string): HttpRequestSpec {
  return get(env, apiKey, '/payment-channels');
}

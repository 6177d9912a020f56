import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { HttpReply } from '../../src/app/ports';
import {
  classify,
  classifyChannels,
  classifyClose,
  classifyCreate,
  classifyList,
  classifyPaidTransactions,
  classifyPayment,
  classifyTransaction,
  classifyWebhookHistory,
  matchChannel,
  paymentUrl,
} from '../../src/core/mayar';
import {
  channelsRequest,
  closeRequest,
  createRequest,
  listRequest,
  paidTransactionsRequest,
  paymentRequest,
  transactionRequest,
  webhookHistoryRequest,
} from '../../src/core/mayar-requests';
import type { PaymentRequest } from '../../src/core/types';

const KEY = 'aaa.bbb.ccc';
const SANDBOX = 'https://api.mayar.club/hl/v2';
const PRODUCTION = 'https://api.mayar.id/hl/v2';

function reply(status: number, body: unknown, headers: Record<string, string> = {}): HttpReply {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

function ok(fields: Record<string, unknown>): HttpReply {
  return reply(200, { statusCode: 200, messages: 'success', ...fields });
}

const created = { id: 'pay-1', transactionId: 'tx-1', link: 'https://shop.myr.id/pl/abc' };

describe('request builders', () => {
  const body: PaymentRequest = {
    name: 'Budi',
    amount: 150000,
    email: 'budi@example.com',
    expiredAt: '2026-12-31T16:59:59.000Z',
    extraData: { sheetRowKey: 'job.1.0' },
  };

  it('builds a create for sandbox with a Bearer key and a JSON body', () => {
    const spec = createRequest('sandbox', KEY, body);
    expect(spec).toEqual({
      url: `${SANDBOX}/payments/create`,
      method: 'post',
      headers: { Authorization: `Bearer ${KEY}`, Accept: 'application/json', 'Content-Type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expect(JSON.parse(spec.payload ?? '')).toEqual(body);
  });

  it('builds a create for production', () => {
    expect(createRequest('production', KEY, body).url).toBe(`${PRODUCTION}/payments/create`);
  });

  it('builds a list request with and without a cursor', () => {
    expect(listRequest('sandbox', KEY, 50)).toEqual({
      url: `${SANDBOX}/payments?limit=50`,
      method: 'get',
      headers: { Authorization: `Bearer ${KEY}`, Accept: 'application/json' },
    });
    expect(listRequest('production', KEY, 10, '1700000000000').url).toBe(`${PRODUCTION}/payments?limit=10&startingAfter=1700000000000`);
    expect(listRequest('sandbox', KEY, 10, 'a b&c').url).toBe(`${SANDBOX}/payments?limit=10&startingAfter=a%20b%26c`);
    expect(listRequest('sandbox', KEY, 10, '').url).toBe(`${SANDBOX}/payments?limit=10`);
  });

  it('builds a list request with a status filter, a page size within 1..50 and a cursor', () => {
    expect(listRequest('sandbox', KEY).url).toBe(`${SANDBOX}/payments`);
    expect(listRequest('sandbox', KEY, { status: 'paid', limit: 200, startingAfter: '1700000000000' }).url).toBe(
      `${SANDBOX}/payments?status=paid&limit=50&startingAfter=1700000000000`,
    );
    expect(listRequest('sandbox', KEY, { limit: 0 }).url).toBe(`${SANDBOX}/payments?limit=1`);
  });

  it('builds webhook history and channel requests', () => {
    // The v2 cursor, never v1's page.
    expect(webhookHistoryRequest('sandbox', KEY, { limit: 100, type: 'payment.received', startAt: 5, startingAfter: '1700000000000' }).url).toBe(
      `${SANDBOX}/webhooks/history?limit=50&type=payment.received&startAt=5&startingAfter=1700000000000`,
    );
    expect(paidTransactionsRequest('sandbox', KEY, { limit: 50, paymentLinkId: 'p 1', startAt: 7 }).url).toBe(
      `${SANDBOX}/transactions?limit=50&paymentLinkId=p%201&startAt=7`,
    );
    expect(webhookHistoryRequest('production', KEY).url).toBe(`${PRODUCTION}/webhooks/history`);
    expect(channelsRequest('sandbox', KEY)).toMatchObject({ url: `${SANDBOX}/payment-channels`, method: 'get' });
  });

  it('builds payment, transaction and close requests with the id encoded', () => {
    const getHeaders = { Authorization: `Bearer ${KEY}`, Accept: 'application/json' };
    expect(paymentRequest('sandbox', KEY, 'p/1')).toEqual({ url: `${SANDBOX}/payments/p%2F1`, method: 'get', headers: getHeaders });
    expect(transactionRequest('production', KEY, 'tx 1')).toEqual({ url: `${PRODUCTION}/transactions/tx%201`, method: 'get', headers: getHeaders });
    expect(closeRequest('sandbox', KEY, 'p-1')).toEqual({
      url: `${SANDBOX}/payments/p-1/close`,
      method: 'post',
      headers: { ...getHeaders, 'Content-Type': 'application/json' },
      payload: '{}',
    });
  });
});

describe('classifyCreate', () => {
  it('accepts HTTP 2xx with statusCode 200 and messages "success"', () => {
    expect(classifyCreate(ok({ data: created }))).toEqual({
      ok: true,
      data: created,
      body: { statusCode: 200, messages: 'success', data: created },
    });
    const result = classifyCreate(reply(201, { statusCode: 200, messages: 'success', data: { id: 'p', link: 'http://x.test/a' } }));
    expect(result).toMatchObject({ ok: true, data: { id: 'p', transactionId: null, link: 'http://x.test/a' } });
  });

  it('treats a transactionId of null as null', () => {
    expect(classifyCreate(ok({ data: { ...created, transactionId: null } }))).toMatchObject({ ok: true, data: { transactionId: null } });
  });

  it('rejects HTTP 200 with messages "failed" and lists the validator messages', () => {
    const result = classifyCreate(
      reply(200, {
        statusCode: 400,
        messages: 'failed',
        data: [
          { type: 'number.min', message: 'must be at least 1000', field: 'amount' },
          { type: 'string.email', message: 'is not a valid email', field: 'email' },
          { type: 'any', message: 'something is off', field: null },
          { type: 'any', message: '', field: '' },
        ],
      }),
    );
    expect(result).toEqual({
      ok: false,
      failure: { kind: 'rejected', status: 400, details: ['amount: must be at least 1000', 'email: is not a valid email', 'something is off'] },
    });
  });

  it('rejects HTTP 200 with statusCode 200 and messages "failed"', () => {
    const result = classifyCreate(reply(200, { statusCode: 200, messages: 'failed', data: [{ type: 'x', message: 'is required', field: 'name' }] }));
    expect(result).toEqual({ ok: false, failure: { kind: 'rejected', status: 200, details: ['name: is required'] } });
  });

  it('rejects a failed reply without details with its message', () => {
    expect(classifyCreate(reply(200, { statusCode: 400, messages: 'failed' }))).toEqual({
      ok: false,
      failure: { kind: 'rejected', status: 400, details: ['failed'] },
    });
    expect(classifyCreate(reply(200, {}))).toEqual({ ok: false, failure: { kind: 'rejected', status: 200, details: ['HTTP 200'] } });
  });

  it('rejects a 400 Validation Error', () => {
    const result = classifyCreate(
      reply(400, {
        statusCode: 400,
        messages: 'Validation Error',
        data: [{ type: 'string.base', message: 'must be a string', field: 'mobile' }],
      }),
    );
    expect(result).toEqual({
      ok: false,
      failure: { kind: 'rejected', status: 400, details: ['mobile: must be a string', 'Validation Error'] },
    });
    expect(classifyCreate(reply(400, { statusCode: 400, messages: 'Invalid JSON' }))).toEqual({
      ok: false,
      failure: { kind: 'rejected', status: 400, details: ['Invalid JSON'] },
    });
  });

  it('reads "message" when "messages" is missing', () => {
    expect(classifyCreate(reply(400, { statusCode: 400, message: 'bad amount' }))).toEqual({
      ok: false,
      failure: { kind: 'rejected', status: 400, details: ['bad amount'] },
    });
  });

  it('ignores a data field that is not a validator list', () => {
    expect(classifyCreate(reply(400, { statusCode: 400, messages: 'Bad', data: { field: 'x' } }))).toEqual({
      ok: false,
      failure: { kind: 'rejected', status: 400, details: ['Bad'] },
    });
  });

  it('reports 401 and 403 as unauthorized, also when only the body says 401', () => {
    const unauthorized = { ok: false, failure: { kind: 'unauthorized' } };
    expect(classifyCreate(reply(401, { statusCode: 401, messages: 'Unauthorized' }))).toEqual(unauthorized);
    expect(classifyCreate(reply(401, '<html>Unauthorized</html>'))).toEqual(unauthorized);
    expect(classifyCreate(reply(403, { statusCode: 403, messages: 'Forbidden' }))).toEqual(unauthorized);
    expect(classifyCreate(reply(200, { statusCode: 401, messages: 'Unauthorized' }))).toEqual(unauthorized);
  });

  it('reports 409 as a conflict, with the message', () => {
    expect(classifyCreate(reply(409, { statusCode: 409, messages: 'already exist' }))).toEqual({
      ok: false,
      failure: { kind: 'conflict', details: ['already exist'] },
    });
    expect(classifyCreate(reply(200, { statusCode: 409, messages: 'already exist' }))).toEqual({
      ok: false,
      failure: { kind: 'conflict', details: ['already exist'] },
    });
  });

  it('tells the duplicate rule from the rate limit on 429', () => {
    const duplicate = reply(
      429,
      { statusCode: 429, messages: 'Duplicate request detected. Please wait 1 minute before trying again.' },
      { 'Retry-After': '60' },
    );
    expect(classifyCreate(duplicate)).toEqual({ ok: false, failure: { kind: 'duplicate' } });
    expect(classifyCreate(reply(200, { statusCode: 429, messages: 'Duplicate request detected.' }))).toEqual({ ok: false, failure: { kind: 'duplicate' } });
    expect(classifyCreate(reply(429, { statusCode: 429, messages: 'Too Many Requests' }, { 'Retry-After': '30' }))).toEqual({
      ok: false,
      failure: { kind: 'rate-limited', retryAfterMs: 30_000 },
    });
  });

  it('reads Retry-After in any case, in seconds, rounding up to whole milliseconds', () => {
    const tooMany = (headers: Record<string, string>) => classifyCreate(reply(429, { statusCode: 429, messages: 'Too Many Requests' }, headers));
    expect(tooMany({ 'retry-after': '12' })).toEqual({ ok: false, failure: { kind: 'rate-limited', retryAfterMs: 12_000 } });
    expect(tooMany({ 'RETRY-AFTER': '1.5' })).toEqual({ ok: false, failure: { kind: 'rate-limited', retryAfterMs: 1_500 } });
    expect(tooMany({ 'Retry-After': '0.0004' })).toEqual({ ok: false, failure: { kind: 'rate-limited', retryAfterMs: 1 } });
    expect(tooMany({ 'Retry-After': '0' })).toEqual({ ok: false, failure: { kind: 'rate-limited', retryAfterMs: 0 } });
    expect(tooMany({})).toEqual({ ok: false, failure: { kind: 'rate-limited', retryAfterMs: null } });
    expect(tooMany({ 'Retry-After': 'soon' })).toEqual({ ok: false, failure: { kind: 'rate-limited', retryAfterMs: null } });
    expect(tooMany({ 'Retry-After': '-5' })).toEqual({ ok: false, failure: { kind: 'rate-limited', retryAfterMs: null } });
    expect(tooMany({ 'Retry-After': '' })).toEqual({ ok: false, failure: { kind: 'rate-limited', retryAfterMs: null } });
    expect(tooMany({ 'Retry-After': '  ' })).toEqual({ ok: false, failure: { kind: 'rate-limited', retryAfterMs: null } });
  });

  it('reports a 429 with an HTML body as rate-limited', () => {
    expect(classifyCreate(reply(429, '<html><body>Too Many Requests</body></html>', { 'Retry-After': '5' }))).toEqual({
      ok: false,
      failure: { kind: 'rate-limited', retryAfterMs: 5_000 },
    });
  });

  it('reports 5xx as unavailable, with the message or the status', () => {
    expect(classifyCreate(reply(500, { statusCode: 500, messages: 'Error' }))).toEqual({
      ok: false,
      failure: { kind: 'unavailable', status: 500, details: ['Error'] },
    });
    expect(classifyCreate(reply(503, { statusCode: 503 }))).toEqual({
      ok: false,
      failure: { kind: 'unavailable', status: 503, details: ['HTTP 503'] },
    });
    // Even a body claiming success: the HTTP status says the server failed.
    expect(classifyCreate(reply(502, { statusCode: 200, messages: 'success', data: created }))).toEqual({
      ok: false,
      failure: { kind: 'unavailable', status: 502, details: ['HTTP 502'] },
    });
  });

  it('reports an HTML page as unavailable, with its text', () => {
    const page = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad   Gateway</h1></body></html>';
    expect(classifyCreate(reply(502, page))).toEqual({
      ok: false,
      failure: { kind: 'unavailable', status: 502, details: ['HTTP 502', '502 Bad Gateway Bad Gateway'] },
    });
    expect(classifyCreate(reply(200, '<html><body>Maintenance</body></html>'))).toEqual({
      ok: false,
      failure: { kind: 'unavailable', status: 200, details: ['HTTP 200', 'Maintenance'] },
    });
  });

  it('shortens a long page to 120 characters', () => {
    const result = classifyCreate(reply(500, `<p>${'x'.repeat(300)}</p>`));
    expect(result).toEqual({ ok: false, failure: { kind: 'unavailable', status: 500, details: ['HTTP 500', `${'x'.repeat(117)}...`] } });
  });

  it('reports an empty or unparseable body as unavailable', () => {
    expect(classifyCreate(reply(200, ''))).toEqual({ ok: false, failure: { kind: 'unavailable', status: 200, details: ['HTTP 200'] } });
    expect(classifyCreate(reply(200, '{"statusCode":200,"messages":"succ'))).toEqual({
      ok: false,
      failure: { kind: 'unavailable', status: 200, details: ['HTTP 200', '{"statusCode":200,"messages":"succ'] },
    });
    expect(classifyCreate(reply(200, 'null'))).toEqual({ ok: false, failure: { kind: 'unavailable', status: 200, details: ['HTTP 200', 'null'] } });
    expect(classifyCreate(reply(200, '[1,2]'))).toEqual({ ok: false, failure: { kind: 'unavailable', status: 200, details: ['HTTP 200', '[1,2]'] } });
    // statusCode as a string is not Mayar's envelope
    expect(classifyCreate(reply(200, { statusCode: '200', messages: 'success', data: created }))).toMatchObject({
      ok: false,
      failure: { kind: 'unavailable', status: 200 },
    });
  });

  it('reports a success in an unexpected shape as unavailable, not rejected', () => {
    const unexpected = { ok: false, failure: { kind: 'unavailable', status: 200, details: ['Mayar replied success in an unexpected shape'] } };
    expect(classifyCreate(ok({ data: { id: 'p', link: 'shop.myr.id/pl/abc' } }))).toEqual(unexpected);
    expect(classifyCreate(ok({ data: { id: '', link: created.link } }))).toEqual(unexpected);
    expect(classifyCreate(ok({ data: { link: created.link } }))).toEqual(unexpected);
    expect(classifyCreate(ok({}))).toEqual(unexpected);
    expect(classifyCreate(ok({ data: { id: 'p', link: 'https://a b' } }))).toEqual(unexpected);
  });

  it('needs all three marks of success', () => {
    expect(classifyCreate(reply(200, { statusCode: 400, messages: 'success', data: created }))).toEqual({
      ok: false,
      failure: { kind: 'rejected', status: 400, details: ['success'] },
    });
    expect(classifyCreate(reply(200, { statusCode: 200, messages: 'Created', data: created }))).toEqual({
      ok: false,
      failure: { kind: 'rejected', status: 200, details: ['Created'] },
    });
  });

  it('reports 404 as not-found', () => {
    expect(classifyCreate(reply(404, { statusCode: 404, messages: 'Not Found' }))).toEqual({ ok: false, failure: { kind: 'not-found' } });
  });
});

describe('classify', () => {
  it('parses data with the given schema', () => {
    const result = classify(ok({ data: { n: 3 } }), z.object({ n: z.number() }));
    expect(result).toEqual({ ok: true, data: { n: 3 }, body: { statusCode: 200, messages: 'success', data: { n: 3 } } });
  });
});

describe('classifyList', () => {
  const item = (fields: Record<string, unknown>) => ({
    id: 'p1',
    name: 'Budi',
    amount: 1000,
    description: 'Fee',
    status: 'unpaid',
    createdAt: 1_700_000_000_000,
    ...fields,
  });

  it('reads a page with a numeric cursor as a string', () => {
    const result = classifyList(ok({ hasMore: true, nextStartingAfter: 1_700_000_000_000, data: [item({})] }));
    expect(result).toMatchObject({ ok: true, data: { hasMore: true, next: '1700000000000' } });
    if (!result.ok) throw new Error('expected a page');
    expect(result.data.items).toEqual([item({})]);
  });

  it('reads a string cursor', () => {
    expect(classifyList(ok({ hasMore: true, nextStartingAfter: 'abc', data: [] }))).toMatchObject({
      ok: true,
      data: { items: [], hasMore: true, next: 'abc' },
    });
  });

  it('has no more without a cursor, whatever hasMore says', () => {
    expect(classifyList(ok({ hasMore: true, nextStartingAfter: null, data: [] }))).toMatchObject({ ok: true, data: { hasMore: false, next: null } });
    expect(classifyList(ok({ hasMore: true, data: [] }))).toMatchObject({ ok: true, data: { hasMore: false, next: null } });
    expect(classifyList(ok({ data: [] }))).toMatchObject({ ok: true, data: { hasMore: false, next: null } });
    expect(classifyList(ok({ hasMore: false, nextStartingAfter: 5, data: [] }))).toMatchObject({ ok: true, data: { hasMore: false, next: '5' } });
  });

  it('reads createdAt as ms from a number, a numeric string or an ISO time', () => {
    const result = classifyList(
      ok({
        hasMore: false,
        data: [
          item({ id: 'a', createdAt: 1_700_000_000_123 }),
          item({ id: 'b', createdAt: '1700000000456' }),
          item({ id: 'c', createdAt: '2026-06-15T03:00:00.000Z' }),
        ],
      }),
    );
    if (!result.ok) throw new Error('expected a page');
    expect(result.data.items.map((p) => [p.id, p.createdAt])).toEqual([
      ['a', 1_700_000_000_123],
      ['b', 1_700_000_000_456],
      ['c', Date.UTC(2026, 5, 15, 3)],
    ]);
  });

  it('keeps transactions with their extraData, and no field Mayar does not document', () => {
    const tx = [
      { id: 't1', extraData: { sheetRowKey: 'job.1.0' } },
      { id: 't2', extraData: null },
    ];
    const result = classifyList(ok({ data: [item({ transactions: tx, link: 'slug', linkUrl: 'https://x.test/slug' })] }));
    if (!result.ok) throw new Error('expected a page');
    expect(result.data.items[0]?.transactions).toEqual(tx);
    expect(result.data.items[0]?.link).toBe('slug');
    expect(result.data.items[0]).not.toHaveProperty('linkUrl');
    expect(paymentUrl(result.data.items[0] ?? {})).toBeNull();
  });

  it('reports an unreadable item or list as unavailable', () => {
    expect(classifyList(ok({ data: [item({ createdAt: 'yesterday' })] }))).toEqual({
      ok: false,
      failure: { kind: 'unavailable', status: 200, details: ['Mayar replied success in an unexpected shape'] },
    });
    expect(classifyList(ok({ data: [item({ id: 5 })] }))).toMatchObject({ ok: false, failure: { kind: 'unavailable' } });
    expect(classifyList(ok({ data: { items: [] } }))).toMatchObject({ ok: false, failure: { kind: 'unavailable' } });
    expect(classifyList(ok({ hasMore: 'yes', data: [] }))).toEqual({
      ok: false,
      failure: { kind: 'unavailable', status: 200, details: ['unexpected list shape'] },
    });
  });

  it('passes failures through', () => {
    expect(classifyList(reply(401, { statusCode: 401, messages: 'Unauthorized' }))).toEqual({ ok: false, failure: { kind: 'unauthorized' } });
    expect(classifyList(reply(429, { statusCode: 429, messages: 'Too Many Requests' }, { 'Retry-After': '2' }))).toEqual({
      ok: false,
      failure: { kind: 'rate-limited', retryAfterMs: 2_000 },
    });
  });
});

describe('classifyPayment and classifyTransaction', () => {
  it('reads a payment with its transaction ids, ignoring undocumented fields', () => {
    const result = classifyPayment(
      ok({
        data: {
          id: 'p1',
          status: 'paid',
          amount: 5000,
          link: 'slug',
          linkUrl: 'https://x.test/pl/slug',
          linkPayment: 'https://x.test/pl/slug',
          createdAt: '1700000000000',
          expiredAt: '2026-01-01T00:00:00Z',
          updatedAt: 1,
          transactions: [{ id: 't1', status: 'paid', paidAt: '2026-01-01T00:00:00Z' }],
        },
      }),
    );
    expect(result).toMatchObject({ ok: true, data: { id: 'p1', status: 'paid', createdAt: 1_700_000_000_000, transactions: [{ id: 't1' }] } });
    if (!result.ok) throw new Error('expected a payment');
    expect(result.data).not.toHaveProperty('expiredAt');
    expect(result.data).not.toHaveProperty('updatedAt');
    expect(result.data.transactions?.[0]).toEqual({ id: 't1' });
    expect(paymentUrl(result.data)).toBe('https://x.test/pl/slug');
  });

  it('needs a payment status', () => {
    expect(classifyPayment(ok({ data: { id: 'p1' } }))).toMatchObject({ ok: false, failure: { kind: 'unavailable', status: 200 } });
  });

  it('reports a missing payment as not-found', () => {
    expect(classifyPayment(reply(404, { statusCode: 404, messages: 'Product not found' }))).toEqual({ ok: false, failure: { kind: 'not-found' } });
  });

  it('reads a transaction: status, expirationDate and updatedAt, never paidAt', () => {
    const result = classifyTransaction(
      ok({
        data: { status: 'paid', amount: 5000, expirationDate: 1_800_000_000_000, updatedAt: '2026-01-01T00:00:00Z', paidAt: 5, paymentLink: { id: 'p1' } },
      }),
    );
    expect(result).toMatchObject({ ok: true, data: { status: 'paid', amount: 5000, expirationDate: 1_800_000_000_000, updatedAt: Date.UTC(2026, 0, 1) } });
    if (!result.ok) throw new Error('expected a transaction');
    expect(result.data).not.toHaveProperty('paidAt');
    expect(classifyTransaction(reply(404, { statusCode: 404, messages: 'Transaction not found' }))).toEqual({ ok: false, failure: { kind: 'not-found' } });
  });

  it('reads the four documented transaction statuses, and another one as it comes instead of losing the reply', () => {
    for (const status of ['paid', 'unpaid', 'created', 'expired']) expect(classifyTransaction(ok({ data: { status } })).ok).toBe(true);
    expect(classifyTransaction(ok({ data: { status: 'settled' } }))).toMatchObject({ ok: true, data: { status: 'settled' } });
  });
});

describe('classifyClose', () => {
  it('is a success only with messages "success"; a refusal is HTTP 200 "failed"', () => {
    expect(classifyClose(reply(200, { statusCode: 200, messages: 'success' }))).toMatchObject({ ok: true, data: null });
    expect(classifyClose(reply(200, { statusCode: 200, messages: 'failed' }))).toEqual({
      ok: false,
      failure: { kind: 'rejected', status: 200, details: ['failed'] },
    });
    expect(classifyClose(reply(404, { statusCode: 404, messages: 'Product not found' }))).toEqual({ ok: false, failure: { kind: 'not-found' } });
  });
});

describe('classifyWebhookHistory', () => {
  const payload = (data: Record<string, unknown>) => JSON.stringify({ event: 'payment.received', data });
  const delivery = (fields: Record<string, unknown>) => ({
    id: 'w1',
    createdAt: 1_700_000_000_000,
    nextDelivery: null,
    paymentLinkId: 'p1',
    payload: payload({ productId: 'p1', transactionId: 't1' }),
    status: 'SUCCESS',
    type: 'payment.received',
    updatedAt: 1_700_000_000_000,
    userId: 'u1',
    urlDestination: 'https://h.test/x',
    ...fields,
  });

  it('exposes the payment, the transaction, the time, the status and the type of each delivery', () => {
    const result = classifyWebhookHistory(
      ok({ data: [delivery({}), delivery({ id: 'w2', paymentLinkId: null, payload: payload({ productId: 'p2', transactionId: 't2' }), status: 'FAILED' })] }),
    );
    expect(result).toMatchObject({
      ok: true,
      data: {
        unreadable: 0,
        deliveries: [
          { id: 'w1', paymentId: 'p1', transactionId: 't1', createdAt: 1_700_000_000_000, status: 'SUCCESS', type: 'payment.received' },
          { id: 'w2', paymentId: 'p2', transactionId: 't2', status: 'FAILED' },
        ],
      },
    });
  });

  it('survives a payload that is not JSON and skips items it cannot read', () => {
    const result = classifyWebhookHistory(ok({ data: [delivery({ payload: '{not json' }), delivery({ payload: '"text"' }), { id: 'w3' }] }));
    expect(result).toMatchObject({
      ok: true,
      data: {
        unreadable: 1,
        deliveries: [
          { paymentId: 'p1', transactionId: null },
          { paymentId: 'p1', transactionId: null },
        ],
      },
    });
  });

  it('reads the cursor: hasMore with nextStartingAfter, else the last page', () => {
    expect(classifyWebhookHistory(ok({ hasMore: true, nextStartingAfter: '1700000000000', data: [delivery({})] }))).toMatchObject({
      ok: true,
      data: { hasMore: true, next: '1700000000000' },
    });
    expect(classifyWebhookHistory(ok({ hasMore: true, nextStartingAfter: null, data: [] }))).toMatchObject({ ok: true, data: { hasMore: false, next: null } });
    expect(classifyWebhookHistory(ok({ data: [] }))).toMatchObject({ ok: true, data: { hasMore: false, next: null } });
  });

  it('passes failures through', () => {
    expect(classifyWebhookHistory(reply(401, { statusCode: 401, messages: 'Unauthorized' }))).toEqual({ ok: false, failure: { kind: 'unauthorized' } });
  });
});

describe('classifyPaidTransactions', () => {
  const item = (fields: Record<string, unknown>) => ({
    id: 'bh1',
    credit: 10_000,
    status: 'settled',
    balanceHistoryType: 'payment',
    paymentMethod: 'QRIS',
    customerId: 'c1',
    createdAt: 1_700_000_000_000,
    paymentLinkTransactionId: 't1',
    fee: [],
    paymentLinkId: 'p1',
    paymentLinkTransaction: { id: 't1' },
    customer: { id: 'c1' },
    paymentLink: { id: 'p1', name: 'Budi' },
    ...fields,
  });

  it('reads the payment, its transaction, the time it settled and the cursor', () => {
    expect(classifyPaidTransactions(ok({ hasMore: true, nextStartingAfter: '1699999999000', data: [item({})] }))).toMatchObject({
      ok: true,
      data: {
        hasMore: true,
        next: '1699999999000',
        unreadable: 0,
        items: [{ paymentId: 'p1', transactionId: 't1', at: 1_700_000_000_000, status: 'settled', settled: true }],
      },
    });
  });

  it('keeps an item in a status the docs do not list, not settled, and skips only what it cannot read', () => {
    const result = classifyPaidTransactions(
      ok({ data: [item({ status: 'refunded' }), item({ paymentLinkId: null }), item({ createdAt: 'soon' }), 'x', item({ id: 'bh2' })] }),
    );
    expect(result).toMatchObject({
      ok: true,
      data: {
        hasMore: false,
        unreadable: 3,
        items: [
          { paymentId: 'p1', status: 'refunded', settled: false },
          { paymentId: 'p1', settled: true },
        ],
      },
    });
  });
});

describe('classifyChannels', () => {
  it('reads config[] of the one object Mayar answers, and matches a code in any case', () => {
    const reply = ok({
      data: {
        id: 'c1',
        config: [
          { name: 'QRIS', status: 'enabled', type: 'qris', code: 'QRIS' },
          { name: 'OVO', status: 'disabled', type: 'ewallet', code: 'OVO' },
          { name: 'Credit Card', status: 'enabled', type: 'card', code: null },
          'not a channel',
        ],
      },
    });
    const result = classifyChannels(reply);
    expect(result).toMatchObject({
      ok: true,
      data: [
        { code: 'QRIS', name: 'QRIS', enabled: true },
        { code: 'OVO', name: 'OVO', enabled: false },
        { code: null, name: 'Credit Card', enabled: true },
      ],
    });
    const channels = result.ok ? result.data : [];
    expect(matchChannel(channels, 'qris')).toEqual({ kind: 'ok', code: 'QRIS' });
    expect(matchChannel(channels, 'Ovo')).toEqual({ kind: 'disabled', code: 'OVO' });
    expect(matchChannel(channels, 'gopay')).toEqual({ kind: 'unknown' });
    // A list, as an earlier reading assumed, is not what Mayar sends.
    expect(classifyChannels(ok({ data: [{ code: 'QRIS', name: 'QRIS' }] }))).toMatchObject({ ok: false, failure: { kind: 'unavailable' } });
  });
});

describe('paymentUrl', () => {
  it('takes linkUrl, then linkPayment, then link when it is a URL', () => {
    expect(paymentUrl({ link: 'https://a.test/x', linkUrl: 'https://b.test/y' })).toBe('https://b.test/y');
    expect(paymentUrl({ link: 'x-slug', linkPayment: 'https://c.test/z' })).toBe('https://c.test/z');
    expect(paymentUrl({ link: 'https://a.test/x' })).toBe('https://a.test/x');
    expect(paymentUrl({ link: null, linkUrl: 'http://b.test/y' })).toBe('http://b.test/y');
  });

  it('is null without a URL, as for a list item’s slug', () => {
    expect(paymentUrl({})).toBeNull();
    expect(paymentUrl({ link: 'slug' })).toBeNull();
    expect(paymentUrl({ link: 'slug', linkUrl: 'also-a-slug' })).toBeNull();
    expect(paymentUrl({ link: '', linkUrl: null })).toBeNull();
    expect(paymentUrl({ link: 'ftp://a.test/x' })).toBeNull();
  });
});

/**
 * The simulator against Mayar's documented replies: each scenario's reply has the fixture's
 * status and envelope and no key the documentation doesn't list; the classifiers read the
 * fixtures as the product needs.
 */
import { describe, expect, it } from 'vitest';
import type { HttpReply } from '../../src/app/ports';
import {
  classifyChannels,
  classifyClose,
  classifyCreate,
  classifyList,
  classifyPaidTransactions,
  classifyPayment,
  classifyTransaction,
  classifyWebhookHistory,
  paymentUrl,
  readWebhookBody,
} from '../../src/core/mayar';
import { type HttpRequest, MayarSimulator } from '../../tools/mayar/mayar-simulator';
import { extraKeys, fixture, type FixtureName, fixtureNames, missingKeys } from './keys';

const START = Date.parse('2026-06-01T00:00:00.000Z');
// The sandbox host the simulator accepts keys on by default.
const BASE = 'https://api.mayar.io/hl/v2';
const KEY = MayarSimulator.makeKey('contract');
const BUDI = {
  name: 'Penagihan',
  amount: 150_000,
  email: 'budi@example.com',
  mobile: '081234567890',
  description: 'Iuran Juni',
  extraData: { sheetRowKey: 'job1.2.0' },
};

const SPP = {
  name: 'Budi Santoso',
  email: 'budi@example.com',
  mobile: '081234567890',
  description: 'Tagihan Juni',
  expiredAt: '2026-06-30T16:59:59.000Z',
  items: [
    { description: 'SPP', quantity: 1, rate: 350_000 },
    { description: 'Buku', quantity: 1, rate: 75_000 },
  ],
  extraData: { sheetRowKey: 'job1.2.0' },
};

function world(options: { validationStyle?: '400' | '200-failed' } = {}) {
  let clock = START;
  const sim = new MayarSimulator({ now: () => clock, merchant: 'tokobudi', ratePerMinute: 1_000, ...options });
  sim.addKey(KEY, { environment: 'sandbox' });
  const call = (method: string, path: string, body?: unknown, key = KEY): HttpReply => {
    const request: HttpRequest = {
      method,
      url: `${BASE}${path}`,
      headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    const outcome = sim.handle(request);
    if (outcome.kind !== 'response') throw new Error(`network error: ${outcome.message}`);
    return { status: outcome.status, headers: outcome.headers, body: outcome.body };
  };
  const create = (body: Record<string, unknown> = BUDI): { id: string; transactionId: string } => {
    const data = (JSON.parse(call('POST', '/payments/create', body).body) as { data: { id: string; transactionId: string } }).data;
    return data;
  };
  const createInvoice = (body: Record<string, unknown> = SPP): string =>
    (JSON.parse(call('POST', '/invoices/create', body).body) as { data: { id: string } }).data.id;
  return { sim, call, create, createInvoice, advance: (ms: number) => (clock += ms) };
}

type Scenario = () => HttpReply;

const scenarios: Record<Exclude<FixtureName, 'webhook-payment-received'>, Scenario> = {
  'create-success': () => world().call('POST', '/payments/create', BUDI),
  'create-validation-400': () => world({ validationStyle: '400' }).call('POST', '/payments/create', { name: 'Penagihan' }),
  'create-failed-200': () => world().call('POST', '/payments/create', { name: 'Penagihan' }),
  'unauthorized-401': () => world().call('GET', '/payments', undefined, MayarSimulator.makeKey('unknown')),
  'conflict-409': () => {
    const w = world();
    w.sim.injectFault({ type: 'status-409' });
    return w.call('POST', '/payments/create', BUDI);
  },
  'duplicate-429': () => {
    const w = world();
    w.create();
    return w.call('POST', '/payments/create', { ...BUDI, description: 'another' });
  },
  'rate-limit-429': () => {
    const w = world();
    w.sim.setRateLimit(1);
    w.call('GET', '/payments');
    return w.call('GET', '/payments');
  },
  'error-500': () => {
    const w = world();
    w.sim.injectFault({ type: 'http-500' });
    return w.call('GET', '/payments');
  },
  'payment-detail': () => {
    const w = world();
    const { id } = w.create();
    w.sim.pay(id);
    return w.call('GET', `/payments/${id}`);
  },
  'payment-list': () => {
    const w = world();
    w.create();
    w.advance(1_000);
    w.create({ ...BUDI, amount: 200_000 });
    return w.call('GET', '/payments?status=unpaid&limit=1');
  },
  transaction: () => {
    const w = world();
    const { id, transactionId } = w.create();
    w.advance(60_000);
    w.sim.pay(id);
    return w.call('GET', `/transactions/${transactionId}`);
  },
  'close-success': () => {
    const w = world();
    return w.call('POST', `/payments/${w.create().id}/close`, {});
  },
  'close-refused-paid': () => {
    const w = world();
    const { id } = w.create();
    w.sim.pay(id);
    return w.call('POST', `/payments/${id}/close`, {});
  },
  'close-unknown-404': () => world().call('POST', '/payments/00000000-0000-4000-8000-000000000000/close', {}),
  'webhook-history': () => {
    const w = world();
    w.call('POST', '/webhooks/update', { urlHook: 'https://script.google.com/macros/s/AKfy-example/exec?secret=s' });
    const { id } = w.create();
    w.sim.pay(id, { delivery: 'FAILED' });
    w.advance(1_000);
    w.sim.pay(w.create({ ...BUDI, name: 'Andi', email: 'andi@example.com', amount: 90_000 }).id);
    return w.call('GET', '/webhooks/history?limit=10&type=payment.received');
  },
  'paid-transactions': () => {
    const w = world();
    const { id } = w.create();
    w.sim.pay(id);
    w.advance(60_000);
    return w.call('GET', `/transactions?limit=50&paymentLinkId=${id}`);
  },
  'payment-channels': () => world().call('GET', '/payment-channels'),
  // invoices
  'invoice-create': () => world().call('POST', '/invoices/create', SPP),
  'invoice-detail': () => {
    const w = world();
    const id = w.createInvoice();
    return w.call('GET', `/invoices/${id}`);
  },
  'invoice-list': () => {
    const w = world();
    w.createInvoice();
    w.advance(1_000);
    w.createInvoice({ ...SPP, name: 'Andi', email: 'andi@example.com', mobile: '081298765432' });
    return w.call('GET', '/invoices?limit=1');
  },
};

function bodyOf(reply: HttpReply): Record<string, unknown> {
  return JSON.parse(reply.body) as Record<string, unknown>;
}

function asReply(name: FixtureName): HttpReply {
  const f = fixture(name);
  return { status: f.status ?? 200, headers: f.headers ?? {}, body: JSON.stringify(f.body) };
}

describe('fixtures', () => {
  it('cover every documented reply, each with a scenario', () => {
    expect(fixtureNames()).toEqual([...Object.keys(scenarios), 'webhook-payment-received'].sort());
  });
});

describe('the simulator answers as documented', () => {
  for (const [name, scenario] of Object.entries(scenarios) as [Exclude<FixtureName, 'webhook-payment-received'>, Scenario][]) {
    it(name, () => {
      const documented = fixture(name);
      const reply = scenario();
      const body = bodyOf(reply);
      const expected = documented.body as Record<string, unknown>;
      expect(reply.status).toBe(documented.status);
      expect(Object.keys(body).sort()).toEqual(Object.keys(expected).sort());
      expect({ statusCode: body.statusCode, messages: body.messages }).toEqual({ statusCode: expected.statusCode, messages: expected.messages });
      expect(extraKeys(body, expected)).toEqual([]);
      expect(missingKeys(body, expected)).toEqual([]);
      for (const header of Object.keys(documented.headers ?? {})) expect(reply.headers[header]).toMatch(/^\d+$/);
    });
  }

  it('webhook-payment-received', () => {
    const w = world();
    const { id } = w.create();
    w.sim.pay(id);
    const body: unknown = JSON.parse(w.sim.webhookBody(id));
    const expected = fixture('webhook-payment-received').body;
    expect(extraKeys(body, expected)).toEqual([]);
    expect(missingKeys(body, expected)).toEqual([]);
    expect(body).toMatchObject({ event: 'payment.received', data: { productId: id, status: 'SUCCESS', transactionStatus: 'paid' } });
  });

  it('catches a key outside the documentation', () => {
    const expected = fixture('payment-list').body;
    const withUrl = JSON.parse(JSON.stringify(expected)) as { data: Record<string, unknown>[] };
    (withUrl.data[0] ?? {}).linkUrl = 'https://tokobudi.myr.lat/pl/x';
    expect(extraKeys(withUrl, expected)).toEqual(['body.data[0].linkUrl']);
  });
});

describe('the classifiers read the documented replies', () => {
  it('a created payment', () => {
    expect(classifyCreate(asReply('create-success'))).toMatchObject({
      ok: true,
      data: {
        id: '3f1b9c2e-7a4d-4e8b-9c1f-2d6e8a0b4c57',
        transactionId: 'a8d2e6f0-1b3c-4d5e-8f7a-9b0c1d2e3f40',
        link: 'https://tokobudi.myr.lat/pl/k3m9x2p7qa',
      },
    });
  });

  it('validator errors, as HTTP 400 and as HTTP 200 "failed"', () => {
    const details = ["amount: The 'amount' field is required."];
    expect(classifyCreate(asReply('create-validation-400'))).toEqual({
      ok: false,
      failure: { kind: 'rejected', status: 400, details: [...details, 'Validation Error'] },
    });
    expect(classifyCreate(asReply('create-failed-200'))).toEqual({ ok: false, failure: { kind: 'rejected', status: 400, details } });
  });

  it('401, 409, both 429s and 500', () => {
    expect(classifyCreate(asReply('unauthorized-401'))).toEqual({ ok: false, failure: { kind: 'unauthorized' } });
    expect(classifyCreate(asReply('conflict-409'))).toEqual({ ok: false, failure: { kind: 'conflict', details: ['already exist'] } });
    expect(classifyCreate(asReply('duplicate-429'))).toEqual({ ok: false, failure: { kind: 'duplicate' } });
    expect(classifyList(asReply('rate-limit-429'))).toEqual({ ok: false, failure: { kind: 'rate-limited', retryAfterMs: 42_000 } });
    expect(classifyPayment(asReply('error-500'))).toEqual({ ok: false, failure: { kind: 'unavailable', status: 500, details: ['Error'] } });
  });

  it('a payment detail, whose linkUrl is the URL to share', () => {
    const result = classifyPayment(asReply('payment-detail'));
    if (!result.ok) throw new Error('expected a payment');
    expect(paymentUrl(result.data)).toBe('https://tokobudi.myr.lat/pl/k3m9x2p7qa');
    expect(result.data).toMatchObject({ status: 'unpaid', amount: 150_000 });
  });

  it('a list page: slugs without URLs, and a millisecond cursor', () => {
    const result = classifyList(asReply('payment-list'));
    if (!result.ok) throw new Error('expected a page');
    expect(result.data).toMatchObject({ hasMore: true, next: '1780272000000' });
    expect(result.data.items[0]).toMatchObject({ link: 'k3m9x2p7qa', transactions: [{ extraData: { sheetRowKey: 'job1.2.0' } }] });
    expect(paymentUrl(result.data.items[0] ?? {})).toBeNull();
  });

  it('a paid transaction, paid at its updatedAt', () => {
    const result = classifyTransaction(asReply('transaction'));
    if (!result.ok) throw new Error('expected a transaction');
    expect(result.data).toMatchObject({ status: 'paid', expirationDate: 1_780_275_600_000, updatedAt: 1_780_272_600_000 });
  });

  it('close: success, refused when paid, unknown id', () => {
    expect(classifyClose(asReply('close-success'))).toMatchObject({ ok: true });
    expect(classifyClose(asReply('close-refused-paid'))).toEqual({ ok: false, failure: { kind: 'rejected', status: 200, details: ['failed'] } });
    expect(classifyClose(asReply('close-unknown-404'))).toEqual({ ok: false, failure: { kind: 'not-found' } });
  });

  it('webhook history, with the ids inside the payload', () => {
    expect(classifyWebhookHistory(asReply('webhook-history'))).toEqual({
      ok: true,
      body: expect.anything(),
      data: {
        hasMore: false,
        next: null,
        unreadable: 0,
        deliveries: [
          {
            id: '5e0c1a7b-2f3d-4c8e-9a1b-6d7e8f9a0b1c',
            type: 'payment.received',
            status: 'SUCCESS',
            createdAt: 1_780_272_600_000,
            paymentId: '3f1b9c2e-7a4d-4e8b-9c1f-2d6e8a0b4c57',
            transactionId: 'a8d2e6f0-1b3c-4d5e-8f7a-9b0c1d2e3f40',
          },
        ],
      },
    });
  });

  it('paid transactions: the payment, its transaction and when it settled', () => {
    expect(classifyPaidTransactions(asReply('paid-transactions'))).toEqual({
      ok: true,
      body: expect.anything(),
      data: {
        hasMore: false,
        next: null,
        unreadable: 0,
        items: [
          {
            paymentId: '3f1b9c2e-7a4d-4e8b-9c1f-2d6e8a0b4c57',
            transactionId: 'a8d2e6f0-1b3c-4d5e-8f7a-9b0c1d2e3f40',
            at: 1_780_273_215_000,
            status: 'settled',
            settled: true,
          },
        ],
      },
    });
  });

  it('payment channels: one object with config[], a card channel without a code', () => {
    const result = classifyChannels(asReply('payment-channels'));
    expect(result).toMatchObject({
      ok: true,
      data: [
        { code: 'QRIS', name: 'QRIS', enabled: true },
        { code: 'MANDIRI', name: 'Mandiri Virtual Account', enabled: true },
        { code: 'OVO', name: 'OVO', enabled: true },
        { code: null, name: 'Credit Card', enabled: true },
      ],
    });
  });

  it('a payment.received webhook body', () => {
    expect(readWebhookBody(JSON.stringify(fixture('webhook-payment-received').body))).toEqual({
      event: 'payment.received',
      paymentId: '3f1b9c2e-7a4d-4e8b-9c1f-2d6e8a0b4c57',
      transactionId: 'a8d2e6f0-1b3c-4d5e-8f7a-9b0c1d2e3f40',
    });
    expect(readWebhookBody('not json')).toEqual({ event: null, paymentId: null, transactionId: null });
  });
});

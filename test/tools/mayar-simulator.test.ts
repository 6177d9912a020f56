import { beforeEach, describe, expect, it } from 'vitest';
import { type HttpOutcome, type HttpRequest, MayarSimulator } from '../../tools/mayar/mayar-simulator';

const START = Date.parse('2026-03-02T03:00:00.000Z');
// The sandbox host that accepts keys by default (the one the add-on does not try first).
const SANDBOX = 'https://api.mayar.io/hl/v2';
const PRODUCTION = 'https://api.mayar.id/hl/v2';
const SANDBOX_KEY = MayarSimulator.makeKey('sandbox-write');
const READ_KEY = MayarSimulator.makeKey('sandbox-read');
const PRODUCTION_KEY = MayarSimulator.makeKey('production-write');
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let clock = START;
const now = (): number => clock;
const advance = (ms: number): void => {
  clock += ms;
};

function makeSim(options: Partial<ConstructorParameters<typeof MayarSimulator>[0]> = {}): MayarSimulator {
  const sim = new MayarSimulator({ now, ...options });
  sim.addKey(SANDBOX_KEY, { environment: 'sandbox' });
  sim.addKey(READ_KEY, { environment: 'sandbox', access: 'read' });
  sim.addKey(PRODUCTION_KEY, { environment: 'production' });
  return sim;
}

function request(method: string, url: string, body?: unknown, key: string | null = SANDBOX_KEY): HttpRequest {
  const headers: Record<string, string> = {};
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return { method, url, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) };
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  json: Record<string, unknown>;
}

function reply(outcome: HttpOutcome): Reply {
  if (outcome.kind !== 'response') throw new Error(`expected a response, got network error: ${outcome.message}`);
  const parsed: unknown = JSON.parse(outcome.body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('body is not an object');
  return { status: outcome.status, headers: outcome.headers, json: parsed as Record<string, unknown> };
}

function dataOf(r: Reply): Record<string, unknown> {
  const data = r.json.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('data is not an object');
  return data as Record<string, unknown>;
}

function listOf(r: Reply): Record<string, unknown>[] {
  const data = r.json.data;
  if (!Array.isArray(data)) throw new Error('data is not a list');
  return data as Record<string, unknown>[];
}

function create(sim: MayarSimulator, body: Record<string, unknown>, base = SANDBOX, key = SANDBOX_KEY): Reply {
  return reply(sim.handle(request('POST', `${base}/payments/create`, body, key)));
}

function get(sim: MayarSimulator, path: string, base = SANDBOX, key = SANDBOX_KEY): Reply {
  return reply(sim.handle(request('GET', `${base}${path}`, undefined, key)));
}

function post(sim: MayarSimulator, path: string, body?: unknown): Reply {
  return reply(sim.handle(request('POST', `${SANDBOX}${path}`, body)));
}

const BUDI = { name: 'Budi Santoso', amount: 150_000, email: 'budi@example.com', mobile: '081234567890' };

beforeEach(() => {
  clock = START;
});

describe('keys', () => {
  it('makes deterministic JWT-looking keys', () => {
    const key = MayarSimulator.makeKey('a');
    expect(key).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(key.length).toBeGreaterThanOrEqual(40);
    expect(MayarSimulator.makeKey('a')).toBe(key);
    expect(MayarSimulator.makeKey('b')).not.toBe(key);
  });
});

describe('hosts and paths', () => {
  it('serves production, and a sandbox key on one of the two documented sandbox hosts (api.mayar.io unless told)', () => {
    const sim = makeSim();
    expect(get(sim, '/payment-channels', PRODUCTION, PRODUCTION_KEY).status).toBe(200);
    expect(get(sim, '/payment-channels', 'https://api.mayar.club/hl/v2').status).toBe(401);
    expect(get(sim, '/payment-channels', 'https://api.mayar.io/hl/v2').status).toBe(200);
    const club = makeSim({ sandboxHost: 'api.mayar.club' });
    expect(get(club, '/payment-channels', 'https://api.mayar.club/hl/v2').status).toBe(200);
    expect(get(club, '/payment-channels', 'https://api.mayar.io/hl/v2').status).toBe(401);
    const both = makeSim({ sandboxHost: 'both' });
    expect(get(both, '/payment-channels', 'https://api.mayar.club/hl/v2').status).toBe(200);
    expect(get(both, '/payment-channels', 'https://api.mayar.io/hl/v2').status).toBe(200);
  });

  it('fails DNS for any other host without reaching the server or using a rate slot', () => {
    const sim = makeSim({ ratePerMinute: 1 });
    const outcome = sim.handle(request('GET', 'https://api.mayar.com/hl/v2/payment-channels'));
    expect(outcome).toEqual({ kind: 'network-error', message: 'DNS error: api.mayar.com', latencyMs: 300, reachedServer: false });
    expect(get(sim, '/payment-channels').status).toBe(200);
    expect(sim.requests[0]?.status).toBe('network-error');
  });

  it('answers 404 for v1 and unknown paths, and for wrong methods', () => {
    const sim = makeSim();
    expect(reply(sim.handle(request('POST', 'https://api.mayar.club/hl/v1/invoice/create', BUDI))).status).toBe(404);
    expect(get(sim, '/nothing-here').status).toBe(404);
    expect(get(sim, '/payments/create').status).toBe(404);
    expect(get(sim, '/nothing-here').json).toEqual({ statusCode: 404, messages: 'Not Found' });
  });
});

describe('auth', () => {
  it('rejects a missing or unknown key with 401 Unauthorized', () => {
    const sim = makeSim();
    const missing = reply(sim.handle(request('GET', `${SANDBOX}/payments`, undefined, null)));
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ statusCode: 401, messages: 'Unauthorized' });
    expect(get(sim, '/payments', SANDBOX, MayarSimulator.makeKey('stranger')).status).toBe(401);
  });

  it('rejects a key used against the other environment', () => {
    const sim = makeSim();
    expect(get(sim, '/payments', PRODUCTION, SANDBOX_KEY).status).toBe(401);
    expect(get(sim, '/payments', SANDBOX, PRODUCTION_KEY).status).toBe(401);
    expect(sim.requests[0]?.keyEnvironment).toBe('sandbox');
    expect(sim.requests[0]?.hostEnvironment).toBe('production');
  });

  it('lets a read-only key read but answers 401 to its writes', () => {
    const sim = makeSim();
    expect(get(sim, '/payments', SANDBOX, READ_KEY).status).toBe(200);
    const write = create(sim, BUDI, SANDBOX, READ_KEY);
    expect(write.status).toBe(401);
    expect(write.json.messages).toBe('Unauthorized');
    expect(sim.createCount()).toBe(0);
  });

  it('reads the Authorization header case-insensitively', () => {
    const sim = makeSim();
    const outcome = sim.handle({ method: 'GET', url: `${SANDBOX}/payments`, headers: { authorization: `Bearer ${SANDBOX_KEY}` } });
    expect(reply(outcome).status).toBe(200);
  });

  it('revokeKey turns a key away for good', () => {
    const sim = makeSim();
    sim.revokeKey(SANDBOX_KEY);
    expect(get(sim, '/payments').status).toBe(401);
    expect(get(sim, '/payments').status).toBe(401);
  });
});

describe('create', () => {
  it('creates a sandbox payment with the documented fields', () => {
    const sim = makeSim({ merchant: 'tokobudi' });
    const r = create(sim, { ...BUDI, description: '<b>Invoice</b> March', notes: 'n1', extraData: { row: 'r-1' } });
    expect(r.status).toBe(200);
    expect(r.json.statusCode).toBe(200);
    expect(r.json.messages).toBe('success');
    const data = dataOf(r);
    expect(data.id).toMatch(UUID_RE);
    expect(data.transactionId).toMatch(UUID_RE);
    expect(data.link).toMatch(/^https:\/\/tokobudi\.myr\.lat\/pl\/[a-z0-9]{10}$/);
    expect(Object.keys(data).sort()).toEqual(['id', 'link', 'transactionId']);
    expect(sim.payment(String(data.id))).toMatchObject({
      description: 'Invoice March',
      notes: 'n1',
      status: 'unpaid',
      createdAt: START,
      expiredAt: START + 3_600_000,
    });
    expect(sim.createsBy('row')).toEqual(new Map([['r-1', 1]]));
  });

  it('uses myr.id links in production', () => {
    const sim = makeSim({ merchant: 'tokobudi' });
    const data = dataOf(create(sim, BUDI, PRODUCTION, PRODUCTION_KEY));
    expect(data.link).toMatch(/^https:\/\/tokobudi\.myr\.id\/pl\//);
  });

  it('returns a null transactionId without an email', () => {
    const sim = makeSim();
    const data = dataOf(create(sim, { name: 'Sari', amount: 20_000 }));
    expect(data.transactionId).toBeNull();
    expect(sim.payment(String(data.id))?.transactions).toEqual([]);
  });

  it('keeps the given expiredAt', () => {
    const sim = makeSim();
    const data = dataOf(create(sim, { ...BUDI, expiredAt: '2026-03-05T16:59:59+07:00' }));
    expect(dataOf(get(sim, `/transactions/${String(data.transactionId)}`)).expirationDate).toBe(Date.parse('2026-03-05T09:59:59.000Z'));
  });

  it('makes the same ids for the same seed and different ones for another seed', () => {
    const ids = (seed: number): unknown[] => {
      clock = START;
      const sim = makeSim({ seed });
      return [dataOf(create(sim, BUDI)).id, dataOf(create(sim, { ...BUDI, amount: 9_000 })).id];
    };
    expect(ids(7)).toEqual(ids(7));
    expect(ids(7)).not.toEqual(ids(8));
  });
});

describe('validation', () => {
  const bad: [string, Record<string, unknown>, string, string][] = [
    ['missing name', { amount: 1_000 }, 'name', 'required'],
    ['blank name', { name: '  ', amount: 1_000 }, 'name', 'stringEmpty'],
    ['amount below 500', { name: 'A', amount: 499 }, 'amount', 'numberMin'],
    ['decimal amount', { name: 'A', amount: 1000.5 }, 'amount', 'numberInteger'],
    ['amount as string', { name: 'A', amount: '1000' }, 'amount', 'number'],
    ['bad email', { name: 'A', amount: 1_000, email: 'budi@' }, 'email', 'email'],
    ['mobile with +', { name: 'A', amount: 1_000, mobile: '+6281234' }, 'mobile', 'stringNumeric'],
    ['mobile as number', { name: 'A', amount: 1_000, mobile: 81234 }, 'mobile', 'string'],
    ['expiredAt not ISO', { name: 'A', amount: 1_000, expiredAt: '31/12/2026' }, 'expiredAt', 'date'],
    ['expiredAt without zone', { name: 'A', amount: 1_000, expiredAt: '2026-12-31T10:00:00' }, 'expiredAt', 'date'],
    ['unknown paymentMethod', { name: 'A', amount: 1_000, paymentMethod: 'cash' }, 'paymentMethod', 'enumValue'],
  ];

  it.each(bad)('reports %s as HTTP 200 "failed" by default', (_label, body, field, type) => {
    const sim = makeSim();
    const r = create(sim, body);
    expect(r.status).toBe(200);
    expect(r.json.statusCode).toBe(400);
    expect(r.json.messages).toBe('failed');
    expect(r.json.data).toEqual([expect.objectContaining({ field, type, message: expect.any(String) })]);
    expect(sim.createCount()).toBe(0);
  });

  it('reports validator errors as HTTP 400 "Validation Error" in the 400 style', () => {
    const sim = makeSim({ validationStyle: '400' });
    const r = create(sim, { name: '', amount: 10 });
    expect(r.status).toBe(400);
    expect(r.json.statusCode).toBe(400);
    expect(r.json.messages).toBe('Validation Error');
    expect(r.json.data).toHaveLength(2);
  });

  it.each([
    ['a number value', { row: 5 }],
    ['a nested object', { row: { id: 'x' } }],
    ['an array', ['x']],
    ['a string', 'row-1'],
  ])('rejects extraData with %s as HTTP 400 in either style', (_label, extraData) => {
    for (const validationStyle of ['400', '200-failed'] as const) {
      const sim = makeSim({ validationStyle });
      const r = create(sim, { ...BUDI, extraData });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ statusCode: 400, messages: 'extraData Validation Error' });
      expect(sim.createCount()).toBe(0);
    }
  });

  it('rejects a body that is not JSON', () => {
    const sim = makeSim();
    const outcome = sim.handle({ ...request('POST', `${SANDBOX}/payments/create`), body: '{name:' });
    expect(reply(outcome).status).toBe(400);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past 20 requests a minute and recovers as the window slides', () => {
    const sim = makeSim();
    for (let i = 0; i < 20; i++) {
      expect(get(sim, '/payment-channels').status).toBe(200);
      advance(1_000); // requests at START+0s .. START+19s
    }
    clock = START + 30_000;
    const limited = get(sim, '/payment-channels');
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ statusCode: 429, messages: 'Too Many Requests' });
    expect(limited.headers['Retry-After']).toBe('30');
    expect(sim.tooManyRequestsSent).toBe(1);

    // Rejected requests take no slot, so the oldest one still decides.
    clock = START + 59_500;
    expect(get(sim, '/payment-channels').headers['Retry-After']).toBe('1');
    clock = START + 60_000;
    expect(get(sim, '/payment-channels').status).toBe(200);
    expect(get(sim, '/payment-channels').status).toBe(429);
    clock = START + 61_000;
    expect(get(sim, '/payment-channels').status).toBe(200);
  });

  it('counts every key together, as Mayar limits per IP', () => {
    const sim = makeSim({ ratePerMinute: 2 });
    expect(get(sim, '/payments').status).toBe(200);
    expect(get(sim, '/payments', PRODUCTION, PRODUCTION_KEY).status).toBe(200);
    expect(get(sim, '/payments', SANDBOX, READ_KEY).status).toBe(429);
  });

  it('also counts requests that fail auth', () => {
    const sim = makeSim({ ratePerMinute: 1 });
    expect(get(sim, '/payments', SANDBOX, 'nope').status).toBe(401);
    expect(get(sim, '/payments').status).toBe(429);
  });

  it('follows setRateLimit', () => {
    const sim = makeSim({ ratePerMinute: 1 });
    get(sim, '/payments');
    expect(get(sim, '/payments').status).toBe(429);
    sim.setRateLimit(5);
    expect(get(sim, '/payments').status).toBe(200);
  });
});

describe('duplicate rule', () => {
  const duplicate = { statusCode: 429, messages: 'Duplicate request detected. Please wait 1 minute before trying again.' };

  it('refuses the same customer and amount within 60 s, even with another description', () => {
    const sim = makeSim();
    expect(create(sim, { ...BUDI, description: 'first' }).status).toBe(200);
    advance(10_000);
    const again = create(sim, { ...BUDI, description: 'second' });
    expect(again.status).toBe(429);
    expect(again.json).toEqual(duplicate);
    expect(again.headers['Retry-After']).toBeUndefined();
    expect(sim.duplicateRejections).toBe(1);
    expect(sim.tooManyRequestsSent).toBe(0);
    expect(sim.createCount()).toBe(1);
  });

  it('lets the same request through once 60 s have passed', () => {
    const sim = makeSim();
    create(sim, BUDI);
    advance(59_999);
    expect(create(sim, BUDI).status).toBe(429);
    advance(1);
    expect(create(sim, BUDI).status).toBe(200);
    expect(sim.createCount()).toBe(2);
  });

  it('matches the customer by trimmed case-insensitive name, by email, or by mobile', () => {
    const sim = makeSim();
    create(sim, BUDI);
    expect(create(sim, { name: '  budi SANTOSO ', amount: BUDI.amount }).status).toBe(429);
    expect(create(sim, { name: 'Other', amount: BUDI.amount, email: 'BUDI@example.com' }).status).toBe(429);
    expect(create(sim, { name: 'Other', amount: BUDI.amount, mobile: BUDI.mobile }).status).toBe(429);
    expect(create(sim, { name: 'Other', amount: BUDI.amount, email: 'other@example.com' }).status).toBe(200);
    expect(create(sim, { ...BUDI, amount: BUDI.amount + 1 }).status).toBe(200);
    expect(sim.duplicateRejections).toBe(3);
  });

  it('keeps sandbox and production apart', () => {
    const sim = makeSim();
    create(sim, BUDI);
    expect(create(sim, BUDI, PRODUCTION, PRODUCTION_KEY).status).toBe(200);
  });
});

describe('fault injection', () => {
  const isCreate = (r: HttpRequest): boolean => r.url.endsWith('/payments/create');

  it('lost-reply creates the payment but the client sees a network error; the retry hits the duplicate rule', () => {
    const sim = makeSim();
    sim.injectFault({ type: 'lost-reply', match: isCreate });
    const outcome = sim.handle(request('POST', `${SANDBOX}/payments/create`, { ...BUDI, extraData: { row: 'r-9' } }));
    expect(outcome).toMatchObject({ kind: 'network-error', reachedServer: true, latencyMs: 300 });
    expect(sim.createCount()).toBe(1);
    expect(sim.createsBy('row').get('r-9')).toBe(1);
    expect(sim.requests.at(-1)).toMatchObject({ status: 'network-error', serverStatus: 200, fault: 'lost-reply' });

    advance(5_000);
    expect(create(sim, BUDI).json.messages).toMatch(/^Duplicate request detected/);
    advance(60_000);
    expect(create(sim, BUDI).status).toBe(200);
    expect(sim.createCount()).toBe(2);
  });

  it('timeout processes the request and reports 60 s of latency', () => {
    const sim = makeSim();
    sim.injectFault({ type: 'timeout' });
    const outcome = sim.handle(request('POST', `${SANDBOX}/payments/create`, BUDI));
    expect(outcome).toMatchObject({ kind: 'network-error', reachedServer: true, latencyMs: 60_000 });
    expect(sim.createCount()).toBe(1);
  });

  it('network-error never reaches the server and takes no rate slot', () => {
    const sim = makeSim({ ratePerMinute: 1 });
    sim.injectFault({ type: 'network-error', times: 2 });
    for (let i = 0; i < 2; i++) {
      expect(sim.handle(request('POST', `${SANDBOX}/payments/create`, BUDI))).toMatchObject({
        kind: 'network-error',
        reachedServer: false,
      });
    }
    expect(sim.createCount()).toBe(0);
    expect(create(sim, BUDI).status).toBe(200);
  });

  it('serves injected HTTP errors, each once by default', () => {
    const sim = makeSim();
    sim.injectFault({ type: 'http-500' });
    sim.injectFault({ type: 'html-502' });
    sim.injectFault({ type: 'status-409' });
    sim.injectFault({ type: 'key-revoked' });
    sim.injectFault({ type: 'too-many-requests', retryAfterSeconds: 7 });

    const r500 = create(sim, BUDI);
    expect([r500.status, r500.json]).toEqual([500, { statusCode: 500, messages: 'Error' }]);
    const r502 = sim.handle(request('POST', `${SANDBOX}/payments/create`, BUDI));
    expect(r502).toMatchObject({ kind: 'response', status: 502, headers: { 'Content-Type': 'text/html' } });
    expect(r502.kind === 'response' ? r502.body : '').toContain('<html>');
    expect(create(sim, BUDI).json).toEqual({ statusCode: 409, messages: 'already exist' });
    expect(create(sim, BUDI).json).toEqual({ statusCode: 401, messages: 'Unauthorized' });
    const r429 = create(sim, BUDI);
    expect([r429.status, r429.headers['Retry-After']]).toEqual([429, '7']);
    expect(sim.tooManyRequestsSent).toBe(1);
    expect(sim.createCount()).toBe(0);

    expect(create(sim, BUDI).status).toBe(200);
    expect(sim.pendingFaults()).toEqual([]);
  });

  it('applies a fault only to matching requests, as many times as asked, until cleared', () => {
    const sim = makeSim();
    sim.injectFault({ type: 'http-500', match: isCreate, times: Infinity });
    expect(get(sim, '/payments').status).toBe(200);
    expect(create(sim, BUDI).status).toBe(500);
    expect(create(sim, BUDI).status).toBe(500);
    sim.clearFaults();
    expect(create(sim, BUDI).status).toBe(200);
  });

  it('keeps a fault armed while the rate limit turns requests away', () => {
    const sim = makeSim({ ratePerMinute: 1 });
    get(sim, '/payments');
    sim.injectFault({ type: 'lost-reply', match: isCreate });
    expect(create(sim, BUDI).status).toBe(429);
    advance(60_000);
    expect(sim.handle(request('POST', `${SANDBOX}/payments/create`, BUDI)).kind).toBe('network-error');
    expect(sim.createCount()).toBe(1);
  });
});

describe('latency', () => {
  it('reports the configured latency and never touches the clock', () => {
    const sim = makeSim({ latencyMs: (r) => (r.method === 'POST' ? 900 : 100) });
    expect(sim.handle(request('GET', `${SANDBOX}/payments`)).latencyMs).toBe(100);
    expect(sim.handle(request('POST', `${SANDBOX}/payments/create`, BUDI)).latencyMs).toBe(900);
    sim.setLatency(5);
    expect(sim.handle(request('GET', `${SANDBOX}/payments`)).latencyMs).toBe(5);
    expect(clock).toBe(START);
  });
});

describe('listing', () => {
  it('pages through 120 payments newest first with limit 50 and nextStartingAfter', () => {
    const sim = makeSim({ ratePerMinute: 1_000 });
    const created: string[] = [];
    for (let i = 0; i < 120; i++) {
      created.push(String(dataOf(create(sim, { name: `Customer ${i}`, amount: 10_000, extraData: { row: `r${i}` } })).id));
      advance(1_000);
    }
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    for (;;) {
      const query: string = `/payments?limit=50${cursor === null ? '' : `&startingAfter=${cursor}`}`;
      const page = get(sim, query);
      const items = listOf(page);
      pageSizes.push(items.length);
      seen.push(...items.map((item) => String(item.id)));
      if (page.json.hasMore !== true) {
        expect(page.json.nextStartingAfter).toBeNull();
        break;
      }
      expect(page.json.nextStartingAfter).toBe(String(items.at(-1)?.createdAt));
      cursor = String(page.json.nextStartingAfter);
    }
    expect(pageSizes).toEqual([50, 50, 20]);
    expect(seen).toEqual([...created].reverse());
  });

  it('defaults to 10, caps at 50, filters by status and carries the documented item fields', () => {
    const sim = makeSim({ ratePerMinute: 1_000 });
    for (let i = 0; i < 60; i++) {
      create(sim, { name: `C${i}`, amount: 1_000, email: `c${i}@example.com`, extraData: { row: `r${i}` } });
      advance(10);
    }
    expect(listOf(get(sim, '/payments'))).toHaveLength(10);
    expect(listOf(get(sim, '/payments?limit=500'))).toHaveLength(50);

    const first = sim.payments()[0];
    if (!first) throw new Error('no payment');
    sim.markPaid(first.id);
    const paid = listOf(get(sim, '/payments?status=paid'));
    expect(paid.map((p) => p.id)).toEqual([first.id]);
    expect(paid[0]).toMatchObject({
      id: first.id,
      name: 'C0',
      amount: 1_000,
      description: '',
      createdAt: START,
      status: 'paid',
      link: first.slug,
      transactions: [{ id: first.transactions[0]?.id, extraData: { row: 'r0' } }],
    });
    expect(get(sim, '/payments?status=bogus').json.messages).toBe('failed');
  });

  it('does not show another environment’s payments', () => {
    const sim = makeSim();
    create(sim, BUDI, PRODUCTION, PRODUCTION_KEY);
    expect(listOf(get(sim, '/payments'))).toEqual([]);
  });
});

describe('detail, transactions, expiry and payment', () => {
  it('shows a payment request with only the documented fields, 404 when unknown', () => {
    const sim = makeSim({ merchant: 'tokobudi' });
    const created = dataOf(create(sim, BUDI));
    const detail = dataOf(get(sim, `/payments/${String(created.id)}`));
    expect(detail).toEqual({
      id: created.id,
      link: expect.stringMatching(/^[a-z0-9]{10}$/),
      name: BUDI.name,
      amount: BUDI.amount,
      status: 'unpaid',
      description: '',
      transactions: [{ id: created.transactionId }],
      linkUrl: created.link,
      linkPayment: created.link,
      createdAt: START,
    });
    expect(String(created.link).endsWith(`/pl/${String(detail.link)}`)).toBe(true);
    expect(get(sim, '/payments/00000000-0000-4000-8000-000000000000').json).toEqual({ statusCode: 404, messages: 'Product not found' });
    expect(get(sim, '/transactions/00000000-0000-4000-8000-000000000000').status).toBe(404);
  });

  it('expires an unpaid transaction at expiredAt, while the payment stays unpaid', () => {
    const sim = makeSim();
    const expiredAt = new Date(START + 10 * 60_000).toISOString();
    const created = dataOf(create(sim, { ...BUDI, expiredAt, extraData: { row: 'r1' } }));
    const txPath = `/transactions/${String(created.transactionId)}`;
    const tx = dataOf(get(sim, txPath));
    expect(tx).toEqual({
      status: 'unpaid',
      amount: BUDI.amount,
      extraData: { row: 'r1' },
      paymentMethod: null,
      customer: { name: BUDI.name, email: BUDI.email, mobile: BUDI.mobile },
      paymentLink: { id: created.id },
      expirationDate: Date.parse(expiredAt),
      updatedAt: START,
    });

    advance(10 * 60_000 - 1);
    expect(dataOf(get(sim, txPath)).status).toBe('unpaid');
    advance(1);
    expect(dataOf(get(sim, txPath)).status).toBe('expired');
    expect(dataOf(get(sim, `/payments/${String(created.id)}`)).status).toBe('unpaid');
    expect(sim.transactionStatus(String(created.transactionId))).toBe('expired');
  });

  it('pay marks the transaction paid with updatedAt = now and the chosen method', () => {
    const sim = makeSim();
    const created = dataOf(create(sim, BUDI));
    advance(120_000);
    sim.pay(String(created.id), { method: 'va/bni' });
    const tx = dataOf(get(sim, `/transactions/${String(created.transactionId)}`));
    expect(tx).toMatchObject({ status: 'paid', updatedAt: START + 120_000, paymentMethod: 'va/bni' });
    expect(tx.paidAt).toBeUndefined();
    expect(dataOf(get(sim, `/payments/${String(created.id)}`)).status).toBe('paid');
    // Paid stays paid after the expiry time.
    advance(3_600_000);
    expect(dataOf(get(sim, `/transactions/${String(created.transactionId)}`)).status).toBe('paid');
  });

  it('markPaid creates a transaction for a payment made without email', () => {
    const sim = makeSim();
    const created = dataOf(create(sim, { name: 'Sari', amount: 20_000, extraData: { row: 'r2' } }));
    sim.markPaid(String(created.id));
    const payment = sim.payment(String(created.id));
    expect(payment?.status).toBe('paid');
    expect(payment?.transactions).toHaveLength(1);
    const txId = payment?.transactions[0]?.id ?? '';
    expect(dataOf(get(sim, `/transactions/${txId}`))).toMatchObject({ status: 'paid', extraData: { row: 'r2' }, paymentMethod: 'qris' });
  });

  it('hands out copies, so tests cannot change the simulator by accident', () => {
    const sim = makeSim();
    const id = String(dataOf(create(sim, BUDI)).id);
    const view = sim.payment(id) as { status: string };
    view.status = 'paid';
    expect(sim.payment(id)?.status).toBe('unpaid');
    expect(sim.payment('nope')).toBeUndefined();
    expect(() => sim.markPaid('nope')).toThrow();
  });
});

describe('close', () => {
  it('closes an unpaid request with a reply without data, and again without complaint', () => {
    const sim = makeSim();
    const id = String(dataOf(create(sim, BUDI)).id);
    const first = post(sim, `/payments/${id}/close`);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ statusCode: 200, messages: 'success' });
    expect(listOf(get(sim, '/payments?status=closed')).map((p) => p.id)).toEqual([id]);
    expect(post(sim, `/payments/${id}/close`).json.messages).toBe('success');
  });

  it('refuses to close a paid request with HTTP 200 and messages "failed"', () => {
    const sim = makeSim();
    const id = String(dataOf(create(sim, BUDI)).id);
    sim.pay(id);
    const r = post(sim, `/payments/${id}/close`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ statusCode: 200, messages: 'failed' });
    expect(sim.payment(id)?.status).toBe('paid');
  });

  it('answers 404 "Product not found" for an unknown id', () => {
    const sim = makeSim();
    const r = post(sim, '/payments/00000000-0000-4000-8000-000000000000/close');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ statusCode: 404, messages: 'Product not found' });
  });

  it('has no open or update endpoint', () => {
    const sim = makeSim();
    const id = String(dataOf(create(sim, BUDI)).id);
    expect(post(sim, `/payments/${id}/open`).status).toBe(404);
    expect(post(sim, `/payments/${id}/update`, { amount: 1_000 }).status).toBe(404);
  });

  it('closeDirect closes whatever the state', () => {
    const sim = makeSim();
    const id = String(dataOf(create(sim, BUDI)).id);
    sim.closeDirect(id);
    expect(dataOf(get(sim, `/payments/${id}`)).status).toBe('closed');
  });
});

describe('webhooks and channels', () => {
  it('stores the webhook URL per environment and records test calls', () => {
    const sim = makeSim();
    expect(post(sim, '/webhooks/update', { urlHook: 'https://script.google.com/macros/s/x/exec?secret=s' }).json).toEqual({
      statusCode: 200,
      messages: 'success',
    });
    expect(sim.webhookUrl('sandbox')).toBe('https://script.google.com/macros/s/x/exec?secret=s');
    expect(sim.webhookUrl('production')).toBeUndefined();
    expect(post(sim, '/webhooks/update', {}).json).toEqual({ statusCode: 400, messages: 'urlHook is required' });
    expect(post(sim, '/webhooks/update', { urlHook: 'not a url' }).status).toBe(400);
    expect(post(sim, '/webhooks/test', { urlHook: 'https://example.com/h' }).status).toBe(200);
    expect(sim.webhookTests).toEqual([{ at: START, environment: 'sandbox', urlHook: 'https://example.com/h' }]);
  });

  it('records a delivery per payment once the account has a webhook URL, newest first, paged by the v2 cursor', () => {
    const sim = makeSim({ ratePerMinute: 1_000 });
    const before = String(dataOf(create(sim, BUDI)).id);
    sim.pay(before);
    expect(listOf(get(sim, '/webhooks/history'))).toEqual([]);
    post(sim, '/webhooks/update', { urlHook: 'https://example.com/hook?s=1' });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      ids.push(String(dataOf(create(sim, { name: `C${i}`, amount: 1_000, email: `c${i}@example.com` })).id));
      advance(1_000);
    }
    for (const id of ids) {
      sim.pay(id, { delivery: id === ids[59] ? 'FAILED' : 'SUCCESS' });
      advance(1_000);
    }
    const newest = listOf(get(sim, '/webhooks/history?limit=100'));
    expect(newest).toHaveLength(50);
    expect(newest.map((d) => d.paymentLinkId)).toEqual([...ids].reverse().slice(0, 50));
    expect(listOf(get(sim, '/webhooks/history'))).toHaveLength(10);
    // `page` is v1: v2 ignores it and answers page 1 again.
    expect(listOf(get(sim, '/webhooks/history?limit=50&page=2'))).toEqual(newest);
    const first = get(sim, '/webhooks/history?limit=50').json;
    expect(first).toMatchObject({ hasMore: true, nextStartingAfter: String(newest[49]?.createdAt) });
    const second = get(sim, `/webhooks/history?limit=50&startingAfter=${String(first.nextStartingAfter)}`).json;
    expect((second.data as Record<string, unknown>[]).map((d) => d.paymentLinkId)).toEqual([...ids].reverse().slice(50));
    expect(second).toMatchObject({ hasMore: false, nextStartingAfter: null });
    // Filters: type, status, startAt.
    expect(listOf(get(sim, '/webhooks/history?limit=50&status=FAILED')).map((d) => d.paymentLinkId)).toEqual([ids[59]]);
    expect(listOf(get(sim, '/webhooks/history?limit=50&type=payment.reminder'))).toEqual([]);
    expect(listOf(get(sim, `/webhooks/history?limit=50&startAt=${String(newest[2]?.createdAt)}`))).toHaveLength(3);
    expect(get(sim, '/webhooks/history?startAt=yesterday').json).toMatchObject({ statusCode: 400 });
    const failed = newest[0] ?? {};
    expect(Object.keys(failed).sort()).toEqual(
      [
        'createdAt',
        'id',
        'nextDelivery',
        'payload',
        'paymentLinkId',
        'paymentLinkTransactionId',
        'responsePayload',
        'source',
        'status',
        'type',
        'updatedAt',
        'urlDestination',
        'userId',
      ].sort(),
    );
    expect(failed).toMatchObject({ status: 'FAILED', type: 'payment.received', urlDestination: 'https://example.com/hook?s=1' });
    expect(typeof failed.createdAt).toBe('number');
    expect(typeof failed.nextDelivery).toBe('number');
    expect(newest[1]).toMatchObject({ status: 'SUCCESS', nextDelivery: null });
    const payload = JSON.parse(String(failed.payload)) as { event: string; data: { productId: string; transactionId: string } };
    expect(payload.event).toBe('payment.received');
    expect(payload.data.productId).toBe(ids[59]);
    expect(payload.data.transactionId).toBe(sim.payment(ids[59] ?? '')?.transactions[0]?.id);
    expect(sim.webhookDeliveries()).toHaveLength(60);
    expect(get(sim, '/webhooks/history', PRODUCTION, PRODUCTION_KEY).json.data).toEqual([]);
  });

  it('lists paid transactions (GET /transactions) newest first, when they settle, with the cursor and filters', () => {
    const sim = makeSim({ ratePerMinute: 1_000 });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push(String(dataOf(create(sim, { name: `C${i}`, amount: 1_000 + i, email: `c${i}@example.com` })).id));
      advance(1_000);
    }
    const paidAt: number[] = [];
    for (const id of ids.slice(0, 11)) {
      sim.pay(id, { method: 'qris' });
      paidAt.push(clock);
      advance(60_000);
    }
    const page = get(sim, '/transactions?limit=5');
    const items = listOf(page);
    expect(items.map((t) => t.paymentLinkId)).toEqual(ids.slice(6, 11).reverse());
    expect(page.json).toMatchObject({ hasMore: true, nextStartingAfter: String(items[4]?.createdAt) });
    const item = items[0] ?? {};
    expect(Object.keys(item).sort()).toEqual(
      [
        'id',
        'credit',
        'status',
        'balanceHistoryType',
        'paymentMethod',
        'customerId',
        'createdAt',
        'paymentLinkTransactionId',
        'fee',
        'paymentLinkId',
        'paymentLinkTransaction',
        'customer',
        'paymentLink',
      ].sort(),
    );
    const tx = sim.payment(ids[10] ?? '')?.transactions[0];
    expect(item).toMatchObject({ credit: 1_010, status: 'settled', paymentLinkTransactionId: tx?.id, paymentLinkTransaction: { id: tx?.id } });
    expect(item.id).not.toBe(tx?.id);
    // createdAt is when the payment settled: a little after it was paid.
    expect(Number(item.createdAt) - (paidAt[10] ?? 0)).toBeGreaterThan(0);
    expect(Number(item.createdAt) - (paidAt[10] ?? 0)).toBeLessThan(60_000);
    const next = listOf(get(sim, `/transactions?limit=5&startingAfter=${String(page.json.nextStartingAfter)}`));
    expect(next.map((t) => t.paymentLinkId)).toEqual(ids.slice(1, 6).reverse());
    expect(listOf(get(sim, `/transactions?limit=50&paymentLinkId=${ids[3] ?? ''}`)).map((t) => t.paymentLinkId)).toEqual([ids[3]]);
    expect(listOf(get(sim, `/transactions?limit=50&startAt=${paidAt[8] ?? 0}`))).toHaveLength(3);
    expect(listOf(get(sim, `/transactions?limit=50&endAt=${paidAt[1] ?? 0}`))).toHaveLength(1);
    expect(get(sim, '/transactions?startAt=soon').json).toMatchObject({ statusCode: 400 });
    // A payment made this instant is not in the list until it settles.
    sim.pay(ids[11] ?? '');
    expect(listOf(get(sim, '/transactions?limit=1'))[0]?.paymentLinkId).toBe(ids[10]);
    expect(get(sim, '/transactions', PRODUCTION, PRODUCTION_KEY).json.data).toEqual([]);
  });

  it('answers the payment channels as one object with config[], codes upper-case, a card with code null', () => {
    const sim = makeSim();
    const data = dataOf(get(sim, '/payment-channels'));
    expect(Array.isArray(data)).toBe(false);
    const config = data.config as Record<string, unknown>[];
    expect(config.map((c) => c.code)).toEqual(expect.arrayContaining(['QRIS', 'MANDIRI', 'OVO', 'ALFAMART', 'QRIS_STATIC', null]));
    expect(Object.keys(config[0] ?? {}).sort()).toEqual(['code', 'img', 'name', 'status', 'type']);
    expect(config.every((c) => c.status === 'enabled')).toBe(true);
    sim.setChannelStatus('OVO', 'disabled');
    expect((dataOf(get(sim, '/payment-channels')).config as Record<string, unknown>[]).find((c) => c.code === 'OVO')?.status).toBe('disabled');
  });

  it('creates with an enabled channel code as listed, and refuses a disabled, unknown or lower-case one', () => {
    const sim = makeSim({ ratePerMinute: 1_000 });
    expect(create(sim, { ...BUDI, paymentMethod: 'QRIS' }).json.messages).toBe('success');
    sim.setChannelStatus('OVO', 'disabled');
    for (const [i, method] of ['OVO', 'GOPAY', 'qris'].entries()) {
      const r = create(sim, { name: `C${i}`, amount: 1_000, paymentMethod: method });
      expect(r.json.messages).toBe('failed');
      expect(r.json.data).toEqual([expect.objectContaining({ field: 'paymentMethod' })]);
    }
  });

  it('builds the payment.received payload', () => {
    const sim = makeSim();
    const created = dataOf(create(sim, { ...BUDI, description: 'Invoice 7' }));
    advance(5_000);
    sim.markPaid(String(created.id), { method: 'ewallet/gopay' });
    const body = JSON.parse(sim.webhookBody(String(created.id))) as { data: { id: string } };
    // data.id is the webhook's own id (the docs' field table), not the transaction's.
    expect(body.data.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body.data.id).not.toBe(created.transactionId);
    expect(body.data.id).not.toBe(created.id);
    expect(body).toEqual({
      event: 'payment.received',
      data: {
        id: body.data.id,
        transactionId: created.transactionId,
        status: 'SUCCESS',
        transactionStatus: 'paid',
        createdAt: new Date(START).toISOString(),
        updatedAt: new Date(START + 5_000).toISOString(),
        customerName: BUDI.name,
        customerEmail: BUDI.email,
        customerMobile: BUDI.mobile,
        amount: BUDI.amount,
        productId: created.id,
        productName: 'Invoice 7',
        productType: 'payment_request',
        paymentMethod: 'ewallet/gopay',
      },
    });
  });
});

describe('inspection', () => {
  it('logs every request and counts creates by row key and by content', () => {
    const sim = makeSim({ ratePerMinute: 1_000 });
    create(sim, { name: 'A', amount: 1_000, description: 'x', extraData: { row: 'r1' } });
    advance(61_000);
    create(sim, { name: 'A', amount: 1_000, description: 'x', extraData: { row: 'r1' } });
    create(sim, { name: 'B', amount: 2_000, extraData: { row: 'r2' } });
    create(sim, { name: 'C', amount: 3_000 });
    get(sim, '/payments?limit=5');
    expect(sim.createCount()).toBe(4);
    expect(sim.createdPayments().map((p) => p.name)).toEqual(['A', 'A', 'B', 'C']);
    expect(sim.createsBy('row')).toEqual(
      new Map([
        ['r1', 2],
        ['r2', 1],
      ]),
    );
    expect(sim.createsByContent()).toEqual(
      new Map([
        ['A|1000|x', 2],
        ['B|2000|', 1],
        ['C|3000|', 1],
      ]),
    );
    expect(sim.requests).toHaveLength(5);
    expect(sim.requests.at(-1)).toMatchObject({
      at: START + 61_000,
      method: 'GET',
      path: '/hl/v2/payments',
      query: '?limit=5',
      status: 200,
      keyEnvironment: 'sandbox',
    });
  });

  it('exposes handle() as a bound handler', () => {
    const sim = makeSim();
    const { handler } = sim;
    expect(reply(handler(request('GET', `${SANDBOX}/payments`))).status).toBe(200);
  });
});

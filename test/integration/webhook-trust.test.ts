/**
 * The webhook on the built bundle, tried as whoever holds its URL would: a body only says where
 * to look, and only Mayar's own records (the transaction of that row's payment, for that row's
 * amount) make a row Paid. Forged posts cost no Mayar call, keep nothing oversized, and leave
 * the Mayar Log readable.
 */
import { describe, expect, it } from 'vitest';
import type { Execution } from '../../tools/apps-script/gas-runtime';
import { customers, SHEET, World } from '../support/world';

const LOG_SHEET = 'Mayar Log';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function withLinks(n: number): { world: World; ids: string[]; txs: string[] } {
  const world = new World({ rows: customers(n) });
  world.run('createPaymentLinks');
  world.driveToEnd();
  const ids = world.column('Payment ID').map(String);
  const txs = world.column('Transaction ID').map(String);
  expect(world.column('Status').every((s) => s === 'Unpaid')).toBe(true);
  // The window the creates used is over: the webhook's reads are not held back by them.
  world.runtime.advance(2 * MINUTE);
  return { world, ids, txs };
}

function webhookToken(world: World): string {
  const settings = world.run('getSettings').value as { webhookUrl: string };
  return new URL(settings.webhookUrl).searchParams.get('token') as string;
}

function post(world: World, token: string, body: string): { execution: Execution; answer: Record<string, unknown> } {
  const execution = world.runtime.post({ token }, body);
  expect(execution.error).toBeUndefined();
  const output = execution.value as { getContent(): string };
  return { execution, answer: JSON.parse(output.getContent()) as Record<string, unknown> };
}

/** Mayar's body for `paymentId`, with `data` changed as a forger would. */
function forged(world: World, paymentId: string, data: Record<string, unknown>): string {
  const body = JSON.parse(world.sim.webhookBody(paymentId)) as { event: string; data: Record<string, unknown> };
  return JSON.stringify({ ...body, data: { ...body.data, ...data } });
}

function webhookLog(world: World): Record<string, unknown>[] {
  try {
    return world.rows(LOG_SHEET).filter((r) => r.Action === 'webhook');
  } catch {
    return [];
  }
}

/** The Mayar requests since `since`, as "GET /hl/v2/…". */
function sent(world: World, since: number): string[] {
  return world.sim.requests.slice(since).map((r) => `${r.method} ${r.path}`);
}

function inboxKeys(world: World): string[] {
  return Object.keys(world.runtime.properties.document.all()).filter((k) => k.startsWith('mayar.inbox.'));
}

/** A uuid-like id no row has. */
function madeUp(i: number): string {
  return `0badf00d-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

describe('Webhook: only Mayar records of the row own payment make it Paid', () => {
  it("a body naming row 1's payment with row 2's (paid) transaction changes nothing, and is logged once", () => {
    const { world, ids, txs } = withLinks(2);
    const token = webhookToken(world);
    world.sim.pay(ids[1] as string);
    const before = world.sim.requests.length;

    const { answer } = post(world, token, forged(world, ids[0] as string, { transactionId: txs[1] }));

    expect(answer).toEqual({ ok: true, confirmed: false });
    expect(sent(world, before)).toEqual([`GET /hl/v2/transactions/${txs[1] ?? ''}`]);
    expect(world.column('Status')).toEqual(['Unpaid', 'Unpaid']);
    expect(world.header()).not.toContain('Paid At');
    const log = webhookLog(world);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ 'Payment ID': ids[0], Outcome: "Mayar's record is not this row's payment; row unchanged" });
    expect(String(log[0]?.Details)).toContain(ids[1]);
  });

  it('a made-up transaction id changes nothing: one read, one log line, not read again and again', () => {
    const { world, ids } = withLinks(1);
    const token = webhookToken(world);
    const before = world.sim.requests.length;

    const { answer } = post(world, token, forged(world, ids[0] as string, { transactionId: madeUp(1) }));
    world.runtime.advance(HOUR);

    expect(answer).toEqual({ ok: true, confirmed: false });
    expect(sent(world, before)).toEqual([`GET /hl/v2/transactions/${madeUp(1)}`]);
    expect(world.column('Status')).toEqual(['Unpaid']);
    expect(inboxKeys(world)).toEqual([]);
    expect(webhookLog(world).map((r) => r.Details)).toEqual([`Mayar has no transaction ${madeUp(1)}`]);
  });

  it("a paid transaction for another amount than the row's does not make the row Paid", () => {
    const { world, ids } = withLinks(1);
    const token = webhookToken(world);
    world.sim.pay(ids[0] as string);
    // The Amount was changed after the link went out: Mayar's payment is not for this amount.
    world.runtime.spreadsheet.typeRows(SHEET, [['Customer 1', '99000']], 2);

    const { answer } = post(world, token, world.sim.webhookBody(ids[0] as string));

    expect(answer).toEqual({ ok: true, confirmed: false });
    expect(world.column('Status')).toEqual(['Unpaid']);
    expect(String(webhookLog(world)[0]?.Details)).toMatch(/10100.*99000/);
  });

  it("Paid At is Mayar's time of payment, never the body's", () => {
    const { world, ids } = withLinks(1);
    const token = webhookToken(world);
    world.sim.pay(ids[0] as string);
    const paidAt = world.runtime.clock.now();
    world.runtime.advance(20 * MINUTE);

    const body = forged(world, ids[0] as string, { id: null, transactionId: null, updatedAt: '2025-01-01T00:00:00.000Z' });
    expect(post(world, token, body).answer).toEqual({ ok: true, confirmed: true });

    expect(world.column('Status')).toEqual(['Paid']);
    expect((world.column('Paid At')[0] as Date).getTime()).toBe(paidAt);
  });
});

describe('Webhook: a body with a productId and no transaction is confirmed by the payment request', () => {
  it('unpaid in Mayar: the row is unchanged, after exactly one payment-detail read', () => {
    const { world, ids } = withLinks(2);
    const token = webhookToken(world);
    const before = world.sim.requests.length;

    const { answer } = post(world, token, forged(world, ids[0] as string, { id: null, transactionId: null }));

    expect(answer).toEqual({ ok: true, confirmed: false });
    expect(sent(world, before)).toEqual([`GET /hl/v2/payments/${ids[0] ?? ''}`]);
    expect(world.column('Status')).toEqual(['Unpaid', 'Unpaid']);
    expect(webhookLog(world).map((r) => r.Outcome)).toEqual(['not paid according to Mayar; row unchanged']);
  });

  it('closed in Mayar: not Paid either', () => {
    const { world, ids } = withLinks(1);
    world.sim.closeDirect(ids[0] as string);

    const { answer } = post(world, webhookToken(world), forged(world, ids[0] as string, { id: null, transactionId: null }));

    expect(answer).toEqual({ ok: true, confirmed: false });
    expect(world.column('Status')).toEqual(['Unpaid']);
  });

  it('paid in Mayar: Paid, with the time of its transaction', () => {
    const { world, ids, txs } = withLinks(2);
    const token = webhookToken(world);
    world.sim.pay(ids[1] as string);
    const paidAt = world.runtime.clock.now();
    world.runtime.advance(MINUTE);
    const before = world.sim.requests.length;

    const { answer } = post(world, token, forged(world, ids[1] as string, { id: null, transactionId: null }));

    expect(answer).toEqual({ ok: true, confirmed: true });
    expect(sent(world, before)).toEqual([`GET /hl/v2/payments/${ids[1] ?? ''}`, `GET /hl/v2/transactions/${txs[1] ?? ''}`]);
    expect(world.column('Status')).toEqual(['Unpaid', 'Paid']);
    expect((world.column('Paid At')[1] as Date).getTime()).toBe(paidAt);
  });
});

describe('Webhook: whoever holds the URL', () => {
  it('an oversized body or ids that are not Mayar ids: refused before anything is kept, no Mayar call', () => {
    const { world, ids } = withLinks(1);
    const token = webhookToken(world);
    const before = world.sim.requests.length;
    const id = ids[0] as string;

    const big = forged(world, id, { productName: 'x'.repeat(20_000) });
    const bad = [`${id}/close`, '../payments', 'a b', 'x'.repeat(65), `${id}.`];
    const answers = [
      post(world, token, big).answer,
      ...bad.map((productId) => post(world, token, forged(world, id, { productId })).answer),
      post(world, token, forged(world, id, { transactionId: '../../payments/x' })).answer,
    ];

    expect(answers[0]).toEqual({ ok: false, error: 'too large' });
    for (const answer of answers.slice(1)) expect(answer).toEqual({ ok: false, error: 'malformed body' });
    expect(sent(world, before)).toEqual([]);
    expect(inboxKeys(world)).toEqual([]);
    expect(world.column('Status')).toEqual(['Unpaid']);
    // One line for all of them (a count), not one per post.
    expect(webhookLog(world)).toHaveLength(1);
  });

  it('one confirming read per payment per 10 minutes, however many webhooks name it', () => {
    const { world, ids } = withLinks(1);
    const token = webhookToken(world);
    const before = world.sim.requests.length;

    for (let i = 0; i < 30; i++) {
      post(world, token, forged(world, ids[0] as string, { transactionId: madeUp(i) }));
      world.runtime.advance(10_000);
    }
    // 30 posts in 5 minutes: one read; the last one waits for its turn.
    expect(sent(world, before)).toHaveLength(1);
    world.sim.pay(ids[0] as string);
    world.runtime.advance(4 * MINUTE);
    expect(sent(world, before)).toHaveLength(1);
    world.runtime.advance(3 * MINUTE);
    expect(sent(world, before)).toEqual([`GET /hl/v2/transactions/${madeUp(0)}`, `GET /hl/v2/transactions/${madeUp(29)}`]);
    expect(world.column('Status')).toEqual(['Unpaid']);
    expect(inboxKeys(world)).toEqual([]);
  });

  it('payments in no row: no Mayar call, one count line at once, the rest counted in one line by the hourly pass', () => {
    const { world } = withLinks(1);
    const token = webhookToken(world);
    world.run('saveSettings', [{ autoRefresh: true }]);
    const before = world.sim.requests.length;
    const stray = (i: number) => JSON.stringify({ event: 'payment.received', data: { productId: madeUp(i), transactionId: madeUp(100 + i) } });

    for (let i = 0; i < 12; i++) expect(post(world, token, stray(i)).answer).toEqual({ ok: true, found: false });

    expect(sent(world, before)).toEqual([]);
    const line = (count: number) => `webhooks for payments in no row in the last hour: ${count}; nothing asked of Mayar`;
    expect(webhookLog(world).map((r) => r.Outcome)).toEqual([line(1)]);
    world.runtime.advance(HOUR + 2 * MINUTE);
    expect(webhookLog(world).map((r) => r.Outcome)).toEqual([line(1), line(11)]);
    expect(String(webhookLog(world)[1]?.Details)).toBe(`${madeUp(11)} ${madeUp(111)}`);
    expect(inboxKeys(world)).toEqual([]);
  });

  it('while a run holds the lock: at most 200 webhooks kept, the rest left to the refresh; none fails', () => {
    const { world } = withLinks(1);
    const token = webhookToken(world);
    world.runtime.lock.holdSpreadsheetLock('a long batch');
    const answers: Record<string, unknown>[] = [];
    for (let i = 0; i < 210; i++) {
      answers.push(post(world, token, JSON.stringify({ event: 'payment.received', data: { productId: madeUp(i) } })).answer);
    }
    expect(answers.filter((a) => a.queued === true)).toHaveLength(200);
    expect(answers.slice(200)).toEqual(Array.from({ length: 10 }, () => ({ ok: true, error: 'busy' })));
    expect(inboxKeys(world)).toHaveLength(200);

    world.runtime.lock.releaseSpreadsheetLock();
    const before = world.sim.requests.length;
    world.runtime.advance(2 * MINUTE);
    expect(inboxKeys(world)).toEqual([]);
    expect(sent(world, before)).toEqual([]);
    expect(webhookLog(world).length).toBeLessThanOrEqual(2);
  });

  it('hundreds of forged posts during a create run: same pace, same requests, no failure, a readable log', () => {
    const n = 100;
    const drive = (forge: ((world: World, step: number) => Execution[]) | null) => {
      const world = new World({ rows: customers(n) });
      const start = world.runtime.clock.now();
      world.run('createPaymentLinks');
      const posts: Execution[] = [];
      for (let step = 0; step < 500; step++) {
        const execution = world.runtime.run('processNextBatch', []);
        expect(execution.error).toBeUndefined();
        const view = (execution.value ?? {}) as { done?: boolean; waitMs?: number };
        if (view.done === true) return { world, posts, minutes: (world.runtime.clock.now() - start) / MINUTE, requests: world.sim.requests.length };
        // The posts arrive while the run waits for the next rate window, as they would beside it.
        const waitStart = world.runtime.clock.now();
        if (forge) posts.push(...forge(world, step));
        world.runtime.advance(Math.max(1, (view.waitMs ?? 1000) - (world.runtime.clock.now() - waitStart)));
      }
      throw new Error('the run did not finish');
    };
    const quiet = drive(null);
    let token = '';
    const busy = drive((world, step) => {
      token ||= webhookToken(world);
      const posts: Execution[] = [];
      for (let i = 0; i < 100; i++) {
        const k = step * 1000 + i;
        const body =
          i % 10 === 9
            ? JSON.stringify({ event: 'payment.received', data: { productId: 'y'.repeat(30_000) } })
            : JSON.stringify({ event: 'payment.received', data: { id: madeUp(k), productId: madeUp(k), transactionId: madeUp(k + 50), status: 'SUCCESS' } });
        posts.push(world.runtime.post({ token }, body));
      }
      return posts;
    });

    expect(busy.posts.length).toBeGreaterThanOrEqual(300);
    for (const execution of busy.posts) expect(execution.error).toBeUndefined();
    expect(busy.requests).toBe(quiet.requests);
    expect(busy.minutes).toBe(quiet.minutes);
    expect(busy.world.column('Status').every((s) => s === 'Unpaid')).toBe(true);
    expect(busy.world.column('Payment ID').every((id) => /\S/.test(String(id)))).toBe(true);
    // Two lines (one count of payments in no row, one of bodies refused), not one per post.
    const log = webhookLog(busy.world);
    expect(log.length).toBeLessThanOrEqual(2);
    expect(log.map((r) => r.Outcome)).toContain('webhooks for payments in no row in the last hour: 1; nothing asked of Mayar');
    expect(inboxKeys(busy.world)).toEqual([]);
  });
});

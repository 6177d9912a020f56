/**
 * Refresh at the scale of a real customer list, on the built bundle against the Mayar
 * simulator (documented fields only): pages of Mayar's list instead of one read per row, the
 * webhook history read first, Expired from the expiry the add-on sent, the hourly refresh
 * within its budget, and a Create that does not wait for a refresh.
 */
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../tools/mayar/mayar-simulator';
import { customers, SHEET, World } from '../support/world';
import { busiestMinute } from './soundness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const HEADER = ['Name', 'Amount', 'Email', 'Description', 'Expires At', 'Payment Link', 'Payment ID', 'Transaction ID', 'Status', 'Error'];

interface Made {
  id: string;
  transactionId: string;
  link: string;
}

/** A payment made in Mayar directly (as an earlier run of the add-on did), 3 seconds after the last. */
function makePayment(world: World, body: Record<string, unknown>): Made {
  world.runtime.advance(3_000);
  const outcome = world.sim.handler({
    url: 'https://api.mayar.io/hl/v2/payments/create',
    method: 'POST',
    headers: { Authorization: `Bearer ${world.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (outcome.kind !== 'response' || outcome.status !== 200) throw new Error(`create failed: ${JSON.stringify(outcome)}`);
  const data = (JSON.parse(outcome.body) as { data: { id: string; transactionId: string; link: string } }).data;
  return { id: data.id, transactionId: data.transactionId, link: data.link };
}

interface Invoice {
  expiry: string;
  status?: string;
}

/** A sheet whose links an earlier run made: one row per invoice, its payment in Mayar. */
function sheetWithLinks(
  invoices: readonly Invoice[],
  options: { olderPayments?: number; webhook?: boolean; rate?: number } = {},
): { world: World; made: Made[] } {
  const world = new World({ ratePerMinute: options.rate ?? 20 });
  world.sim.setRateLimit(1_000_000);
  if (options.webhook) world.sim.setWebhookUrl('sandbox', 'https://script.google.com/macros/s/AKfy-test/exec?token=x');
  const made: Made[] = [];
  const rows: string[][] = [HEADER];
  invoices.forEach((invoice, i) => {
    const amount = 10_000 + (i + 1) * 100;
    const payment = makePayment(world, {
      name: 'Penagihan',
      amount,
      email: `customer${i + 1}@example.com`,
      description: `Invoice ${i + 1}`,
      expiredAt: `${invoice.expiry}T23:59:59+07:00`,
    });
    made.push(payment);
    rows.push([
      `Customer ${i + 1}`,
      String(amount),
      `customer${i + 1}@example.com`,
      `Invoice ${i + 1}`,
      invoice.expiry,
      payment.link,
      payment.id,
      payment.transactionId,
      invoice.status ?? 'Unpaid',
      '',
    ]);
  });
  // Payments made later for other customers: the sheet's own are further down Mayar's list.
  for (let i = 0; i < (options.olderPayments ?? 0); i++) makePayment(world, { name: 'Penagihan', amount: 700_000 + i, email: `other${i}@example.com` });
  world.runtime.spreadsheet.typeRows(SHEET, rows);
  world.sim.setRateLimit(options.rate ?? 20);
  world.runtime.advance(2 * MINUTE);
  return { world, made };
}

function sentSince(world: World, since: number): RequestLogEntry[] {
  return world.sim.requests.slice(since);
}

function kindOf(r: RequestLogEntry): string {
  if (r.path.endsWith('/webhooks/history')) return 'history';
  if (r.path.endsWith('/payments')) return 'list';
  if (r.path.endsWith('/transactions')) return 'paid list';
  if (r.path.endsWith('/payments/create')) return 'create';
  if (/\/transactions\/[^/]+$/.test(r.path)) return 'transaction';
  if (/\/payments\/[^/]+$/.test(r.path)) return 'payment';
  return r.path;
}

function logRows(world: World): Record<string, unknown>[] {
  try {
    return world.rows('Mayar Log');
  } catch {
    return [];
  }
}

/** Clicks Refresh payment status and follows it like the open sidebar; returns when it is done. */
function refresh(world: World): Record<string, unknown> {
  const click = world.run('refreshPaymentStatus').value as Record<string, unknown>;
  return click.done === true ? click : world.driveToEnd().last;
}

describe('Refresh at scale', () => {
  it('reads 1,000 rows of paid, unpaid, expired and closed right with the history and 20 list pages', () => {
    // Row i: paid (its webhook never arrived), closed in the dashboard, past its expiry,
    // already Paid in the sheet, or unpaid.
    const kind = (i: number): string => ['paid', 'closed', 'expired', 'final', 'unpaid', 'unpaid', 'unpaid', 'unpaid', 'unpaid', 'unpaid'][i % 10] as string;
    const invoices = Array.from({ length: 1000 }, (_, i) => ({
      expiry: kind(i) === 'expired' ? '2026-11-26' : '2026-12-31',
      ...(kind(i) === 'final' ? { status: 'Paid' } : {}),
    }));
    const { world, made } = sheetWithLinks(invoices, { webhook: true });
    const paidTimes = new Map<number, number>();
    made.forEach((payment, i) => {
      if (kind(i) === 'paid') {
        world.runtime.advance(1_000);
        paidTimes.set(i, world.runtime.clock.now());
        world.sim.pay(payment.id, { delivery: 'FAILED' });
      }
      if (kind(i) === 'closed') world.sim.closeDirect(payment.id);
    });
    world.runtime.advance(2 * 24 * HOUR); // the expired rows' expiry (26 November) has passed
    const before = world.sim.requests.length;
    const startedAt = world.runtime.clock.now();

    const last = refresh(world);

    const sent = sentSince(world, before);
    const kinds = sent.map(kindOf);
    // The history first (100 deliveries: two pages by the cursor, the second without more), then the list.
    expect(kinds.slice(0, 3)).toEqual(['history', 'history', 'list']);
    expect(sent.filter((r) => kindOf(r) === 'history').map((r) => r.query.includes('startingAfter='))).toEqual([false, true]);
    expect(kinds.filter((k) => k === 'list')).toHaveLength(20);
    expect(kinds.filter((k) => k !== 'history' && k !== 'list')).toEqual([]);
    expect(sent.length).toBeLessThanOrEqual(30);
    expect(world.runtime.clock.now() - startedAt).toBeLessThanOrEqual(3 * MINUTE);
    expect(busiestMinute(sent)).toBeLessThanOrEqual(20);

    const statuses = world.column('Status');
    const paidAt = world.column('Paid At');
    const expected = { paid: 'Paid', closed: 'Closed', expired: 'Expired', final: 'Paid', unpaid: 'Unpaid' } as const;
    for (let i = 0; i < 1000; i++) {
      expect(statuses[i], `row ${i + 2}`).toBe(expected[kind(i) as keyof typeof expected]);
      if (kind(i) === 'paid') expect((paidAt[i] as Date).getTime(), `row ${i + 2}`).toBe(paidTimes.get(i));
      else expect(paidAt[i], `row ${i + 2}`).toBe('');
    }
    expect(last).toMatchObject({ done: true, paid: 200, closed: 100, expired: 100, unpaid: 600 });
    // One log line per change of status, none for the 600 rows that stayed Unpaid.
    expect(logRows(world).filter((r) => r.Action === 'refresh status')).toHaveLength(300);
  });

  it('times 200 paid rows of 1,000 with the paid transactions list when no webhook was delivered: 25 reads, Paid At within a minute', () => {
    // 200 paid, 50 closed, 100 expired, 650 unpaid; the account has no webhook URL.
    const kind = (i: number): string => (i % 5 === 0 ? 'paid' : i % 20 === 1 ? 'closed' : i % 10 === 3 ? 'expired' : 'unpaid');
    const invoices = Array.from({ length: 1000 }, (_, i) => ({ expiry: kind(i) === 'expired' ? '2026-11-26' : '2026-12-31' }));
    const { world, made } = sheetWithLinks(invoices);
    const paidTimes = new Map<number, number>();
    made.forEach((payment, i) => {
      if (kind(i) === 'paid') {
        world.runtime.advance(7_000);
        paidTimes.set(i, world.runtime.clock.now());
        world.sim.pay(payment.id);
      }
      if (kind(i) === 'closed') world.sim.closeDirect(payment.id);
    });
    world.runtime.advance(2 * 24 * HOUR);
    const before = world.sim.requests.length;
    const startedAt = world.runtime.clock.now();

    const last = refresh(world);

    const sent = sentSince(world, before);
    const kinds = sent.map(kindOf);
    // The (empty) history, 20 list pages, then the paid list from the oldest paid row's creation.
    expect(kinds.filter((k) => k === 'history')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'list')).toHaveLength(20);
    expect(kinds.filter((k) => k === 'paid list')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'transaction' || k === 'payment')).toEqual([]);
    expect(sent.length).toBeLessThanOrEqual(30);
    expect(world.runtime.clock.now() - startedAt).toBeLessThanOrEqual(3 * MINUTE);
    expect(sent.find((r) => kindOf(r) === 'paid list')?.query).toContain(`startAt=${String(world.sim.payment(made[0]?.id ?? '')?.createdAt)}`);

    const statuses = world.column('Status');
    const paidAt = world.column('Paid At');
    const expected = { paid: 'Paid', closed: 'Closed', expired: 'Expired', unpaid: 'Unpaid' } as const;
    for (let i = 0; i < 1000; i++) {
      expect(statuses[i], `row ${i + 2}`).toBe(expected[kind(i) as keyof typeof expected]);
      if (kind(i) !== 'paid') expect(paidAt[i], `row ${i + 2}`).toBe('');
      else {
        const gap = (paidAt[i] as Date).getTime() - (paidTimes.get(i) ?? 0);
        expect(gap, `row ${i + 2}`).toBeGreaterThanOrEqual(0);
        expect(gap, `row ${i + 2}`).toBeLessThanOrEqual(MINUTE);
      }
    }
    expect(last).toMatchObject({ done: true, paid: 200, closed: 50, expired: 100, unpaid: 650 });
  });

  it('catches up 120 payments made over 3 days whose webhooks all FAILED in at most 15 reads, by the history cursor', () => {
    const invoices = Array.from({ length: 120 }, () => ({ expiry: '2026-12-31' }));
    const { world, made } = sheetWithLinks(invoices, { webhook: true });
    const paidTimes: number[] = [];
    for (const payment of made) {
      world.runtime.advance(36 * MINUTE); // 120 payments over 3 days
      paidTimes.push(world.runtime.clock.now());
      world.sim.pay(payment.id, { delivery: 'FAILED' });
    }
    world.runtime.advance(HOUR);
    const before = world.sim.requests.length;

    refresh(world);

    const sent = sentSince(world, before);
    expect(sent.length).toBeLessThanOrEqual(15);
    // Three pages of history, each after the last by the cursor (v2 answers `page` with page 1 again).
    const history = sent.filter((r) => kindOf(r) === 'history');
    expect(history).toHaveLength(3);
    expect(history.map((r) => r.query.includes('page='))).toEqual([false, false, false]);
    expect(sent.filter((r) => kindOf(r) === 'transaction')).toEqual([]);
    expect(world.column('Status').every((s) => s === 'Paid')).toBe(true);
    world.column('Paid At').forEach((at, i) => expect((at as Date).getTime(), `row ${i + 2}`).toBe(paidTimes[i]));
  });

  it('reads a paid-list entry in a status the docs do not list without failing the reply: the row is not timed by it, the log says so', () => {
    const { world, made } = sheetWithLinks([{ expiry: '2026-12-31' }, { expiry: '2026-12-31' }, { expiry: '2026-12-31' }]);
    world.sim.pay(made[0]?.id ?? '');
    const firstPaid = world.runtime.clock.now();
    world.runtime.advance(MINUTE);
    world.sim.pay(made[1]?.id ?? '');
    world.sim.setSettlementStatus(made[1]?.id ?? '', 'on hold');
    world.runtime.advance(10 * MINUTE);
    const before = world.sim.requests.length;

    refresh(world);

    // The paid list timed the settled row; the other one's own transaction was read.
    expect(sentSince(world, before).map(kindOf)).toEqual(['history', 'list', 'paid list', 'transaction']);
    expect(world.column('Status')).toEqual(['Paid', 'Paid', 'Unpaid']);
    expect((world.column('Paid At')[0] as Date).getTime() - firstPaid).toBeLessThanOrEqual(MINUTE);
    expect((world.column('Paid At')[1] as Date).getTime()).toBe(world.sim.payment(made[1]?.id ?? '')?.transactions[0]?.updatedAt);
    const notes = logRows(world).filter((r) => String(r.Details).includes('"on hold"'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ Outcome: 'unchanged', 'Payment ID': made[1]?.id });
  });

  it('reads a paid row older than the list reaches on its own, with the time Mayar gives', () => {
    const { world, made } = sheetWithLinks([{ expiry: '2026-12-31' }, { expiry: '2026-12-31' }], { olderPayments: 120 });
    const old = made[0] as Made;
    world.sim.pay(old.id);
    const paidAt = world.runtime.clock.now();
    world.runtime.advance(10 * MINUTE);
    const before = world.sim.requests.length;

    refresh(world);

    // The first page holds only other customers' payments: with two rows missing, a second
    // page that answers nothing too is where reading them one by one becomes cheaper.
    expect(sentSince(world, before).map((r) => `${kindOf(r)} ${r.path.split('/').pop() ?? ''}`)).toEqual([
      'history history',
      'list payments',
      'list payments',
      `payment ${old.id}`,
      `transaction ${old.transactionId}`,
      `payment ${made[1]?.id ?? ''}`,
    ]);
    expect(world.column('Status')).toEqual(['Paid', 'Unpaid']);
    expect((world.column('Paid At')[0] as Date).getTime()).toBe(paidAt);
  });

  it('finds a webhook that never arrived (delivery FAILED) in the history, first, and takes its time', () => {
    const { world, made } = sheetWithLinks([{ expiry: '2026-12-31' }, { expiry: '2026-12-31' }, { expiry: '2026-12-31' }], { webhook: true });
    world.sim.pay(made[1]?.id ?? '', { delivery: 'FAILED' });
    const paidAt = world.runtime.clock.now();
    expect(world.sim.webhookDeliveries().map((d) => d.status)).toEqual(['FAILED']);
    world.runtime.advance(20 * MINUTE);
    const before = world.sim.requests.length;

    refresh(world);

    // Confirmed paid by Mayar's list; its time from the history, so no further read.
    expect(sentSince(world, before).map(kindOf)).toEqual(['history', 'list']);
    expect(world.column('Status')).toEqual(['Unpaid', 'Paid', 'Unpaid']);
    expect((world.column('Paid At')[1] as Date).getTime()).toBe(paidAt);

    // The next refresh reads the history from where this one stopped: only the new delivery.
    world.sim.pay(made[2]?.id ?? '', { delivery: 'FAILED' });
    const paidLater = world.runtime.clock.now();
    world.runtime.advance(5 * MINUTE);
    const next = world.sim.requests.length;
    refresh(world);
    expect(sentSince(world, next).map(kindOf)).toEqual(['history', 'list']);
    expect(world.column('Status')).toEqual(['Unpaid', 'Paid', 'Paid']);
    expect((world.column('Paid At')[2] as Date).getTime()).toBe(paidLater);
    expect(
      logRows(world)
        .filter((r) => r.Action === 'refresh status')
        .map((r) => r.Outcome),
    ).toEqual(['Paid', 'Paid']);
  });

  it('shows Expired for an unpaid row once the default expiry the add-on sent (and wrote in the blank cell) has passed', () => {
    const world = new World({ rows: customers(2, (i) => ({ expiry: i === 1 ? '' : '2026-12-31' })) });
    world.run('createPaymentLinks');
    world.driveToEnd();
    // The blank expiry cell now holds the default that was sent: 7 days from the click.
    const written = world.column('Expires At')[0];
    expect(written).toBeInstanceOf(Date);
    expect((written as Date).getTime()).toBe(world.sim.payments()[0]?.expiredAt);

    world.runtime.advance(6 * 24 * HOUR);
    refresh(world);
    expect(world.column('Status')).toEqual(['Unpaid', 'Unpaid']);

    world.runtime.advance(2 * 24 * HOUR);
    refresh(world);
    expect(world.column('Status')).toEqual(['Expired', 'Unpaid']);
    expect(world.column('Paid At')).toEqual(['', '']);
  });

  it('starts a Create clicked during a long refresh at once; the refresh resumes after it, and together they keep the rate', () => {
    // 60 rows, 45 paid without webhook, at 2 requests a minute: the history, 2 list pages and
    // the paid list take 2 minutes.
    const invoices = Array.from({ length: 60 }, () => ({ expiry: '2026-12-31' }));
    const { world, made } = sheetWithLinks(invoices, { rate: 2 });
    made.slice(0, 45).forEach((p) => world.sim.pay(p.id));
    world.runtime.advance(MINUTE);
    const before = world.sim.requests.length;
    const started = world.run('refreshPaymentStatus').value as Record<string, unknown>;
    expect(started).toMatchObject({ done: false, kind: 'refresh' });
    world.runtime.advance(30_000);

    // Two new customers typed below, and Create payment links clicked.
    world.runtime.spreadsheet.typeRows(
      SHEET,
      [
        ['New one', '99000', 'new1@example.com', 'New 1', '2026-12-31'],
        ['New two', '98000', 'new2@example.com', 'New 2', '2026-12-31'],
      ],
      62,
    );
    const clickedAt = world.runtime.clock.now();
    const click = world.run('createPaymentLinks').value as Record<string, unknown>;
    expect(world.alerts().filter((a) => a.includes('already in progress'))).toEqual([]);
    expect(click.kind).toBe('create');
    const { last } = click.done === true ? { last: click } : world.driveToEnd();
    expect(last).toMatchObject({ done: true, kind: 'create', created: 2 });
    const firstCreate = sentSince(world, before).find((r) => kindOf(r) === 'create');
    expect(firstCreate).toBeDefined();
    expect((firstCreate?.at ?? Infinity) - clickedAt).toBeLessThanOrEqual(MINUTE);

    // The refresh carries on by itself where it was.
    world.runtime.advance(10 * MINUTE);
    const progress = world.run('getProgress').value as Record<string, unknown>;
    expect(progress).toMatchObject({ done: true, kind: 'refresh', paid: 45 });
    const statuses = world.column('Status');
    expect(statuses.slice(0, 45).every((s) => s === 'Paid')).toBe(true);
    expect(statuses.slice(45)).toEqual([...Array(15).fill('Unpaid'), 'Unpaid', 'Unpaid']);
    const sent = sentSince(world, before);
    // The refresh's pages (one again after the create at most): never one read per row.
    expect(sent.filter((r) => kindOf(r) === 'list').length).toBeLessThanOrEqual(3);
    expect(sent.filter((r) => kindOf(r) === 'paid list')).toHaveLength(1);
    expect(sent.filter((r) => kindOf(r) === 'transaction')).toEqual([]);
    expect(busiestMinute(sent)).toBeLessThanOrEqual(2);
    expect(sent.every((r) => r.status === 200)).toBe(true);
  });

  // 300 rows keep the test quick; `npm run bench` runs the same over 1,000 (target: 1,000 UrlFetch calls a day).
  it('24 hours of automatic refresh over 300 unpaid rows cost one history read and 6 list pages an hour, and log nothing', () => {
    const invoices = Array.from({ length: 300 }, () => ({ expiry: '2026-12-31' }));
    const { world } = sheetWithLinks(invoices, { webhook: true });
    world.run('saveSettings', [{ autoRefresh: true }]);
    const fetchesBefore = world.runtime.stats.urlFetchCalls;
    const before = world.sim.requests.length;

    // The 24th hour's refresh has its 20 pages to read: a few minutes more to see it end.
    const fired = world.runtime.advance(24 * HOUR + 5 * MINUTE);

    for (const e of fired) expect(e.error).toBeUndefined();
    expect(fired.filter((e) => e.fn === 'hourlyTick')).toHaveLength(24);
    const fetches = world.runtime.stats.urlFetchCalls - fetchesBefore;
    expect(fetches).toBe(24 * 7);
    const sent = sentSince(world, before);
    // Each hour: the history, then 6 pages of the list; nothing read one by one.
    expect(sent.filter((r) => kindOf(r) === 'history')).toHaveLength(24);
    expect(sent.filter((r) => kindOf(r) === 'list')).toHaveLength(24 * 6);
    expect(sent.filter((r) => kindOf(r) === 'payment' || kindOf(r) === 'transaction')).toEqual([]);
    expect(busiestMinute(sent)).toBeLessThanOrEqual(20);
    expect(logRows(world).filter((r) => r.Action === 'refresh status')).toEqual([]);
    expect(world.column('Status').every((s) => s === 'Unpaid')).toBe(true);
  });
});

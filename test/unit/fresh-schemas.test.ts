/**
 * Stored state and Mayar's replies read by schemas built afresh, as every Apps Script execution
 * builds them (src/core/schema.ts: built on first use, kept for the rest of the execution).
 * Each test imports the modules anew, so what it checks is the schema the next execution
 * builds, not one an earlier test already built: a field left out of a schema, an enum value
 * dropped or a default changed makes a round trip here fail.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobRow } from '../../src/core/job';

beforeEach(() => {
  vi.resetModules();
});

const T0 = 1_750_000_000_000;

describe('the limiter state, read by the next execution', () => {
  it('keeps every field, and replaces only a damaged one with its empty value', async () => {
    const { parseLimiter } = await import('../../src/core/limiter');
    const state = { sent: [T0, T0 + 5], blockedUntil: T0 + 9, pace: 31, ceiling: 28, ceilingAt: T0 + 1, recent: { k: T0 } };
    expect(parseLimiter(JSON.stringify(state))).toEqual(state);
    expect(parseLimiter(JSON.stringify({ ...state, sent: 'x', pace: null }))).toEqual({ ...state, sent: [], pace: null });
    expect(parseLimiter(JSON.stringify({ ...state, ceiling: 'high', recent: [1] }))).toEqual({ ...state, ceiling: null, recent: {} });
    expect(parseLimiter('{}')).toEqual({ sent: [], blockedUntil: 0, pace: null, ceiling: null, ceilingAt: 0, recent: {} });
  });
});

describe('a stored job, read by the next execution', () => {
  async function jobModule() {
    return import('../../src/core/job');
  }

  it('round-trips every state, every kind of problem and every step field', async () => {
    const { decodeJob, encodeJob, newJob, pendingRow } = await jobModule();
    const kinds = ['lost', 'network', 'unavailable', 'duplicate'] as const;
    const rows: JobRow[] = kinds.map((problemKind, i) => ({
      uid: i + 2,
      key: `fp${i}`,
      sheetRow: i + 4,
      state: i % 2 ? 'pending' : 'inFlight',
      attempts: 1,
      sentAt: T0 + 5,
      notBefore: T0 + 9,
      contentHash: 'hash',
      attemptKey: `job1.${i + 2}.0`,
      problem: 'timeout',
      problemKind,
      failedChecks: 1,
      duplicateDeferrals: 2,
      observed: 'unpaid',
    }));
    for (const state of ['running', 'paused', 'cancelling'] as const) {
      for (const kind of ['create', 'refresh', 'email', 'invoice', 'form'] as const) {
        const job = newJob({
          id: 'job1',
          kind,
          sheetId: 7,
          sheetName: 'Siswa',
          startedBy: 'bendahara@example.com',
          startedByKey: 'key-1',
          startedAt: T0,
          environment: 'production',
          keyScope: 'document',
          rows: [pendingRow(1, 'fp', 3), ...rows],
          skipped: 1,
          failed: 2,
          firstErrorRow: 3,
          leftOver: 4,
        });
        job.state = state;
        job.pausedBy = 'someone@example.com';
        job.pauseReason = 'quota';
        job.touchedAt = T0 + 1;
        job.queue = [11, 12];
        job.noTrigger = true;
        job.step = { phase: 'list', cursor: 'c', page: 2, dry: 1, fails: 1, newest: T0, since: T0 - 1, odd: ['p9'], times: { p1: T0 } };
        const decoded = decodeJob(JSON.stringify(encodeJob(job)));
        expect(decoded).toEqual({ ok: true, job });
      }
    }
  });

  it('fills what an older job did not store, and refuses what is not a job', async () => {
    const { decodeJob, emptyCounts, encodeJob, newJob } = await jobModule();
    expect(emptyCounts()).toEqual({
      created: 0,
      failed: 0,
      review: 0,
      lost: 0,
      changed: 0,
      skipped: 0,
      paid: 0,
      unpaid: 0,
      expired: 0,
      closed: 0,
      collected: 0,
    });
    const job = newJob({
      id: 'job1',
      kind: 'create',
      sheetId: 7,
      sheetName: 'Siswa',
      startedBy: 'a@example.com',
      startedByKey: 'k',
      startedAt: T0,
      environment: 'sandbox',
      keyScope: 'user',
      rows: [],
      skipped: 0,
      failed: 0,
      firstErrorRow: null,
    });
    const stored = JSON.parse(JSON.stringify(encodeJob(job))) as Record<string, unknown>;
    for (const key of ['startedByKey', 'queue', 'leftOver', 'lastWaitMs']) delete stored[key];
    stored['rows'] = [{ u: 0, k: 'fp', r: 2, s: 'p' }];
    const decoded = decodeJob(JSON.stringify(stored));
    expect(decoded.ok && decoded.job).toMatchObject({ startedByKey: '', queue: [], leftOver: 0, lastWaitMs: 0 });
    expect(decoded.ok && decoded.job.rows).toEqual([{ uid: 0, key: 'fp', sheetRow: 2, state: 'pending', attempts: 0, sentAt: 0, notBefore: 0 }]);
    expect(decodeJob(JSON.stringify({ ...stored, state: 'done' })).ok).toBe(false);
    expect(decodeJob(JSON.stringify({ ...stored, rows: [{ u: 0, k: 'fp', r: 2, s: 'p', wk: 'other' }] })).ok).toBe(false);
  });

  it('stores and reads back a row without empty keys, and says where a stored job is wrong', async () => {
    const { decodeJob, encodeJob, newJob, pendingRow } = await jobModule();
    const job = newJob({
      id: 'job1',
      kind: 'create',
      sheetId: 7,
      sheetName: 'Siswa',
      startedBy: 'a@example.com',
      startedByKey: 'k',
      startedAt: T0,
      environment: 'sandbox',
      keyScope: 'user',
      rows: [pendingRow(0, 'fp', 2)],
      skipped: 0,
      failed: 0,
      firstErrorRow: null,
    });
    const stored = encodeJob(job) as { rows: unknown[] };
    expect(stored.rows[0]).toStrictEqual({ u: 0, k: 'fp', r: 2, s: 'p' });
    const decoded = decodeJob(JSON.stringify(stored));
    expect(decoded.ok && decoded.job.rows[0]).toStrictEqual(pendingRow(0, 'fp', 2));
    expect(decodeJob('{not json')).toEqual({ ok: false, reason: 'the stored text is not JSON' });
    const whole = decodeJob('null');
    expect(!whole.ok && whole.reason).toMatch(/^job: ./);
    const badRow = decodeJob(JSON.stringify({ ...stored, rows: [{ u: 0, k: 'fp', r: 2, s: 'x' }] }));
    expect(!badRow.ok && badRow.reason).toMatch(/^rows\.0\.s: ./);
  });
});

describe("Mayar's replies, read by the next execution", () => {
  it('keep every documented field of each reply', async () => {
    const { mayarSchemas } = await import('../../src/core/mayar-schemas');
    const s = mayarSchemas();
    const same = (schema: { parse: (v: unknown) => unknown }, value: unknown) => expect(schema.parse(value)).toEqual(value);
    same(s.validatorItem, { field: 'amount', message: 'too small', type: 'min' });
    same(s.envelope, { statusCode: 200, messages: 'success', message: 'ok', data: { id: 'p1' } });
    same(s.createdData, { id: 'p1', transactionId: 't1', link: 'https://mayar.id/pay/p1' });
    const listItem = {
      id: 'p1',
      name: 'Budi',
      amount: 350_000,
      description: 'SPP',
      createdAt: T0,
      status: 'unpaid',
      link: 'spp-budi',
      transactions: [{ id: 't1', extraData: { sheetRowKey: 'job1.1.0' } }],
    };
    same(s.listItem, listItem);
    same(s.listBody, { hasMore: true, nextStartingAfter: 'p0', data: [listItem] });
    same(s.listBody, { hasMore: false, nextStartingAfter: 42, data: [] });
    same(s.paymentDetail, {
      id: 'p1',
      status: 'paid',
      amount: 350_000,
      name: 'Budi',
      description: 'SPP',
      link: 'spp-budi',
      linkUrl: 'https://mayar.id/pl/spp-budi',
      linkPayment: 'https://mayar.id/pay/spp-budi',
      createdAt: T0,
      transactions: [{ id: 't1' }],
    });
    same(s.transactionDetail, {
      status: 'paid',
      amount: 350_000,
      paymentMethod: 'QRIS',
      extraData: { sheetRowKey: 'job1.1.0' },
      expirationDate: T0 + 1,
      paymentLink: { id: 'p1' },
      updatedAt: T0 + 2,
    });
    same(s.deliveryItem, { id: 'd1', createdAt: T0, paymentLinkId: 'p1', payload: '{}', status: 'SUCCESS', type: 'payment.received' });
    same(s.deliveryItem, { id: 7, createdAt: T0, paymentLinkId: null, payload: null, status: 'FAILED', type: 'payment.received' });
    same(s.cursorBody, { hasMore: true, nextStartingAfter: 'x' });
    same(s.cursorBody, { hasMore: false, nextStartingAfter: 3 });
    same(s.paidItem, {
      createdAt: T0,
      status: 'paid',
      credit: 350_000,
      paymentLinkId: 'p1',
      paymentLinkTransactionId: 't1',
      paymentLinkTransaction: { id: 't1' },
    });
    same(s.deliveredBody, { event: 'payment.received', data: { productId: 'p1', transactionId: 't1' } });
    same(s.channelItem, { code: 'QRIS', name: 'QRIS', status: 'enabled', type: 'ewallet' });
    same(s.channelsData, { config: [{ code: 'QRIS' }] });
  });

  it('read times as numbers, numeric text or ISO text, and refuse what is none of them', async () => {
    const { mayarSchemas } = await import('../../src/core/mayar-schemas');
    const { listItem } = mayarSchemas();
    const at = (createdAt: unknown) => listItem.safeParse({ id: 'p1', createdAt });
    expect(at(T0).data?.createdAt).toBe(T0);
    expect(at(String(T0)).data?.createdAt).toBe(T0);
    expect(at('2026-11-25T03:00:00.000Z').data?.createdAt).toBe(Date.UTC(2026, 10, 25, 3));
    expect(at('yesterday').success).toBe(false);
    expect(at(true).success).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { attemptKey, decodeJob, encodeJob, MAX_DUPLICATE_DEFERRALS, newJob, pendingRow } from '../../src/core/job';
import { DUPLICATE_WINDOW_MS } from '../../src/core/limiter';
import {
  backOff,
  BACKOFF_BASE_MS,
  deferForDuplicate,
  isDue,
  isInFlight,
  markInFlight,
  markUnknown,
  noteFailedCheck,
  notSent,
  retryRead,
} from '../../src/core/row-lifecycle';

const T0 = 1_750_000_000_000;
const JOB = { id: 'job-1' };

function row() {
  return pendingRow(7, 'Budi|150000|2026-12-31', 12);
}

describe('the row lifecycle', () => {
  it('a pending row is due at once and not in flight', () => {
    const r = row();
    expect(isDue(r, T0)).toBe(true);
    expect(isInFlight(r)).toBe(false);
  });

  it('markInFlight: counts the attempt, remembers when, where and with which key it went, and calls it lost until a reply says otherwise', () => {
    const r = row();
    const key = markInFlight(JOB, r, T0, 14, 'hash-1');
    expect(r).toMatchObject({ state: 'inFlight', attempts: 1, sentAt: T0, sheetRow: 14, contentHash: 'hash-1', problemKind: 'lost' });
    expect(key).toBe(attemptKey(JOB, r));
    expect(r.attemptKey).toBe(key);
    expect(isInFlight(r)).toBe(true);
    expect(isDue(r, T0 + 3_600_000)).toBe(false);
  });

  it('each attempt sends its own key, so Mayar can tell a resend from the first send', () => {
    const r = row();
    const first = markInFlight(JOB, r, T0, 12, 'h');
    backOff(r, T0 + DUPLICATE_WINDOW_MS);
    const second = markInFlight(JOB, r, T0 + 2 * DUPLICATE_WINDOW_MS, 12, 'h');
    expect(second).not.toBe(first);
    expect(r.attempts).toBe(2);
  });

  it('notSent: nothing reached Mayar, so the attempt does not count and the row is due again at once', () => {
    const r = row();
    markInFlight(JOB, r, T0, 12, 'h');
    notSent(r);
    expect(r.state).toBe('pending');
    expect(r.attempts).toBe(0);
    expect(isDue(r, T0)).toBe(true);
  });

  it('deferForDuplicate: waits out Mayar’s one-minute rule, and gives up after being pushed back too often', () => {
    const r = row();
    for (let deferral = 1; deferral <= MAX_DUPLICATE_DEFERRALS; deferral++) {
      markInFlight(JOB, r, T0, 12, 'h');
      expect(deferForDuplicate(r, T0)).toBe(true);
      expect(r).toMatchObject({ state: 'pending', attempts: 0, duplicateDeferrals: deferral });
    }
    expect(isDue(r, T0 + DUPLICATE_WINDOW_MS - 1)).toBe(false);
    expect(isDue(r, T0 + DUPLICATE_WINDOW_MS)).toBe(true);
    markInFlight(JOB, r, T0, 12, 'h');
    expect(deferForDuplicate(r, T0)).toBe(false);
  });

  it('markUnknown: the send may have reached Mayar, so the row stays in flight with the reason, never due for a blind resend', () => {
    const r = row();
    markInFlight(JOB, r, T0, 12, 'h');
    markUnknown(r, 'network', 'Address unavailable');
    expect(r).toMatchObject({ state: 'inFlight', problemKind: 'network', problem: 'Address unavailable', attempts: 1 });
    expect(isDue(r, T0 + 24 * 3_600_000)).toBe(false);
  });

  it('backOff: checked with Mayar and absent, sent again later, each attempt waiting twice as long', () => {
    const r = row();
    const waits: number[] = [];
    let now = T0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      markInFlight(JOB, r, now, 12, 'h');
      markUnknown(r, 'unavailable', 'HTTP 502');
      const notBefore = backOff(r, now);
      waits.push(notBefore - now);
      expect(r.state).toBe('pending');
      expect(isDue(r, notBefore - 1)).toBe(false);
      expect(isDue(r, notBefore)).toBe(true);
      now = notBefore;
    }
    expect(waits).toEqual([BACKOFF_BASE_MS, 2 * BACKOFF_BASE_MS, 4 * BACKOFF_BASE_MS]);
  });

  it('noteFailedCheck counts the checks against Mayar that could not be made', () => {
    const r = row();
    markInFlight(JOB, r, T0, 12, 'h');
    markUnknown(r, 'lost', 'no reply');
    expect([noteFailedCheck(r), noteFailedCheck(r), noteFailedCheck(r)]).toEqual([1, 2, 3]);
    expect(isInFlight(r)).toBe(true);
  });

  it('retryRead: a refresh read that failed for a passing reason waits longer each time', () => {
    const r = row();
    expect(retryRead(r, T0) - T0).toBe(BACKOFF_BASE_MS);
    expect(retryRead(r, T0) - T0).toBe(2 * BACKOFF_BASE_MS);
    expect(r.attempts).toBe(2);
    expect(isDue(r, T0 + 2 * BACKOFF_BASE_MS)).toBe(true);
  });

  it('an in-flight mark survives the stored job, so a run killed mid-send still knows what may have reached Mayar', () => {
    const job = newJob({
      id: 'job-1',
      kind: 'create',
      sheetId: 1,
      sheetName: 'Tagihan',
      startedBy: 'owner@example.com',
      startedByKey: 'k',
      startedAt: T0,
      environment: 'sandbox',
      keyScope: 'user',
      rows: [row()],
      skipped: 0,
      failed: 0,
      firstErrorRow: null,
    });
    const r = job.rows[0];
    if (!r) throw new Error('no row');
    markInFlight(job, r, T0, 12, 'hash-1');
    const decoded = decodeJob(JSON.stringify(encodeJob(job)));
    if (!decoded.ok || !decoded.job) throw new Error('unreadable job');
    expect(decoded.job.rows[0]).toMatchObject({ state: 'inFlight', attempts: 1, sentAt: T0, attemptKey: r.attemptKey, contentHash: 'hash-1' });
  });
});

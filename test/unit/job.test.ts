import { describe, expect, it } from 'vitest';
import type { SheetLayout } from '../../src/core/headers';
import {
  attemptKey,
  attemptPrefix,
  decodeJob,
  emptyCounts,
  encodeJob,
  hasPayment,
  indexRows,
  type Job,
  type JobRow,
  locate,
  newJob,
  noteError,
  pauseJob,
  pendingRow,
  resumeJob,
} from '../../src/core/job';
import type { ListedPayment } from '../../src/core/mayar-schemas';
import { matchText, reconcile, SKEW_MS } from '../../src/core/reconcile';
import type { Cell } from '../../src/core/types';

const T0 = 1_750_000_000_000;

// Columns: 0 Name, 1 Amount, 2 Payment Link, 3 Payment ID
const layout: SheetLayout = {
  input: { name: 0, amount: 1 },
  headerText: { name: 'Name', amount: 'Amount' },
  output: { link: 2, paymentId: 3 },
  width: 4,
};

function job(fields: Partial<Pick<Job, 'id' | 'kind'>> = {}, rows: JobRow[] = []): Job {
  return newJob({
    id: fields.id ?? 'job1',
    kind: fields.kind ?? 'create',
    sheetId: 7,
    sheetName: 'Customers',
    startedBy: 'owner@example.com',
    startedByKey: 'key-owner',
    startedAt: T0,
    environment: 'sandbox',
    keyScope: 'user',
    rows,
    skipped: 0,
    failed: 0,
    firstErrorRow: null,
  });
}

describe('attempt keys', () => {
  it('are job id, row uid and attempt number', () => {
    const row = { ...pendingRow(7, 'fp', 3), attempts: 2 };
    expect(attemptKey({ id: 'j-abc' }, row)).toBe('j-abc.7.2');
    expect(attemptPrefix({ id: 'j-abc' }, row)).toBe('j-abc.7.');
    expect(attemptKey({ id: 'j-abc' }, pendingRow(7, 'fp', 3))).toBe('j-abc.7.0');
  });

  it('have a prefix that no other row of the job shares', () => {
    const prefix = attemptPrefix({ id: 'j' }, pendingRow(1, 'fp', 2));
    expect(attemptKey({ id: 'j' }, pendingRow(11, 'fp', 2)).startsWith(prefix)).toBe(false);
    expect(attemptKey({ id: 'j' }, { ...pendingRow(1, 'fp', 2), attempts: 12 }).startsWith(prefix)).toBe(true);
  });
});

describe('newJob, pendingRow and noteError', () => {
  it('starts a running job with counts and totals', () => {
    const rows = [pendingRow(0, 'a', 2), pendingRow(1, 'b', 3)];
    const started = newJob({
      id: 'j',
      kind: 'create',
      sheetId: 1,
      sheetName: 'S',
      startedBy: 'u',
      startedByKey: 'k-u',
      startedAt: T0,
      environment: 'production',
      keyScope: 'document',
      rows,
      skipped: 4,
      failed: 3,
      firstErrorRow: 9,
    });
    expect(started).toEqual({
      v: 1,
      id: 'j',
      kind: 'create',
      sheetId: 1,
      sheetName: 'S',
      startedBy: 'u',
      startedByKey: 'k-u',
      startedAt: T0,
      environment: 'production',
      keyScope: 'document',
      state: 'running',
      rows,
      total: 5,
      counts: { ...emptyCounts(), skipped: 4, failed: 3 },
      firstErrorRow: 9,
      leftOver: 0,
      lastWaitMs: 0,
      queue: [],
    });
    expect(pendingRow(5, 'k', 8)).toEqual({ uid: 5, key: 'k', sheetRow: 8, state: 'pending', attempts: 0, sentAt: 0, notBefore: 0 });
  });

  it('counts errors and keeps the first error row', () => {
    const j = job();
    noteError(j, 12);
    noteError(j, 5);
    noteError(j, 30);
    expect(j.counts.failed).toBe(3);
    expect(j.firstErrorRow).toBe(5);
  });
});

describe('encodeJob and decodeJob', () => {
  const read = (text: string) => {
    const decoded = decodeJob(text);
    return decoded.ok ? decoded.job : null;
  };

  it('round-trips a job with rows in every state', () => {
    const inFlight: JobRow = {
      uid: 2,
      key: 'fp2',
      sheetRow: 4,
      state: 'inFlight',
      attempts: 1,
      sentAt: T0 + 5,
      notBefore: T0 + 9,
      contentHash: 'hash',
      attemptKey: 'job1.2.0',
      problem: 'timeout',
      problemKind: 'network',
      failedChecks: 1,
      duplicateDeferrals: 2,
    };
    const original = job({}, [pendingRow(1, 'fp1', 3), inFlight]);
    original.state = 'paused';
    original.pausedBy = 'someone@example.com';
    original.counts.created = 4;
    original.leftOver = 10;
    original.lastWaitMs = 30_000;
    original.queue = [11, 12];
    expect(read(JSON.stringify(encodeJob(original)))).toEqual(original);
  });

  it('stores rows compactly: short keys, zero attempt fields left out', () => {
    const stored = encodeJob(job({}, [pendingRow(0, 'fp', 2)])) as { rows: unknown[] };
    expect(stored.rows).toEqual([{ u: 0, k: 'fp', r: 2, s: 'p' }]);
  });

  it('fills defaults for fields an older job did not store', () => {
    const stored = JSON.parse(JSON.stringify(encodeJob(job()))) as Record<string, unknown>;
    delete stored['leftOver'];
    delete stored['lastWaitMs'];
    delete stored['queue'];
    delete stored['startedByKey'];
    stored['counts'] = { created: 2 };
    stored['rows'] = [{ u: 0, k: 'fp', r: 2, s: 'p' }];
    const parsed = read(JSON.stringify(stored));
    expect(parsed?.leftOver).toBe(0);
    expect(parsed?.lastWaitMs).toBe(0);
    expect(parsed?.queue).toEqual([]);
    expect(parsed?.startedByKey).toBe('');
    expect(parsed?.counts).toEqual({ ...emptyCounts(), created: 2 });
    expect(parsed?.rows).toEqual([pendingRow(0, 'fp', 2)]);
  });

  it('says why anything that is not a job cannot be read', () => {
    for (const text of [
      '',
      '{not json',
      'null',
      '{}',
      JSON.stringify({ ...(encodeJob(job()) as object), v: 2 }),
      JSON.stringify({ ...(encodeJob(job()) as object), kind: 'delete' }),
      JSON.stringify({ ...(encodeJob(job()) as object), rows: [{ u: 0, k: 'fp', r: 2, s: 'x' }] }),
    ]) {
      const decoded = decodeJob(text);
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.reason).not.toBe('');
    }
  });
});

describe('indexRows and hasPayment', () => {
  it('indexes data rows by fingerprint, skipping the header and blank rows', () => {
    const index = indexRows(['header', 'a', 'b', 'a', '', 'a']);
    expect([...index.byKey.entries()]).toEqual([
      ['a', [1, 3, 5]],
      ['b', [2]],
    ]);
  });

  it('sees a payment by its link or its Payment ID', () => {
    expect(hasPayment(['A', 1, 'https://x.test/a', ''], layout)).toBe(true);
    expect(hasPayment(['A', 1, '', 'p1'], layout)).toBe(true);
    expect(hasPayment(['A', 1, '  ', ''], layout)).toBe(false);
    expect(hasPayment(['A', 1], layout)).toBe(false);
    expect(hasPayment(undefined, layout)).toBe(false);
    expect(hasPayment(['A', 1, 'x', 'y'], { ...layout, output: {} })).toBe(false);
  });
});

describe('locate', () => {
  const open = (name: string): Cell[] => [name, 1000, '', ''];
  const done = (name: string): Cell[] => [name, 1000, 'https://x.test/done', 'pdone'];

  function sheet(rows: Cell[][], fingerprints: string[]) {
    return { data: [['Name', 'Amount', 'Payment Link', 'Payment ID'], ...rows], index: indexRows(['header', ...fingerprints]) };
  }

  it('prefers the last known row when it still holds the content', () => {
    const { data, index } = sheet([open('A'), open('B'), open('A')], ['a', 'b', 'a']);
    expect(locate(pendingRow(0, 'a', 4), data, layout, index, new Set())).toBe(3);
    expect(locate(pendingRow(0, 'a', 2), data, layout, index, new Set())).toBe(1);
  });

  it('finds the content elsewhere when the row moved', () => {
    const { data, index } = sheet([open('B'), open('C'), open('A')], ['b', 'c', 'a']);
    expect(locate(pendingRow(0, 'a', 2), data, layout, index, new Set())).toBe(3);
    expect(locate(pendingRow(0, 'a', 99), data, layout, index, new Set())).toBe(3);
  });

  it('never lands on an identical row that is already done while an open one exists', () => {
    // After a sort, the done twin sits where the job row used to be.
    const { data, index } = sheet([done('A'), open('B'), open('A')], ['a', 'b', 'a']);
    expect(locate(pendingRow(0, 'a', 2), data, layout, index, new Set())).toBe(3);
  });

  it('takes open rows in sheet order', () => {
    const { data, index } = sheet([open('A'), done('A'), open('A'), open('A')], ['a', 'a', 'a', 'a']);
    expect(locate(pendingRow(0, 'a', 3), data, layout, index, new Set())).toBe(1);
    expect(locate(pendingRow(0, 'a', 3), data, layout, index, new Set([1]))).toBe(3);
    expect(locate(pendingRow(0, 'a', 3), data, layout, index, new Set([1, 3]))).toBe(4);
  });

  it('falls back to a done row, its last known row first, when no open one is left', () => {
    const { data, index } = sheet([done('A'), open('A'), done('A')], ['a', 'a', 'a']);
    expect(locate(pendingRow(0, 'a', 4), data, layout, index, new Set([2]))).toBe(3);
    expect(locate(pendingRow(0, 'a', 9), data, layout, index, new Set([2]))).toBe(1);
  });

  it('skips claimed rows and is -1 when the content is gone', () => {
    const { data, index } = sheet([open('A'), open('B')], ['a', 'b']);
    expect(locate(pendingRow(0, 'a', 2), data, layout, index, new Set([1]))).toBe(-1);
    expect(locate(pendingRow(0, 'z', 2), data, layout, index, new Set())).toBe(-1);
  });
});

describe('matchText', () => {
  it('ignores case, surrounding spaces and HTML in the description', () => {
    expect(matchText('  Budi Santoso ', 150000, ' <p>Iuran <b>Juni</b></p> ')).toBe('budi santoso|150000|iuran juni');
    expect(matchText('Budi', 1000, undefined)).toBe('budi|1000|');
    expect(matchText('Budi', 1000, null)).toBe(matchText('BUDI', 1000, ''));
    expect(matchText('Budi', 1000, 'x')).not.toBe(matchText('Budi', 1001, 'x'));
  });
});

describe('reconcile', () => {
  const AT = T0;
  const matchOf = (p: ListedPayment) => matchText(p.name ?? '', p.amount ?? 0, p.description);

  function payment(id: string, name: string, createdAt: number, keys: (string | number)[] = [], amount = 1000): ListedPayment {
    return {
      id,
      name,
      amount,
      description: 'Fee',
      createdAt,
      transactions: keys.map((key, i) => ({ id: `${id}-t${i}`, extraData: { sheetRowKey: key } })),
    };
  }

  function row(u: number, name: string, fields: { at?: number; provable?: boolean; amount?: number } = {}) {
    return {
      key: String(u),
      attemptPrefix: `job1.${u}.`,
      match: matchText(name, fields.amount ?? 1000, 'Fee'),
      at: fields.at ?? AT,
      provable: fields.provable ?? false,
    };
  }

  it('finds a payment by the attempt key, whatever its content or age', () => {
    const proof = payment('p1', 'Someone else', AT - 10 * SKEW_MS, ['job1.1.2']);
    const result = reconcile([row(1, 'Budi')], [proof], matchOf, new Set());
    expect(result).toEqual(new Map([['1', { kind: 'found', payment: proof }]]));
  });

  it('does not take another row key with the same start as proof', () => {
    const other = payment('p11', 'Budi', AT + 1, ['job1.11.0']);
    expect(reconcile([row(1, 'Budi')], [other], matchOf, new Set())).toEqual(new Map([['1', { kind: 'absent' }]]));
  });

  it('gives proof precedence over content matching', () => {
    const keyed = payment('pk', 'Budi', AT + 1, ['job1.2.0']);
    const plain = payment('pp', 'Budi', AT + 2);
    const result = reconcile([row(1, 'Budi'), row(2, 'Budi')], [keyed, plain], matchOf, new Set());
    expect(result.get('1')).toEqual({ kind: 'found', payment: plain });
    expect(result.get('2')).toEqual({ kind: 'found', payment: keyed });
  });

  it('matches content for payments created after the attempt, allowing for clock skew', () => {
    const edge = payment('edge', 'Budi', AT - SKEW_MS);
    expect(reconcile([row(1, 'Budi')], [edge], matchOf, new Set()).get('1')).toEqual({ kind: 'found', payment: edge });
    const tooOld = payment('old', 'Budi', AT - SKEW_MS - 1);
    expect(reconcile([row(1, 'Budi')], [tooOld], matchOf, new Set()).get('1')).toEqual({ kind: 'absent' });
  });

  it('needs the same name, amount and description', () => {
    const payments = [payment('p1', 'Sari', AT + 1), payment('p2', 'Budi', AT + 1, [], 2000)];
    expect(reconcile([row(1, 'Budi')], payments, matchOf, new Set()).get('1')).toEqual({ kind: 'absent' });
    const differentText = { ...payment('p3', 'Budi', AT + 1), description: 'Other' };
    expect(reconcile([row(1, 'Budi')], [differentText], matchOf, new Set()).get('1')).toEqual({ kind: 'absent' });
  });

  it('never reuses a payment the sheet already knows', () => {
    const known = payment('known', 'Budi', AT + 1);
    const knownKeyed = payment('known-keyed', 'Sari', AT + 1, ['job1.2.0']);
    const result = reconcile([row(1, 'Budi'), row(2, 'Sari')], [known, knownKeyed], matchOf, new Set(['known', 'known-keyed']));
    expect(result).toEqual(
      new Map([
        ['1', { kind: 'absent' }],
        ['2', { kind: 'absent' }],
      ]),
    );
  });

  it('does not match content against a payment that carries any attempt key', () => {
    const otherJob = payment('other', 'Budi', AT + 1, ['job0.1.0']);
    expect(reconcile([row(1, 'Budi')], [otherJob], matchOf, new Set()).get('1')).toEqual({ kind: 'absent' });
  });

  it('ignores an attempt key that is not text', () => {
    const numeric = payment('num', 'Budi', AT + 1, [12]);
    expect(reconcile([row(12, 'Budi')], [numeric], matchOf, new Set()).get('12')).toEqual({ kind: 'found', payment: numeric });
  });

  it('is ambiguous when more payments match than identical rows wait', () => {
    const payments = [payment('p1', 'Budi', AT + 1), payment('p2', 'Budi', AT + 2)];
    expect(reconcile([row(1, 'Budi')], payments, matchOf, new Set())).toEqual(new Map([['1', { kind: 'ambiguous', count: 2 }]]));
    const three = [...payments, payment('p3', 'Budi', AT + 3)];
    expect(reconcile([row(1, 'Budi'), row(2, 'Budi')], three, matchOf, new Set())).toEqual(
      new Map([
        ['1', { kind: 'ambiguous', count: 3 }],
        ['2', { kind: 'ambiguous', count: 3 }],
      ]),
    );
  });

  it('shares matches among identical rows, oldest payment first, one payment per row', () => {
    const newer = payment('newer', 'Budi', AT + 20);
    const older = payment('older', 'Budi', AT + 10);
    const result = reconcile([row(1, 'Budi'), row(2, 'Budi')], [newer, older], matchOf, new Set());
    expect(result).toEqual(
      new Map([
        ['1', { kind: 'found', payment: older }],
        ['2', { kind: 'found', payment: newer }],
      ]),
    );
  });

  it('gives fewer payments than identical rows to the first rows', () => {
    const only = payment('only', 'Budi', AT + 1);
    const result = reconcile([row(1, 'Budi'), row(2, 'Budi')], [only], matchOf, new Set());
    expect(result).toEqual(
      new Map([
        ['1', { kind: 'found', payment: only }],
        ['2', { kind: 'absent' }],
      ]),
    );
  });

  it('calls a provable row absent without proof, and leaves its content match to others', () => {
    const plain = payment('plain', 'Budi', AT + 1);
    expect(reconcile([row(1, 'Budi', { provable: true })], [plain], matchOf, new Set())).toEqual(new Map([['1', { kind: 'absent' }]]));
    const result = reconcile([row(1, 'Budi', { provable: true }), row(2, 'Budi')], [plain], matchOf, new Set());
    expect(result).toEqual(
      new Map([
        ['1', { kind: 'absent' }],
        ['2', { kind: 'found', payment: plain }],
      ]),
    );
  });

  it('finds a provable row by its key', () => {
    const keyed = payment('keyed', 'Budi', AT + 1, ['job1.1.0']);
    expect(reconcile([row(1, 'Budi', { provable: true })], [keyed], matchOf, new Set()).get('1')).toEqual({ kind: 'found', payment: keyed });
  });

  it('answers every row, and nothing without rows', () => {
    expect(reconcile([], [payment('p', 'Budi', AT)], matchOf, new Set())).toEqual(new Map());
    const result = reconcile([row(1, 'Budi'), row(2, 'Sari')], [], matchOf, new Set());
    expect([...result.keys()].sort()).toEqual(['1', '2']);
  });
});

describe('pausing and resuming a job', () => {
  it('a person pauses with no reason (the sidebar names them); the run pauses itself with one; resuming forgets both', () => {
    const j = job();
    pauseJob(j, 'ani@example.com');
    expect([j.state, j.pausedBy, j.pauseReason]).toEqual(['paused', 'ani@example.com', undefined]);
    pauseJob(j, 'ani@example.com', 'The daily email quota ran out');
    expect(j.pauseReason).toBe('The daily email quota ran out');
    pauseJob(j, 'budi@example.com');
    expect('pauseReason' in j).toBe(false);
    resumeJob(j);
    expect([j.state, 'pausedBy' in j, 'pauseReason' in j]).toEqual(['running', false, false]);
    expect(decodeJob(JSON.stringify(encodeJob(j))).ok).toBe(true);
  });
});

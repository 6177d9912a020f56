/**
 * A run is a persisted job: which sheet, which rows are still to do, and what each row's last
 * attempt was. Finished rows leave the list (their result is in the sheet and the log), so
 * the job shrinks as it goes. Pure data and functions; src/app/jobs.ts stores it.
 */
import * as z from 'zod';
import type { SheetLayout } from './headers';
import type { ListedPayment } from './mayar';
import { cellIsEmpty } from './parse';
import type { JobKind } from './progress';
import { ENVIRONMENTS, KEY_SCOPES } from './settings';
import type { Cell } from './types';

/** The most rows one run takes; the rest wait for the next run (document properties are 500 KB). */
export const MAX_JOB_ROWS = 5000;
/** Sends of one row that may have reached Mayar before the row gets an Error. */
export const MAX_ATTEMPTS = 3;
/** Times the duplicate rule may push a row back before it gets an Error. */
export const MAX_DUPLICATE_DEFERRALS = 3;
/** Failed checks against Mayar before an unknown outcome becomes "Needs review". */
export const MAX_RECONCILE_FAILURES = 3;

const jobRowSchema = z.object({
  /** Unique within the job; part of the attempt key. */
  u: z.number(),
  /** Create: the row's fingerprint. Refresh: the Payment ID. */
  k: z.string(),
  /** Last known sheet row (1-based). */
  r: z.number(),
  /** p = pending, f = in flight (sent, outcome not yet in the sheet). */
  s: z.enum(['p', 'f']),
  /** Sends that may have reached Mayar. */
  n: z.number().default(0),
  /** Time of the last send. */
  at: z.number().default(0),
  /** Not before: backoff and duplicate-rule spacing. */
  nb: z.number().default(0),
  /** Hash of name|amount|description of the last send, to recognise it in Mayar's list. */
  m: z.string().optional(),
  /** Attempt key sent in extraData. */
  ak: z.string().optional(),
  /** What went wrong last time (unknown outcome), for the final message. */
  why: z.string().optional(),
  /** 'network' | 'unavailable' | 'duplicate': how the last attempt ended without an answer. */
  wk: z.string().optional(),
  /** Failed checks against Mayar. */
  rc: z.number().optional(),
  /** Duplicate-rule deferrals. */
  dd: z.number().optional(),
});
export type JobRow = z.infer<typeof jobRowSchema>;

const countsSchema = z.object({
  created: z.number().default(0),
  failed: z.number().default(0),
  review: z.number().default(0),
  lost: z.number().default(0),
  changed: z.number().default(0),
  skipped: z.number().default(0),
  paid: z.number().default(0),
  unpaid: z.number().default(0),
  expired: z.number().default(0),
  closed: z.number().default(0),
  collected: z.number().default(0),
});
export type Counts = z.infer<typeof countsSchema>;

export const jobSchema = z.object({
  v: z.literal(1),
  id: z.string(),
  kind: z.enum(['create', 'refresh']),
  sheetId: z.number(),
  sheetName: z.string(),
  startedBy: z.string(),
  startedAt: z.number(),
  environment: z.enum(ENVIRONMENTS),
  keyScope: z.enum(KEY_SCOPES),
  state: z.enum(['running', 'paused', 'cancelling']),
  pausedBy: z.string().optional(),
  rows: z.array(jobRowSchema),
  total: z.number(),
  counts: countsSchema,
  firstErrorRow: z.number().nullable(),
  /** Rows left for a later run because the run was capped. */
  leftOver: z.number().default(0),
  lastWaitMs: z.number().default(0),
  /** Refresh jobs over several sheets: the sheets still to do after this one. */
  queue: z.array(z.number()).default([]),
});
export type Job = z.infer<typeof jobSchema>;

export function emptyCounts(): Counts {
  return countsSchema.parse({});
}

export function newJob(fields: Pick<Job, 'id' | 'kind' | 'sheetId' | 'sheetName' | 'startedBy' | 'startedAt' | 'environment' | 'keyScope'> & { rows: JobRow[]; skipped: number; failed: number; firstErrorRow: number | null; leftOver?: number }): Job {
  const counts = emptyCounts();
  counts.skipped = fields.skipped;
  counts.failed = fields.failed;
  return {
    v: 1,
    id: fields.id,
    kind: fields.kind,
    sheetId: fields.sheetId,
    sheetName: fields.sheetName,
    startedBy: fields.startedBy,
    startedAt: fields.startedAt,
    environment: fields.environment,
    keyScope: fields.keyScope,
    state: 'running',
    rows: fields.rows,
    total: fields.rows.length + fields.failed,
    counts,
    firstErrorRow: fields.firstErrorRow,
    leftOver: fields.leftOver ?? 0,
    lastWaitMs: 0,
    queue: [],
  };
}

export function pendingRow(uid: number, key: string, row: number): JobRow {
  return { u: uid, k: key, r: row, s: 'p', n: 0, at: 0, nb: 0 };
}

/** Sent in extraData.sheetRowKey, so a lost create can be recognised in Mayar's list. */
export function attemptKey(job: Pick<Job, 'id'>, row: JobRow): string {
  return `${attemptPrefix(job, row)}${row.n}`;
}

export function attemptPrefix(job: Pick<Job, 'id'>, row: JobRow): string {
  return `${job.id}.${row.u}.`;
}

/**
 * The job as stored: rows leave out attempt fields still at their zero default, which keeps a
 * 5,000-row job well inside the 500 KB of document properties.
 */
export function compactJob(job: Job): unknown {
  const rows = job.rows.map((row) => {
    const { n, at, nb, ...rest } = row;
    return { ...rest, ...(n ? { n } : {}), ...(at ? { at } : {}), ...(nb ? { nb } : {}) };
  });
  return { ...job, rows };
}

export function parseJob(text: string): Job | null {
  try {
    const parsed = jobSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function noteError(job: Job, sheetRow: number): void {
  job.counts.failed++;
  if (job.firstErrorRow === null || sheetRow < job.firstErrorRow) job.firstErrorRow = sheetRow;
}

export function kindOf(job: Job | null): JobKind | null {
  return job ? job.kind : null;
}

// ---- Finding rows again ------------------------------------------------------------------

export interface RowIndex {
  /** 0-based data index (0 = header) of every row, by fingerprint. */
  byFingerprint: Map<string, number[]>;
}

export function indexRows(fingerprints: readonly string[]): RowIndex {
  const byFingerprint = new Map<string, number[]>();
  fingerprints.forEach((fp, index) => {
    if (index === 0 || fp === '') return;
    const list = byFingerprint.get(fp);
    if (list) list.push(index);
    else byFingerprint.set(fp, [index]);
  });
  return { byFingerprint };
}

export function hasPayment(row: readonly Cell[] | undefined, layout: SheetLayout): boolean {
  if (!row) return false;
  const { link, paymentId } = layout.output;
  return (link !== undefined && !cellIsEmpty(row[link] ?? '')) || (paymentId !== undefined && !cellIsEmpty(row[paymentId] ?? ''));
}

/**
 * Where a job row is now: its last known row if that still holds the same content, else
 * another row with the same content. Rows without a payment come first, so that after a sort
 * a result never lands on an identical row that is already done. -1 when it's gone.
 */
export function locate(jobRow: JobRow, data: readonly (readonly Cell[])[], layout: SheetLayout, index: RowIndex, claimed: Set<number>): number {
  const candidates = index.byFingerprint.get(jobRow.k) ?? [];
  const last = jobRow.r - 1;
  const open = candidates.filter((i) => !claimed.has(i));
  const ordered = [
    ...open.filter((i) => i === last && !hasPayment(data[i], layout)),
    ...open.filter((i) => i !== last && !hasPayment(data[i], layout)),
    ...open.filter((i) => i === last && hasPayment(data[i], layout)),
    ...open.filter((i) => i !== last && hasPayment(data[i], layout)),
  ];
  return ordered[0] ?? -1;
}

// ---- Recognising a lost create in Mayar's list ---------------------------------------------

/** name|amount|description, the fields Mayar lists, hashed the same way on both sides. */
export function matchText(name: string, amount: number, description: string | undefined | null): string {
  return `${name.trim().toLowerCase()}|${amount}|${(description ?? '').replace(/<[^>]*>/g, '').trim().toLowerCase()}`;
}

export type Reconciled =
  | { kind: 'found'; payment: ListedPayment }
  | { kind: 'absent' }
  | { kind: 'ambiguous'; count: number };

/** Clock skew allowed between us and Mayar when comparing createdAt with our send time. */
export const SKEW_MS = 120_000;

/**
 * Matches rows whose create may have reached Mayar against the listed payments. The attempt
 * key in a transaction's extraData is proof; otherwise the content must match, created after
 * the attempt, and not be a payment the sheet already knows. Each payment goes to one row.
 */
export function reconcile(
  rows: readonly { key: string; attemptPrefix: string; match: string; at: number; provable: boolean }[],
  payments: readonly ListedPayment[],
  matchOf: (payment: ListedPayment) => string,
  knownIds: ReadonlySet<string>,
): Map<string, Reconciled> {
  const taken = new Set<string>(knownIds);
  const result = new Map<string, Reconciled>();
  const keyed = (p: ListedPayment, prefix: string) =>
    (p.transactions ?? []).some((tx) => {
      const value = tx.extraData?.['sheetRowKey'];
      return typeof value === 'string' && value.startsWith(prefix);
    });
  // Proof first, so content matching never steals a payment that carries another row's key.
  for (const row of rows) {
    const proven = payments.find((p) => !taken.has(p.id) && keyed(p, row.attemptPrefix));
    if (proven) {
      taken.add(proven.id);
      result.set(row.key, { kind: 'found', payment: proven });
    }
  }
  // A create with an email makes a transaction carrying our key: without it, it wasn't ours.
  const open = rows.filter((row) => !result.has(row.key));
  for (const row of open) if (row.provable) result.set(row.key, { kind: 'absent' });
  for (const row of open) {
    if (result.has(row.key)) continue;
    const candidates = payments.filter((p) => !taken.has(p.id) && p.createdAt >= row.at - SKEW_MS && matchOf(p) === row.match && !(p.transactions ?? []).some((tx) => typeof tx.extraData?.['sheetRowKey'] === 'string'));
    const twins = open.filter((other) => other.match === row.match && !result.has(other.key)).length;
    if (candidates.length === 0) result.set(row.key, { kind: 'absent' });
    else if (candidates.length === 1 || candidates.length <= twins) {
      // Oldest first: identical rows were sent in sheet order.
      const chosen = [...candidates].sort((a, b) => a.createdAt - b.createdAt)[0];
      if (chosen) {
        taken.add(chosen.id);
        result.set(row.key, { kind: 'found', payment: chosen });
      }
    } else result.set(row.key, { kind: 'ambiguous', count: candidates.length });
  }
  return result;
}

/**
 * A run is a persisted job: which sheet, which rows are still to do, and what each row's last
 * attempt was. Finished rows leave the list (their result is in the sheet and the log), so
 * the job shrinks as it goes. In memory rows have readable names; the compact encoding that
 * keeps a 5,000-row job inside document properties exists only in encodeJob/decodeJob.
 */
import * as z from 'zod/mini';
import { cellIsEmpty } from './cell-text';
import type { SheetLayout } from './headers';
import { lazy } from './schema';
import { ENVIRONMENTS, KEY_SCOPES } from './settings';
import type { Cell } from './types';

/** The kinds of job the engine runs; each has one module registered in src/app/kinds.ts. */
export const JOB_KINDS = ['create', 'refresh', 'email', 'invoice', 'form'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * JobRow.observed of a row whose outcome is in the counts already while its result is not yet
 * in the sheet: a create Mayar accepted, an email MailApp sent.
 */
export const COUNTED_MARKS: readonly string[] = ['counted', 'sent'];

/** The most rows one run takes; the rest wait for the next run (document properties are 500 KB). */
export const MAX_JOB_ROWS = 5000;
/** Sends of one row that may have reached Mayar before the row gets an Error. */
export const MAX_ATTEMPTS = 3;
/** Times the duplicate rule may push a row back before it gets an Error. */
export const MAX_DUPLICATE_DEFERRALS = 3;
/** Failed checks against Mayar before an unknown outcome becomes "Needs review". */
export const MAX_RECONCILE_FAILURES = 3;

/** How the last attempt ended without an answer. */
export type ProblemKind = 'lost' | 'network' | 'unavailable' | 'duplicate';

export interface JobRow {
  /** Unique within the job; part of the attempt key. */
  uid: number;
  /** Create: the invoice's identity (customer, amount, expiry). Refresh: the Payment ID. */
  key: string;
  /** Last known sheet row (1-based). */
  sheetRow: number;
  /** In flight: sent, outcome not yet in the sheet. */
  state: 'pending' | 'inFlight';
  /** Sends that may have reached Mayar. */
  attempts: number;
  /** Time of the last send. */
  sentAt: number;
  /** Not before: backoff and duplicate-rule spacing. */
  notBefore: number;
  /** Hash of name|amount|description of the last send, to recognise it in Mayar's list. */
  contentHash?: string;
  /** Attempt key sent in extraData. */
  attemptKey?: string;
  /** What went wrong last time (unknown outcome), for the final message. */
  problem?: string;
  problemKind?: ProblemKind;
  /** Failed checks against Mayar. */
  failedChecks?: number;
  /** Duplicate-rule deferrals. */
  duplicateDeferrals?: number;
  /** Refresh: the status Mayar's list gave, kept while the time of payment is still to be read. */
  observed?: string;
}

// Built on first use (see ./schema).
const schemas = /* @__PURE__ */ lazy(() => {
  const counts = z.object({
    created: z._default(z.number(), 0),
    failed: z._default(z.number(), 0),
    review: z._default(z.number(), 0),
    lost: z._default(z.number(), 0),
    changed: z._default(z.number(), 0),
    skipped: z._default(z.number(), 0),
    paid: z._default(z.number(), 0),
    unpaid: z._default(z.number(), 0),
    expired: z._default(z.number(), 0),
    closed: z._default(z.number(), 0),
    collected: z._default(z.number(), 0),
  });
  /** A row as stored: short keys, zero defaults left out. */
  const storedRow = z.object({
    u: z.number(),
    k: z.string(),
    r: z.number(),
    s: z.enum(['p', 'f']),
    n: z._default(z.number(), 0),
    at: z._default(z.number(), 0),
    nb: z._default(z.number(), 0),
    m: z.optional(z.string()),
    ak: z.optional(z.string()),
    why: z.optional(z.string()),
    wk: z.optional(z.enum(['lost', 'network', 'unavailable', 'duplicate'])),
    rc: z.optional(z.number()),
    dd: z.optional(z.number()),
    o: z.optional(z.string()),
  });

  const storedJob = z.object({
    v: z.literal(1),
    id: z.string(),
    kind: z.enum(JOB_KINDS),
    sheetId: z.number(),
    sheetName: z.string(),
    startedBy: z.string(),
    /** Session.getTemporaryActiveUserKey() of the person who started it: who may continue it. */
    startedByKey: z._default(z.string(), ''),
    startedAt: z.number(),
    environment: z.enum(ENVIRONMENTS),
    keyScope: z.enum(KEY_SCOPES),
    state: z.enum(['running', 'paused', 'cancelling']),
    pausedBy: z.optional(z.string()),
    /** Why the run paused by itself (a quota, a protected range): shown until someone resumes it. */
    pauseReason: z.optional(z.string()),
    rows: z.array(storedRow),
    total: z.number(),
    counts,
    firstErrorRow: z.nullable(z.number()),
    /** Rows left for a later run because the run was capped. */
    leftOver: z._default(z.number(), 0),
    lastWaitMs: z._default(z.number(), 0),
    /** When a pass last worked on it (or it started): a run untouched for long has nothing carrying it. */
    touchedAt: z.optional(z.number()),
    /** Refresh jobs over several sheets: the sheets still to do after this one. */
    queue: z._default(z.array(z.number()), []),
    /** Where a kind is in its own sequence of steps (the refresh: webhook history, list pages, paid list, single reads). */
    step: z.optional(
      z.object({
        phase: z.string(),
        cursor: z.optional(z.string()),
        page: z.optional(z.number()),
        /** List pages in a row that answered none of the job's rows. */
        dry: z.optional(z.number()),
        /** List reads in a row that failed (Mayar unreachable, 5xx). */
        fails: z.optional(z.number()),
        /** Newest webhook delivery read, for the next refresh to start after. */
        newest: z.optional(z.number()),
        /** The paid transactions list is read from here (ms): the oldest paid row's creation. */
        since: z.optional(z.number()),
        /** Payment ids the paid list showed in a status its docs don't list: left to their transaction. */
        odd: z.optional(z.array(z.string())),
        /** Payment id → the time Mayar's webhook history says it was paid. */
        times: z.optional(z.record(z.string(), z.number())),
      }),
    ),
    /** Set when the background trigger could not be made: said once, the sidebar drives the run. */
    noTrigger: z.optional(z.boolean()),
  });
  return { counts, storedRow, storedJob };
});
type Schemas = ReturnType<typeof schemas>;
export type Counts = z.infer<Schemas['counts']>;
/** A row as stored: short keys, zero defaults left out. */
type StoredRow = z.infer<Schemas['storedRow']>;

export type Job = Omit<z.infer<Schemas['storedJob']>, 'rows'> & { rows: JobRow[] };
export type JobState = Job['state'];

export function emptyCounts(): Counts {
  return schemas().counts.parse({});
}

export function newJob(
  fields: Pick<Job, 'id' | 'kind' | 'sheetId' | 'sheetName' | 'startedBy' | 'startedByKey' | 'startedAt' | 'environment' | 'keyScope'> & {
    rows: JobRow[];
    skipped: number;
    failed: number;
    firstErrorRow: number | null;
    leftOver?: number;
  },
): Job {
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
    startedByKey: fields.startedByKey,
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

export function pendingRow(uid: number, key: string, sheetRow: number): JobRow {
  return { uid, key, sheetRow, state: 'pending', attempts: 0, sentAt: 0, notBefore: 0 };
}

/** Sent in extraData.sheetRowKey, so a lost create can be recognised in Mayar's list. */
export function attemptKey(job: Pick<Job, 'id'>, row: JobRow): string {
  return `${attemptPrefix(job, row)}${row.attempts}`;
}

export function attemptPrefix(job: Pick<Job, 'id'>, row: JobRow): string {
  return `${job.id}.${row.uid}.`;
}

// ---- Stored form -----------------------------------------------------------------------------

function encodeRow(row: JobRow): StoredRow {
  const stored: StoredRow = {
    u: row.uid,
    k: row.key,
    r: row.sheetRow,
    s: row.state === 'inFlight' ? 'f' : 'p',
    n: row.attempts,
    at: row.sentAt,
    nb: row.notBefore,
  };
  if (row.contentHash !== undefined) stored.m = row.contentHash;
  if (row.attemptKey !== undefined) stored.ak = row.attemptKey;
  if (row.problem !== undefined) stored.why = row.problem;
  if (row.problemKind !== undefined) stored.wk = row.problemKind;
  if (row.failedChecks !== undefined) stored.rc = row.failedChecks;
  if (row.duplicateDeferrals !== undefined) stored.dd = row.duplicateDeferrals;
  if (row.observed !== undefined) stored.o = row.observed;
  return stored;
}

function decodeRow(stored: StoredRow): JobRow {
  const row = pendingRow(stored.u, stored.k, stored.r);
  row.state = stored.s === 'f' ? 'inFlight' : 'pending';
  row.attempts = stored.n;
  row.sentAt = stored.at;
  row.notBefore = stored.nb;
  if (stored.m !== undefined) row.contentHash = stored.m;
  if (stored.ak !== undefined) row.attemptKey = stored.ak;
  if (stored.why !== undefined) row.problem = stored.why;
  if (stored.wk !== undefined) row.problemKind = stored.wk;
  if (stored.rc !== undefined) row.failedChecks = stored.rc;
  if (stored.dd !== undefined) row.duplicateDeferrals = stored.dd;
  if (stored.o !== undefined) row.observed = stored.o;
  return row;
}

/**
 * The job as stored: rows leave out attempt fields still at their zero default, which keeps a
 * 5,000-row job well inside the 500 KB of document properties.
 */
export function encodeJob(job: Job): unknown {
  const rows = job.rows.map((row) => {
    const { n, at, nb, ...rest } = encodeRow(row);
    return { ...rest, ...(n ? { n } : {}), ...(at ? { at } : {}), ...(nb ? { nb } : {}) };
  });
  return { ...job, rows };
}

/** A stored job, or why it can't be read (a part missing, text that isn't a job). */
export type DecodedJob = { ok: true; job: Job } | { ok: false; reason: string };

export function decodeJob(text: string): DecodedJob {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the stored text is not JSON' };
  }
  const parsed = schemas().storedJob.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: first ? `${first.path.join('.') || 'job'}: ${first.message}` : 'unknown shape' };
  }
  return { ok: true, job: { ...parsed.data, rows: parsed.data.rows.map(decodeRow) } };
}

export function noteError(job: Job, sheetRow: number): void {
  job.counts.failed++;
  if (job.firstErrorRow === null || sheetRow < job.firstErrorRow) job.firstErrorRow = sheetRow;
}

export function removeRow(job: Job, row: JobRow): void {
  const at = job.rows.indexOf(row);
  if (at >= 0) job.rows.splice(at, 1);
}

/**
 * Pauses the job: by a person (`reason` absent: the sidebar says who paused it), or by the run
 * itself (a quota, a refusal), with the reason the person reads.
 */
export function pauseJob(job: Job, by: string, reason?: string): void {
  job.state = 'paused';
  job.pausedBy = by;
  if (reason === undefined) delete job.pauseReason;
  else job.pauseReason = reason;
}

/** Puts the job back to running, forgetting who paused it and why. */
export function resumeJob(job: Job): void {
  job.state = 'running';
  delete job.pausedBy;
  delete job.pauseReason;
}

// ---- Finding rows again ------------------------------------------------------------------

export interface RowIndex {
  /** 0-based data index (0 = header) of every row, by identity key. */
  byKey: Map<string, number[]>;
}

export function indexRows(keys: readonly string[]): RowIndex {
  const byKey = new Map<string, number[]>();
  keys.forEach((key, index) => {
    if (index === 0 || key === '') return;
    const list = byKey.get(key);
    if (list) list.push(index);
    else byKey.set(key, [index]);
  });
  return { byKey };
}

export function hasPayment(row: readonly Cell[] | undefined, layout: SheetLayout): boolean {
  if (!row) return false;
  const { link, paymentId } = layout.output;
  return (link !== undefined && !cellIsEmpty(row[link] ?? '')) || (paymentId !== undefined && !cellIsEmpty(row[paymentId] ?? ''));
}

/**
 * Where a job row is now: its last known row if that still holds the same invoice, else
 * another row with the same invoice. Rows without a payment come first, so that after a sort
 * a result never lands on an identical row that is already done. -1 when it's gone.
 */
export function locate(jobRow: JobRow, data: readonly (readonly Cell[])[], layout: SheetLayout, index: RowIndex, claimed: Set<number>): number {
  const candidates = index.byKey.get(jobRow.key) ?? [];
  const last = jobRow.sheetRow - 1;
  const open = candidates.filter((i) => !claimed.has(i));
  const ordered = [
    ...open.filter((i) => i === last && !hasPayment(data[i], layout)),
    ...open.filter((i) => i !== last && !hasPayment(data[i], layout)),
    ...open.filter((i) => i === last && hasPayment(data[i], layout)),
    ...open.filter((i) => i !== last && hasPayment(data[i], layout)),
  ];
  return ordered[0] ?? -1;
}

/** The data index (header = 0) of the row holding this Payment ID (or Transaction ID), preferring `hint`; -1 if none. */
export function findRowByPaymentId(
  data: readonly (readonly Cell[])[],
  layout: SheetLayout,
  ids: { paymentId?: string; transactionId?: string },
  hint = -1,
  claimed: ReadonlySet<number> = new Set(),
): number {
  const { paymentId: idColumn, transactionId: txColumn } = layout.output;
  const text = (row: readonly Cell[] | undefined, column: number | undefined) => (column === undefined ? '' : String(row?.[column] ?? '').trim());
  const matches = (i: number) =>
    !claimed.has(i) &&
    ((!!ids.paymentId && text(data[i], idColumn) === ids.paymentId) || (!!ids.transactionId && text(data[i], txColumn) === ids.transactionId));
  if (hint >= 1 && hint < data.length && matches(hint)) return hint;
  for (let i = 1; i < data.length; i++) if (matches(i)) return i;
  return -1;
}

/**
 * The life of a job row, as named transitions. A row is pending until it is sent; a sent row
 * is in flight until its outcome is in the sheet. Only these functions move a row between
 * states, so the rules that prevent a double payment read in one place:
 *
 *   pending ──markInFlight──▶ inFlight ──settle──▶ (leaves the job)
 *      ▲                         │
 *      ├──── notSent ────────────┤  nothing reached Mayar (401, rate limit, not sent at all)
 *      ├──── deferForDuplicate ──┤  Mayar's one-minute duplicate rule on a first attempt
 *      └──── backOff ────────────┘  checked with Mayar: absent after the duplicate window
 *
 * markUnknown keeps a row in flight with the reason its outcome is unknown; it is then only
 * ever resolved by a check against Mayar's list (reconcile), never by a blind resend.
 */
import { attemptKey, type Job, type JobRow, MAX_DUPLICATE_DEFERRALS, type ProblemKind } from './job';
import { DUPLICATE_WINDOW_MS } from './limiter';

/** First backoff after a send that never arrived; doubles per attempt. */
export const BACKOFF_BASE_MS = 15_000;

/** Before a request leaves: persisted first, so an execution that dies mid-send leaves a mark. */
export function markInFlight(job: Pick<Job, 'id'>, row: JobRow, now: number, sheetRow: number, contentHash: string): string {
  row.state = 'inFlight';
  row.attempts++;
  row.sentAt = now;
  row.sheetRow = sheetRow;
  row.attemptKey = attemptKey(job, row);
  row.contentHash = contentHash;
  // Until a reply says otherwise, the outcome of this attempt is lost.
  row.problemKind = 'lost';
  return row.attemptKey;
}

/** Mayar certainly did not create it (401, the rate limit, an error raised before sending). */
export function notSent(row: JobRow): void {
  row.state = 'pending';
  row.attempts = Math.max(0, row.attempts - 1);
}

/** A first attempt refused by the duplicate rule: try again after the window. False once it has been pushed back too often. */
export function deferForDuplicate(row: JobRow, now: number): boolean {
  notSent(row);
  row.duplicateDeferrals = (row.duplicateDeferrals ?? 0) + 1;
  row.notBefore = now + DUPLICATE_WINDOW_MS;
  return row.duplicateDeferrals <= MAX_DUPLICATE_DEFERRALS;
}

/** The attempt may have reached Mayar: it stays in flight until Mayar's list says. */
export function markUnknown(row: JobRow, kind: ProblemKind, problem: string): void {
  row.state = 'inFlight';
  row.problemKind = kind;
  row.problem = problem;
}

/** Checked with Mayar and absent after the duplicate window: safe to send again, later. */
export function backOff(row: JobRow, now: number): number {
  row.state = 'pending';
  row.notBefore = now + BACKOFF_BASE_MS * 2 ** Math.max(0, row.attempts - 1);
  return row.notBefore;
}

/** A check against Mayar that could not be made; returns how many have failed. */
export function noteFailedCheck(row: JobRow): number {
  row.failedChecks = (row.failedChecks ?? 0) + 1;
  return row.failedChecks;
}

/** A read (refresh) that failed for a passing reason: retry after a backoff. */
export function retryRead(row: JobRow, now: number): number {
  row.attempts++;
  row.notBefore = now + BACKOFF_BASE_MS * 2 ** (row.attempts - 1);
  return row.notBefore;
}

export function isInFlight(row: JobRow): boolean {
  return row.state === 'inFlight';
}

export function isDue(row: JobRow, now: number): boolean {
  return row.state === 'pending' && row.notBefore <= now;
}

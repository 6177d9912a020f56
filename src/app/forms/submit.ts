/**
 * The spreadsheet's onFormSubmit trigger (Settings → bill each new form response). The response
 * is kept first (inbox.ts), then, under the lock, a form job for its sheet is started, or the one
 * running takes it in at once; the job sends at Mayar's pace and carries itself on like any run.
 * The second, blank event Apps Script sometimes fires for one response is ignored; a second
 * event with the same row finds the response kept, in the job, or billed.
 */
import { startRun } from '../../core/limiter';
import type { ProgressView } from '../../core/progress';
import type { AppContext } from '../context';
import { advanceLocked, afterRunEnded, SAFETY_NET_MS, TRIGGER_GRACE_MS } from '../engine/engine';
import { jobFor } from '../new-job';
import { scheduleContinuation } from '../schedule';
import { keepResponse } from './inbox';

/** What the trigger's event says: the response's row (e.range) and its answers (e.values). */
export interface FormResponse {
  sheetId: number;
  /** 1-based sheet row of the response. */
  row: number;
  values: readonly string[];
}

/** How long a response waits for another execution's lock; kept, it is taken by the next pass anyway. */
const FORM_LOCK_WAIT_MS = 30_000;

export function onFormResponse(ctx: AppContext, response: FormResponse | null): ProgressView | null {
  if (!response || !ctx.settings.billFormResponses) return null;
  if (response.values.every((value) => value.trim() === '')) return null;
  keepResponse(ctx, response.sheetId, response.row);
  if (!ctx.ports.lock.tryLock(FORM_LOCK_WAIT_MS)) return null;
  let view: ProgressView | null;
  try {
    view = startOrJoin(ctx, response.sheetId);
  } finally {
    ctx.ports.spreadsheet.flush();
    ctx.ports.lock.release();
  }
  if (view?.done) afterRunEnded(ctx);
  else if (view?.state === 'running') scheduleContinuation(ctx, view.waitMs + TRIGGER_GRACE_MS);
  return view;
}

/** With the lock held: the running form job of this sheet takes the response, or a new one starts. */
function startOrJoin(ctx: AppContext, sheetId: number): ProgressView | null {
  const stored = ctx.store.job();
  if (!stored.ok) return null;
  if (stored.job) {
    // Another run (a create, a refresh) holds the slot: the response waits, kept, for the next form event or the hourly pass.
    const mine = stored.job.kind === 'form' && stored.job.sheetId === sheetId && stored.job.state === 'running';
    return mine ? advanceLocked(ctx) : null;
  }
  const sheet = ctx.ports.spreadsheet.sheetById(sheetId);
  if (!sheet || !ctx.store.apiKey(ctx.settings.keyScope)) return null;
  ctx.store.save({ job: jobFor(ctx, 'form', sheet, []), limiter: startRun(ctx.store.limiter()), lastRun: null });
  // If this execution dies while sending, the trigger carries the run on.
  scheduleContinuation(ctx, SAFETY_NET_MS);
  return advanceLocked(ctx);
}

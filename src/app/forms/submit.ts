/**
 * The spreadsheet's onFormSubmit trigger (Settings → bill each new form response). The response
 * is kept first (inbox.ts), then, under the lock, a form job for its sheet is started, or the one
 * running takes it in at once; the job sends at Mayar's pace and carries itself on like any run.
 * The second, blank event Apps Script sometimes fires for one response is ignored; a second
 * event with the same row finds the response kept, in the job, or billed.
 */
import type { ProgressView } from '../../core/progress';
import type { AppContext } from '../context';
import { advanceLocked, afterRunEnded, jobFor, runWhileTimeRemains, startJob, TRIGGER_GRACE_MS } from '../engine/engine';
import { underLock } from '../lock';
import { scheduleContinuation, scheduleOnce } from '../schedule';
import { FORM_INBOX_HANDLER } from '../trigger-handlers';
import { keepResponse, keptResponses } from './inbox';

/** What the trigger's event says: the response's row (e.range) and its answers (e.values). */
export interface FormResponse {
  sheetId: number;
  /** 1-based sheet row of the response. */
  row: number;
  values: readonly string[];
}

/** How long a response waits for another execution's lock; kept, it is taken by the next pass anyway. */
const FORM_LOCK_WAIT_MS = 30_000;
/** A bound script looks at kept responses again this long after another run held the slot. */
const RETRY_MS = 60_000;

export function onFormResponse(ctx: AppContext, response: FormResponse | null): ProgressView | null {
  if (!response || !ctx.settings.billFormResponses) return null;
  if (response.values.every((value) => value.trim() === '')) return null;
  keepResponse(ctx, response.sheetId, response.row);
  return takeKept(ctx, response.sheetId);
}

/** The retry trigger of a bound script: responses kept while another run held the slot. */
export function processFormResponses(ctx: AppContext): ProgressView | null {
  const first = keptResponses(ctx)[0];
  if (!first || !ctx.settings.billFormResponses) return null;
  return takeKept(ctx, first.sheetId);
}

/** Under the lock: the form job of the sheet takes the kept responses and sends what it may now. */
function takeKept(ctx: AppContext, sheetId: number): ProgressView | null {
  const taken = underLock(ctx, FORM_LOCK_WAIT_MS, () => startOrJoin(ctx, sheetId));
  const view = taken.locked ? taken.value : 'busy';
  if (view === 'busy') {
    // Another run holds the slot or the lock: the response stays kept; a bound script looks again
    // in a minute, an add-on (hourly triggers only) at the next response.
    if (!ctx.ports.triggers.addOn) scheduleOnce(ctx, FORM_INBOX_HANDLER, RETRY_MS);
    return null;
  }
  if (view === null) return null;
  if (view.done) {
    afterRunEnded(ctx);
    return view;
  }
  if (view.state !== 'running') return view;
  if (!ctx.ports.triggers.addOn) {
    scheduleContinuation(ctx, view.waitMs + TRIGGER_GRACE_MS);
    return view;
  }
  // An add-on comes back at most hourly: a burst of responses is sent from here, at Mayar's pace.
  return runWhileTimeRemains(ctx, view);
}

/** With the lock held: the running form job of this sheet takes the response, or a new one starts; 'busy' when another run holds the slot. */
function startOrJoin(ctx: AppContext, sheetId: number): ProgressView | 'busy' | null {
  const stored = ctx.store.job();
  if (!stored.ok) return null;
  if (stored.job) {
    const mine = stored.job.kind === 'form' && stored.job.sheetId === sheetId && stored.job.state === 'running';
    return mine ? advanceLocked(ctx) : 'busy';
  }
  const sheet = ctx.ports.spreadsheet.sheetById(sheetId);
  if (!sheet || !ctx.store.apiKey(ctx.settings.keyScope)) return null;
  return startJob(ctx, jobFor(ctx, 'form', sheet, []));
}

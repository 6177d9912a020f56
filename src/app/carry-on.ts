/**
 * A run never waits for nothing. Before a command that starts a run (and before the lock, as
 * it may ask a question): a stored run that is paused, or that nothing has carried on for a
 * while (no pass, no trigger due: the execution that should have scheduled the next step was
 * stopped), is explained with its counts, and the person is asked whether to continue it now.
 * "Wait until it finishes" is only said while something really carries the run.
 */
import { COUNTED_MARKS, type Job, type JobKind } from '../core/job';
import type { ProgressView } from '../core/progress';
import type { AppContext } from './context';
import { afterStart, readyToStart, resumeRun, runInProgress, withLock } from './control';
import { TRIGGER_GRACE_MS } from './engine/engine';
import type { SheetPort } from './ports';
import { activeCustomerSheet } from './sheet-prep';
import { CONTINUE_HANDLER } from './trigger-handlers';

/** A run no pass has touched for this long, past its next step's time, has nothing carrying it. */
export const STALLED_MS = 2 * 60_000;

/**
 * Whether something carries a running job on: a pass within STALLED_MS (the sidebar polls at
 * least once a minute), or the continuation trigger, due after the last pass's wait. A trigger
 * still listed later is only a safety net (a bound script's 7-minute one, an add-on's hourly
 * one): the person may continue now, as the lock keeps two passes apart.
 */
export function isCarried(ctx: AppContext, job: Job): boolean {
  const idle = ctx.ports.clock.now() - (job.touchedAt ?? job.startedAt);
  if (idle <= STALLED_MS) return true;
  const { triggers } = ctx.ports;
  if (triggers.addOn || idle > job.lastWaitMs + TRIGGER_GRACE_MS + STALLED_MS) return false;
  try {
    return triggers.exists(CONTINUE_HANDLER);
  } catch (error) {
    console.warn(`Mayar: could not list the triggers: ${String(error)}`);
    return false;
  }
}

function clockText(ctx: AppContext, at: number): string {
  const zone = ctx.ports.spreadsheet.zone();
  const wall = new Date(at + zone.offsetMinutes(new Date(at)) * 60_000);
  return wall.toISOString().slice(0, 16).replace('T', ' ');
}

/** Why a stored job is not moving, or null while something carries it. */
export function stopReason(ctx: AppContext, job: Job): string | null {
  if (job.state === 'paused') return job.pauseReason ?? ctx.say('run.paused', { user: job.pausedBy ?? job.startedBy });
  if (isCarried(ctx, job)) return null;
  return ctx.say('run.stalled', { time: clockText(ctx, job.touchedAt ?? job.startedAt) });
}

/** The job's counts in one sentence whose parts add up to its total. */
export function countsText(ctx: AppContext, job: Job): string {
  const c = job.counts;
  // Rows Mayar or MailApp has done whose result waits to be written are done, and counted once.
  const left = job.rows.filter((row) => row.observed === undefined || !COUNTED_MARKS.includes(row.observed)).length;
  const done = job.total - left;
  if (job.kind === 'refresh') return ctx.say('run.countsRefresh', { done, total: job.total, paid: c.paid, left });
  // Errors include the rows to check (they are marked too); the rest of what is done was skipped or moved.
  const errors = c.failed;
  const other = Math.max(0, done - c.created - errors);
  return ctx.say(job.kind === 'email' ? 'run.countsEmail' : 'run.countsCreate', { done, total: job.total, created: c.created, failed: errors, other, left });
}

export type RunCheck = { free: true } | { free: false; view?: ProgressView };

/**
 * Called before the lock by every command that starts a run. Free: no run is stored (or one
 * of the kinds in `yields` is running and carried: the new run sets it aside). Otherwise the
 * person was told why nothing new starts, and, when the run had stopped, asked to continue
 * it: the view is that continuation's first pass.
 */
export function continueOrWait(ctx: AppContext, yields: readonly JobKind[] = []): RunCheck {
  const stored = ctx.store.job();
  if (!stored.ok) {
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.jobUnreadable', { reason: stored.reason }));
    return { free: false };
  }
  const job = stored.job;
  if (!job) return { free: true };
  const reason = stopReason(ctx, job);
  if (reason === null) {
    if (yields.includes(job.kind)) return { free: true };
    ctx.ports.ui.alert(ctx.say('app.title'), runInProgress(ctx, job));
    return { free: false };
  }
  const question = ctx.say('run.stoppedAsk', {
    kind: ctx.say(ctx.kinds[job.kind].label),
    sheet: job.sheetName,
    user: job.startedBy,
    reason,
    counts: countsText(ctx, job),
  });
  if (!ctx.ports.ui.confirm(ctx.say('app.title'), question)) return { free: false };
  const view = resumeRun(ctx);
  if (view.state === 'running' && !view.done) ctx.ports.ui.showSidebar('Progress', ctx.say('app.title'));
  else ctx.ports.ui.alert(ctx.say('app.title'), view.message || countsText(ctx, job));
  return { free: false, view };
}

/**
 * A menu item that starts a run on the active customer sheet: a stopped run is offered first,
 * then `start` runs under the lock, and the first window's result is shown.
 */
export function startFromMenu(ctx: AppContext, start: (locked: AppContext, sheet: SheetPort) => ProgressView | undefined): ProgressView | undefined {
  const check = continueOrWait(ctx);
  if (!check.free) return check.view;
  const view = withLock(ctx, (locked) => {
    if (!readyToStart(locked)) return undefined;
    const sheet = activeCustomerSheet(locked);
    return sheet ? start(locked, sheet) : undefined;
  });
  return afterStart(ctx, view);
}

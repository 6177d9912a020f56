/**
 * The job engine: processNextBatch() takes the lock, loads the job, lets the job's kind send
 * what Mayar's rate limit allows right now, saves, and says how long to wait before the next
 * call. The browser (progress sidebar) or a one-off trigger does the waiting, never Apps
 * Script. The engine knows no job kind: ctx.kinds maps each kind to its module.
 */
import { type Job, type JobKind, type JobRow, newJob, pauseJob } from '../../core/job';
import { startRun, WINDOW_MS } from '../../core/limiter';
import type { ProgressView } from '../../core/progress';
import type { AppContext } from '../context';
import { underLock } from '../lock';
import type { SheetPort } from '../ports';
import { cancelContinuation, scheduleContinuation } from '../schedule';
import { type Pass, SEND_BUDGET_MS } from './pass';
import { busyView, finish, idleView, unreadableView, viewOf } from './views';

/** How long a call waits for another execution to finish before saying "busy". */
export const LOCK_WAIT_MS = 5_000;
/** The continuation trigger fires this long after the wait, so an open sidebar gets there first. */
export const TRIGGER_GRACE_MS = 20_000;
/** A batch's safety-net trigger fires this long after the batch starts: past the 6-minute limit. */
export const SAFETY_NET_MS = 7 * 60_000;
const BUSY_WAIT_MS = 5_000;

/**
 * A run ended: no continuation, unless a refresh set aside for it took its place again (see
 * finish), which the trigger then carries on.
 */
export function afterRunEnded(ctx: AppContext): void {
  const stored = ctx.store.job();
  if (stored.ok && stored.job && stored.job.state === 'running') scheduleContinuation(ctx, TRIGGER_GRACE_MS);
  else cancelContinuation(ctx);
}

/** A new job of this person, in this document's environment, for one sheet. */
export function jobFor(
  ctx: AppContext,
  kind: JobKind,
  sheet: Pick<SheetPort, 'id' | 'name'>,
  rows: JobRow[],
  tally: { skipped?: number; failed?: number; firstErrorRow?: number | null; leftOver?: number } = {},
): Job {
  const job = newJob({
    id: ctx.ports.uuid().replace(/-/g, '').slice(0, 12),
    kind,
    sheetId: sheet.id,
    sheetName: sheet.name,
    startedBy: ctx.user,
    startedByKey: ctx.userKey,
    startedAt: ctx.ports.clock.now(),
    environment: ctx.settings.environment,
    keyScope: ctx.settings.keyScope,
    rows,
    skipped: tally.skipped ?? 0,
    failed: tally.failed ?? 0,
    firstErrorRow: tally.firstErrorRow ?? null,
    ...(tally.leftOver !== undefined ? { leftOver: tally.leftOver } : {}),
  });
  job.touchedAt = job.startedAt;
  return job;
}

export interface StartOptions {
  /** False for a kind that sends no Mayar request (the rate limiter's run is left as it is). */
  paced?: boolean;
  /** What the kind does once the run is saved and carried, before it sends anything. */
  beforeFirstBatch?: () => void;
}

/**
 * Starts a run, the same way for every kind; call with the lock held. The job is saved as the
 * document's run (a kind that calls Mayar starts a new run of the rate limiter; email sends no
 * request and leaves it as it is), the safety-net trigger is set so that a run whose first
 * execution dies is still carried on, and the first batch is advanced. The caller then
 * replaces that trigger with the next step, or cancels it when the run is done.
 */
export function startJob(ctx: AppContext, job: Job, options: StartOptions = {}): ProgressView {
  if (options.paced === false) ctx.store.save({ job, lastRun: null });
  else ctx.store.save({ job, limiter: startRun(ctx.store.limiter()), lastRun: null });
  scheduleContinuation(ctx, SAFETY_NET_MS);
  options.beforeFirstBatch?.();
  return advanceLocked(ctx);
}

export function processNextBatch(ctx: AppContext): ProgressView {
  // First of all, while a run exists: if this execution dies (the time limit, a crash), this
  // trigger carries the run on. The end of the batch replaces it with the next step or cancels it.
  const stored = ctx.store.job();
  const running = stored.ok && stored.job !== null;
  if (running) scheduleContinuation(ctx, SAFETY_NET_MS);
  const advanced = underLock(ctx, LOCK_WAIT_MS, () => advanceLocked(ctx));
  if (!advanced.locked) {
    // Another execution holds the sheet for a moment: come back soon.
    if (running) scheduleContinuation(ctx, BUSY_WAIT_MS + TRIGGER_GRACE_MS);
    return busyView(ctx, BUSY_WAIT_MS);
  }
  const view = advanced.value;
  // Done, paused, or another person's run that only they can continue: no trigger of ours.
  if (view.state === 'running' && !view.done) scheduleContinuation(ctx, view.waitMs + TRIGGER_GRACE_MS);
  else if (view.done) afterRunEnded(ctx);
  else cancelContinuation(ctx);
  return view;
}

/**
 * Carries a running job on from this execution, waiting between batches, for as long as its
 * sending budget allows the next wait and batch (a trigger of its own, when the caller has one,
 * takes over after). Waiting here costs trigger runtime only, never a person's.
 */
export function runWhileTimeRemains(ctx: AppContext, view: ProgressView): ProgressView {
  while (!view.done && view.state === 'running' && ctx.ports.clock.now() - ctx.startedAt + view.waitMs < SEND_BUDGET_MS) {
    ctx.ports.clock.sleep(view.waitMs);
    view = processNextBatch(ctx);
  }
  return view;
}

/** Advances the job; the caller holds the lock. */
export function advanceLocked(ctx: AppContext): ProgressView {
  const stored = ctx.store.job();
  if (!stored.ok) return unreadableView(ctx, stored.reason);
  const job = stored.job;
  if (!job) return idleView(ctx);
  if (job.state === 'paused') return viewOf(ctx, job, 0, 'paused');

  const apiKey = ctx.store.apiKey(job.keyScope);
  const isStarter = job.startedByKey ? job.startedByKey === ctx.userKey : job.startedBy === ctx.user;
  if (!apiKey || (job.keyScope === 'user' && !isStarter)) {
    // A private key: only the person who started the run may continue it, with their own key.
    if (!isStarter) return { ...viewOf(ctx, job, BUSY_WAIT_MS, 'busy'), message: ctx.say('dialog.otherUsersKey', { user: job.startedBy }) };
    return finish(ctx, job, 'stopped', ctx.say('dialog.noKey'));
  }
  const sheet = ctx.ports.spreadsheet.sheetById(job.sheetId);
  if (!sheet) return finish(ctx, job, 'stopped', ctx.say('dialog.sheetGone'));

  const pass: Pass = { ctx, job, apiKey, sheet, limiter: ctx.store.limiter(), stopMessage: null, pauseMessage: null, nextAt: Infinity, checked: new Set() };
  job.touchedAt = ctx.ports.clock.now();
  ctx.kinds[job.kind].advance(pass);

  if (pass.stopMessage) return finish(ctx, job, 'stopped', pass.stopMessage, pass.limiter);
  if (job.rows.length === 0 || (job.state === 'cancelling' && !job.rows.some((r) => r.state === 'inFlight'))) {
    const cancelled = job.state === 'cancelling';
    return finish(ctx, job, cancelled ? 'cancelled' : 'done', cancelled ? ctx.say('run.cancelled', { user: job.pausedBy ?? ctx.user }) : '', pass.limiter);
  }
  if (pass.pauseMessage) {
    pauseJob(job, ctx.user, pass.pauseMessage);
    ctx.store.save({ job, limiter: pass.limiter });
    return viewOf(ctx, job, 0, 'paused', pass.limiter);
  }
  const now = ctx.ports.clock.now();
  const waitMs = Math.max(1_000, Math.min(pass.nextAt, now + WINDOW_MS) - now);
  job.lastWaitMs = waitMs;
  ctx.store.save({ job, limiter: pass.limiter });
  return viewOf(ctx, job, waitMs, 'running', pass.limiter);
}

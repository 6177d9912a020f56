/** What the progress sidebar and the menu commands show of a job, and how a job ends. */
import type { Job } from '../../core/job';
import { effectiveRate, type LimiterState } from '../../core/limiter';
import type { ProgressView } from '../../core/progress';
import type { AppContext } from '../context';
import { rebuildSummarySafely } from '../dashboard';

export function viewOf(ctx: AppContext, job: Job, waitMs: number, state: ProgressView['state'], limiter: LimiterState = ctx.store.limiter()): ProgressView {
  const pending = job.rows.length;
  const rate = effectiveRate(limiter, ctx.settings.requestsPerMinute, ctx.ports.clock.now());
  const etaMs = pending === 0 ? 0 : Math.max(0, Math.ceil(pending / rate) - 1) * 60_000 + waitMs;
  const c = job.counts;
  return {
    done: false,
    waitMs,
    created: c.created,
    failed: c.failed,
    pending,
    state,
    kind: job.kind,
    total: job.total,
    needsReview: c.review,
    paid: c.paid,
    unpaid: c.unpaid,
    expired: c.expired,
    closed: c.closed,
    collected: c.collected,
    sheetName: job.sheetName,
    startedBy: job.startedBy,
    etaMs,
    message: state === 'paused' ? (job.pauseReason ?? ctx.say('run.paused', { user: job.pausedBy ?? job.startedBy })) : '',
    firstErrorRow: job.firstErrorRow,
    locale: ctx.locale,
  };
}

function emptyView(ctx: AppContext): ProgressView {
  return {
    done: true,
    waitMs: 0,
    created: 0,
    failed: 0,
    pending: 0,
    state: 'idle',
    kind: null,
    total: 0,
    needsReview: 0,
    paid: 0,
    unpaid: 0,
    expired: 0,
    closed: 0,
    collected: 0,
    sheetName: '',
    startedBy: '',
    etaMs: 0,
    message: ctx.say('run.notStarted'),
    firstErrorRow: null,
    locale: ctx.locale,
  };
}

export function idleView(ctx: AppContext): ProgressView {
  const last = ctx.store.lastRun();
  if (last) return { ...last, locale: ctx.locale, waitMs: 0, done: true };
  return emptyView(ctx);
}

/** A stored job that can't be read: nothing runs until someone checks the Mayar Log and discards it. */
export function unreadableView(ctx: AppContext, reason: string): ProgressView {
  return { ...emptyView(ctx), done: false, state: 'stopped', message: ctx.say('dialog.jobUnreadable', { reason }) };
}

export function busyView(ctx: AppContext, waitMs: number): ProgressView {
  const stored = ctx.store.job();
  const job = stored.ok ? stored.job : null;
  const base = job ? viewOf(ctx, job, waitMs, 'busy') : { ...idleView(ctx), done: false, state: 'busy' as const, waitMs };
  return { ...base, message: ctx.say('dialog.busy') };
}

/**
 * Ends the job: deletes it, keeps a summary for the sidebar, and says what happened. A pass
 * hands over its limiter, so calls it made since its last save are not forgotten.
 */
export function finish(ctx: AppContext, job: Job, state: 'done' | 'cancelled' | 'stopped', message: string, limiter?: LimiterState): ProgressView {
  const c = job.counts;
  const notes = [message];
  if (c.lost) notes.push(ctx.say('run.lost', { count: c.lost }));
  if (c.changed) notes.push(ctx.say('run.changed', { count: c.changed }));
  if (job.leftOver) notes.push(ctx.say('dialog.tooManyRows', { max: job.total }));
  notes.push(...ctx.kinds[job.kind].summary(ctx, job));
  const view: ProgressView = {
    ...viewOf(ctx, job, 0, state, limiter),
    done: true,
    pending: job.rows.length,
    etaMs: 0,
    message: notes.filter(Boolean).join(' '),
  };
  // A refresh set aside for this run takes its place again (resumed by the continuation trigger).
  const setAside = ctx.store.setAsideJob();
  const resumed = setAside.ok && setAside.job && setAside.job.id !== job.id ? setAside.job : null;
  ctx.store.save({ job: resumed, ...(resumed ? { setAside: null } : {}), lastRun: view, ...(limiter ? { limiter } : {}) });
  rebuildSummarySafely(ctx);
  if (state === 'done' && !resumed) ctx.kinds[job.kind].afterDone?.(ctx, job);
  return view;
}

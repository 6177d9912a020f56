/**
 * Starting and steering jobs from the menu and the progress sidebar: the lock around a
 * command, what stands in the way of a new job, the first window after a click, and pause /
 * resume / cancel.
 */
import { type Job, pauseJob, resumeJob } from '../core/job';
import type { ProgressView } from '../core/progress';
import type { AppContext } from './context';
import { advanceLocked, afterRunEnded, LOCK_WAIT_MS, processNextBatch, TRIGGER_GRACE_MS } from './engine/engine';
import { type Locked, underLock } from './lock';
import { cancelContinuation, scheduleContinuation } from './schedule';
import { finish, idleView, unreadableView, viewOf } from './engine/views';

/** Tells the user why nothing can start; returns false when something is in the way. */
export function readyToStart(ctx: AppContext): boolean {
  const stored = ctx.store.job();
  if (!stored.ok) {
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.jobUnreadable', { reason: stored.reason }));
    return false;
  }
  if (stored.job) {
    ctx.ports.ui.alert(ctx.say('app.title'), runInProgress(ctx, stored.job));
    return false;
  }
  if (!ctx.store.apiKey(ctx.settings.keyScope)) {
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.noKey'));
    return false;
  }
  return true;
}

export function runInProgress(ctx: AppContext, job: Job): string {
  return ctx.say('dialog.runInProgress', {
    kind: ctx.say(ctx.kinds[job.kind].label),
    sheet: job.sheetName,
    user: job.startedBy,
    done: job.total - job.rows.length,
    total: job.total,
  });
}

/**
 * Runs `work` under the lock, or says someone else is busy. A modal dialog is never shown
 * while the lock is held (it would hold every other execution, the webhook included, until
 * the person clicks): `work` gets the context to use inside the lock, whose alerts are
 * collected and shown once the lock is released, and which refuses to ask a question.
 */
export function withLock<T>(ctx: AppContext, work: (locked: AppContext) => T): T | undefined {
  const alerts: [string, string][] = [];
  const ui = ctx.ports.ui;
  const locked: AppContext = {
    ...ctx,
    ports: {
      ...ctx.ports,
      ui: {
        ...ui,
        available: ui.available,
        alert: (title, message) => void alerts.push([title, message]),
        confirm: () => {
          throw new Error('a question to the user must be asked before the lock is taken');
        },
      },
    },
  };
  let ran: Locked<T>;
  try {
    ran = underLock(ctx, LOCK_WAIT_MS, () => work(locked));
  } finally {
    for (const [title, message] of alerts) ui.alert(title, message);
  }
  if (ran.locked) return ran.value;
  const stored = ctx.store.job();
  ui.alert(ctx.say('app.title'), stored.ok && stored.job ? runInProgress(ctx, stored.job) : ctx.say('dialog.busy'));
  return undefined;
}

/** After the click's first window: a summary when done, else the progress sidebar and a trigger. */
export function afterStart(ctx: AppContext, view: ProgressView | undefined): ProgressView | undefined {
  if (!view) return undefined;
  if (view.done) {
    afterRunEnded(ctx);
    ctx.ports.ui.alert(ctx.say('app.title'), view.message);
    return view;
  }
  scheduleContinuation(ctx, view.waitMs + TRIGGER_GRACE_MS);
  ctx.ports.ui.showSidebar('Progress', ctx.say('app.title'));
  return view;
}

export function getProgress(ctx: AppContext): ProgressView {
  const stored = ctx.store.job();
  if (!stored.ok) return unreadableView(ctx, stored.reason);
  const job = stored.job;
  return job ? viewOf(ctx, job, job.lastWaitMs, job.state === 'paused' ? 'paused' : 'running') : idleView(ctx);
}

export function pauseRun(ctx: AppContext): ProgressView {
  return (
    withLock(ctx, (ctx) => {
      const stored = ctx.store.job();
      if (!stored.ok) return unreadableView(ctx, stored.reason);
      const job = stored.job;
      if (!job) return idleView(ctx);
      if (job.state === 'running') {
        pauseJob(job, ctx.user);
        ctx.store.save({ job });
      }
      cancelContinuation(ctx);
      return viewOf(ctx, job, 0, 'paused');
    }) ?? getProgress(ctx)
  );
}

export function resumeRun(ctx: AppContext): ProgressView {
  const resumed = withLock(ctx, (ctx) => {
    const stored = ctx.store.job();
    if (!stored.ok || !stored.job) return false;
    const job = stored.job;
    if (job.state === 'paused') {
      resumeJob(job);
      ctx.store.save({ job });
    }
    return true;
  });
  return resumed ? processNextBatch(ctx) : getProgress(ctx);
}

/**
 * Stops sending. Rows whose outcome is still unknown are checked with Mayar first. A stored
 * job that can't be read is discarded: the way out once the Mayar Log has been checked.
 */
export function cancelRun(ctx: AppContext): ProgressView {
  const view =
    withLock(ctx, (ctx) => {
      const stored = ctx.store.job();
      if (!stored.ok) {
        ctx.store.save({ job: null });
        return { ...idleView(ctx), message: ctx.say('run.discarded', { user: ctx.user }) };
      }
      const job = stored.job;
      if (!job) return idleView(ctx);
      job.pausedBy = ctx.user;
      if (!job.rows.some((r) => r.state === 'inFlight')) return finish(ctx, job, 'cancelled', ctx.say('run.cancelled', { user: ctx.user }));
      job.state = 'cancelling';
      ctx.store.save({ job });
      return advanceLocked(ctx);
    }) ?? getProgress(ctx);
  if (view.done) afterRunEnded(ctx);
  return view;
}

/**
 * The add-on's hourly trigger. An Editor add-on gets one clock trigger per user per document,
 * at most hourly, so this one continues a run — as many rate windows as fit in one execution,
 * waiting between them — and otherwise does the automatic refresh. It also resumes emailing
 * that yesterday's quota paused.
 */
import type { ProgressView } from '../core/progress';
import type { AppContext } from './context';
import { processNextBatch } from './engine/engine';
import { SEND_BUDGET_MS } from './engine/pass';
import { remindersTick } from './delivery/reminders';
import { resumeEmailing } from './kinds/email-start';
import { autoRefresh } from './kinds/refresh-start';
import { emailResumeSheet } from './delivery/resume';

export function hourlyTick(ctx: AppContext): ProgressView | null {
  // Emailing paused by yesterday's quota goes on first (it checks today's quota itself).
  if (emailResumeSheet(ctx) !== null) resumeEmailing(ctx);
  const stored = ctx.store.job();
  if (!stored.ok || !stored.job) {
    // Reminders first: their check is a refresh of only the rows due, and it must not wait behind a full one.
    remindersTick(ctx);
    const after = ctx.store.job();
    return after.ok && after.job ? null : autoRefresh(ctx);
  }
  let view = processNextBatch(ctx);
  // Waiting here costs trigger runtime, but an add-on has no sooner way to come back.
  while (!view.done && view.state === 'running' && ctx.ports.clock.now() - ctx.startedAt + view.waitMs < SEND_BUDGET_MS) {
    ctx.ports.clock.sleep(view.waitMs);
    view = processNextBatch(ctx);
  }
  return view;
}

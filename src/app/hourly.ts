/**
 * The hourly trigger, in a bound script and an add-on alike: thank-you emails and reminders,
 * then the automatic refresh. An Editor add-on gets one clock trigger per user per document, at
 * most hourly, so there it also continues a run — as many rate windows as fit in one execution,
 * waiting between them — and resumes emailing that yesterday's quota paused. A bound script's
 * runs have their own one-off triggers: there it gives a run one pass, which carries on a run
 * whose trigger was lost (the engine's lock keeps the two apart).
 */
import type { ProgressView } from '../core/progress';
import type { AppContext } from './context';
import { processNextBatch, runWhileTimeRemains } from './engine/engine';
import { remindersTick } from './delivery/reminders';
import { resumeEmailing } from './kinds/email/menu';
import { autoRefresh } from './kinds/refresh/menu';
import { hourlyNeeded, syncHourlyTrigger } from './schedule';
import { emailResumeSheet } from './delivery/resume';
import { flushWebhookNoise } from './webhook';

export function hourlyTick(ctx: AppContext): ProgressView | null {
  const { addOn } = ctx.ports.triggers;
  // Another editor turned off what this trigger was made for (triggers are per user, settings
  // per document): it removes itself rather than fire for nothing every hour.
  if (!hourlyNeeded(ctx)) {
    syncHourlyTrigger(ctx);
    return null;
  }
  // Webhooks for payments in no row, counted since the last Mayar Log line an hour ago.
  flushWebhookNoise(ctx);
  // Emailing paused by yesterday's quota goes on first (it checks today's quota itself); a
  // bound script has a one-off trigger of its own for that.
  if (addOn && emailResumeSheet(ctx) !== null) resumeEmailing(ctx);
  // Thank-you emails whatever else is going on; reminders when no run is (their check is a
  // refresh of only the rows due, and it must not wait behind a full one).
  remindersTick(ctx);
  const stored = ctx.store.job();
  if (!stored.ok) return null;
  if (!stored.job) return autoRefresh(ctx);
  const view = processNextBatch(ctx);
  // An add-on has no sooner way to come back than the next hour.
  return addOn ? runWhileTimeRemains(ctx, view) : view;
}

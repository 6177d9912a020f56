/**
 * Which triggers carry work on when no sidebar is open. A bound script makes a one-off trigger
 * per continuation and a separate hourly trigger for the automatic refresh. An Editor add-on
 * may have one clock trigger per user per document, at most hourly: there one hourly trigger
 * (hourlyTick) does both, continuing a run for as many rate windows as fit in its execution.
 * A trigger that can't be made (20 per user, a scope refused at consent, a service error) only
 * costs the background continuation: the person is told once, and the sidebar still drives.
 */
import type { AppContext } from './context';
import { loadDelivery } from './delivery/settings';

/** The one-off continuation of a bound script. */
export const CONTINUE_HANDLER = 'processNextBatch';
/** The bound script's hourly automatic refresh. */
export const AUTO_REFRESH_HANDLER = 'autoRefreshStatus';
/** The add-on's only trigger: continues a run, else refreshes. */
export const HOURLY_HANDLER = 'hourlyTick';

function tryTrigger(ctx: AppContext, what: string, change: () => void): boolean {
  try {
    change();
    return true;
  } catch (error) {
    console.warn(`Mayar: could not ${what}: ${String(error)}`);
    return false;
  }
}

/** The run continues in about `afterMs` (bound) or at the next hour (add-on). False when no trigger could be made. */
export function scheduleContinuation(ctx: AppContext, afterMs: number): boolean {
  const { triggers } = ctx.ports;
  const made = triggers.addOn
    ? tryTrigger(ctx, 'make the hourly trigger', () => triggers.ensureHourly(HOURLY_HANDLER))
    : tryTrigger(ctx, 'make the continuation trigger', () => triggers.scheduleOnce(CONTINUE_HANDLER, afterMs));
  if (!made) noteNoTrigger(ctx);
  return made;
}

export function cancelContinuation(ctx: AppContext): void {
  const { triggers } = ctx.ports;
  if (triggers.addOn) {
    if (!ctx.settings.autoRefresh && !hourlyDeliveryOn(ctx)) tryTrigger(ctx, 'remove the hourly trigger', () => triggers.cancel(HOURLY_HANDLER));
  } else tryTrigger(ctx, 'remove the continuation trigger', () => triggers.cancel(CONTINUE_HANDLER));
}

/** Installs or removes the hourly automatic refresh; false when the trigger could not be made. */
export function setAutoRefresh(ctx: AppContext, on: boolean): boolean {
  const { triggers } = ctx.ports;
  const handler = triggers.addOn ? HOURLY_HANDLER : AUTO_REFRESH_HANDLER;
  if (on) return tryTrigger(ctx, 'make the hourly trigger', () => triggers.ensureHourly(handler));
  const stored = ctx.store.job();
  // In an add-on the same trigger may still be carrying a run on.
  if (triggers.addOn && ((stored.ok && stored.job) || hourlyDeliveryOn(ctx))) return true;
  return tryTrigger(ctx, 'remove the hourly trigger', () => triggers.cancel(handler));
}

/** Reminders or thank-you emails are on: an add-on's hourly trigger also sends them. */
function hourlyDeliveryOn(ctx: AppContext): boolean {
  const delivery = loadDelivery(ctx.ports.documentStore);
  return delivery.reminders || delivery.thankYou;
}

/** Said once per run: the job remembers it. */
function noteNoTrigger(ctx: AppContext): void {
  const stored = ctx.store.job();
  if (!stored.ok || !stored.job || stored.job.noTrigger) return;
  stored.job.noTrigger = true;
  ctx.store.save({ job: stored.job });
  ctx.ports.ui.toast(ctx.say('toast.noTrigger'), ctx.say('app.title'), 10);
}

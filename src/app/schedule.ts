/**
 * Which triggers carry work on when no sidebar is open. One hourly trigger (hourlyTick) does
 * the hourly work — reminders and thank-you emails, the automatic refresh — in a bound script
 * and an add-on alike. A bound script also makes a one-off trigger per continuation; an Editor
 * add-on may have one clock trigger per user per document, at most hourly, so there hourlyTick
 * also continues a run, for as many rate windows as fit in its execution. A trigger that can't
 * be made (20 per user, a scope refused at consent, a service error) only costs the background
 * work: the person is told, and the sidebar still drives a run.
 */
import type { AppContext } from './context';
import { emailResumeSheet } from './delivery/resume';
import { type DeliverySettings, loadDelivery } from './delivery/settings';
import { CONTINUE_HANDLER, FORM_HANDLER, HOURLY_HANDLER, RETIRED_HOURLY_HANDLERS } from './trigger-handlers';

function tryTrigger(ctx: AppContext, what: string, change: () => void): boolean {
  try {
    change();
    return true;
  } catch (error) {
    console.warn(`Mayar: could not ${what}: ${String(error)}`);
    return false;
  }
}

/** The handler whose trigger carries a run on: an add-on's hourly one, a bound script's one-off one. */
export function continuationHandler(ctx: AppContext): string {
  return ctx.ports.triggers.addOn ? HOURLY_HANDLER : CONTINUE_HANDLER;
}

/** The run continues in about `afterMs` (bound) or at the next hour (add-on). False when no trigger could be made. */
export function scheduleContinuation(ctx: AppContext, afterMs: number): boolean {
  const { triggers } = ctx.ports;
  const handler = continuationHandler(ctx);
  const made = triggers.addOn
    ? tryTrigger(ctx, 'make the hourly trigger', () => triggers.ensureHourly(handler))
    : tryTrigger(ctx, 'make the continuation trigger', () => triggers.scheduleOnce(handler, afterMs));
  if (!made) noteNoTrigger(ctx);
  return made;
}

export function cancelContinuation(ctx: AppContext): void {
  const { triggers } = ctx.ports;
  if (triggers.addOn) syncHourlyTrigger(ctx, { run: false });
  else tryTrigger(ctx, 'remove the continuation trigger', () => triggers.cancel(CONTINUE_HANDLER));
}

/** What the hourly trigger has to do; fields left out are read from what is stored. */
export interface HourlyWork {
  autoRefresh?: boolean;
  delivery?: DeliverySettings;
  /** A run is stored (false: it has just ended). */
  run?: boolean;
}

/** True when something needs the hourly trigger: the automatic refresh, reminders or thank-you emails, or (add-on) a run. */
export function hourlyNeeded(ctx: AppContext, work: HourlyWork = {}): boolean {
  const delivery = work.delivery ?? loadDelivery(ctx.ports.documentStore);
  if (work.autoRefresh ?? ctx.settings.autoRefresh) return true;
  if (delivery.reminders || delivery.thankYou) return true;
  if (!ctx.ports.triggers.addOn) return false;
  // An add-on's hourly trigger also carries a run on and resumes emailing paused by the quota.
  if (work.run ?? hasStoredJob(ctx)) return true;
  return emailResumeSheet(ctx) !== null;
}

function hasStoredJob(ctx: AppContext): boolean {
  const stored = ctx.store.job();
  // A job that can't be read still blocks runs until someone looks: keep what carries it on.
  return !stored.ok || stored.job !== null;
}

/**
 * Makes the hourly trigger when something needs it and removes it when nothing does; replaces
 * the hourly triggers of earlier versions. False when a trigger could not be made.
 */
export function syncHourlyTrigger(ctx: AppContext, work: HourlyWork = {}): boolean {
  const { triggers } = ctx.ports;
  if (!hourlyNeeded(ctx, work)) return tryTrigger(ctx, 'remove the hourly triggers', () => triggers.cancel(HOURLY_HANDLER, ...RETIRED_HOURLY_HANDLERS));
  tryTrigger(ctx, 'remove the hourly triggers of earlier versions', () => triggers.cancel(...RETIRED_HOURLY_HANDLERS));
  return tryTrigger(ctx, 'make the hourly trigger', () => triggers.ensureHourly(HOURLY_HANDLER));
}

/** A one-off trigger for the handler in about `afterMs` (a bound script's); false when Google refused. */
export function scheduleOnce(ctx: AppContext, handler: string, afterMs: number): boolean {
  return tryTrigger(ctx, `schedule ${handler}`, () => ctx.ports.triggers.scheduleOnce(handler, afterMs));
}

/**
 * The spreadsheet's onFormSubmit trigger for this user: made when the setting is turned on (an
 * add-on's belongs to whoever turns it on), removed when it is turned off. False when Google
 * refused.
 */
export function syncFormTrigger(ctx: AppContext, on: boolean): boolean {
  const { triggers } = ctx.ports;
  return on
    ? tryTrigger(ctx, 'make the form trigger', () => triggers.ensureFormSubmit(FORM_HANDLER))
    : tryTrigger(ctx, 'remove the form trigger', () => triggers.cancel(FORM_HANDLER));
}

/** Said once per run: the job remembers it. */
function noteNoTrigger(ctx: AppContext): void {
  const stored = ctx.store.job();
  if (!stored.ok || !stored.job || stored.job.noTrigger) return;
  stored.job.noTrigger = true;
  ctx.store.save({ job: stored.job });
  ctx.ports.ui.toast(ctx.say('toast.noTrigger'), ctx.say('app.title'), 10);
}

/** When today's email quota is used up, the email run starts again by itself the next day. */
import type { AppContext } from '../context';
import { HOURLY_HANDLER } from '../trigger-handlers';

export const RESUME_HANDLER = 'resumeEmailing';
const SHEET_KEY = 'mayar.emailResume';
const HOUR_MS = 3_600_000;
/** Shortly after the next UTC midnight, when the daily quota counts from zero again. */
const AFTER_MIDNIGHT_MS = 15 * 60_000;

export function scheduleEmailResume(ctx: AppContext, sheetId: number, afterMs?: number): void {
  const now = ctx.ports.clock.now();
  const nextDay = Math.floor(now / (24 * HOUR_MS) + 1) * 24 * HOUR_MS + AFTER_MIDNIGHT_MS;
  ctx.ports.documentStore.setMany({ [SHEET_KEY]: String(sheetId) });
  try {
    // An add-on has one hourly trigger (hourlyTick), which resumes emailing as well.
    if (ctx.ports.triggers.addOn) ctx.ports.triggers.ensureHourly(HOURLY_HANDLER);
    else ctx.ports.triggers.scheduleOnce(RESUME_HANDLER, afterMs ?? nextDay - now);
  } catch (error) {
    console.warn(`Mayar: could not make the trigger that continues emailing tomorrow: ${String(error)}`);
  }
}

/** Tries again in an hour (the quota not back yet, another run in the way). */
export function retryEmailResumeLater(ctx: AppContext, sheetId: number): void {
  scheduleEmailResume(ctx, sheetId, HOUR_MS);
}

export function emailResumeSheet(ctx: AppContext): number | null {
  const id = Number(ctx.ports.documentStore.get(SHEET_KEY) ?? '');
  return Number.isFinite(id) && ctx.ports.documentStore.get(SHEET_KEY) !== null ? id : null;
}

export function clearEmailResume(ctx: AppContext): void {
  ctx.ports.documentStore.setMany({ [SHEET_KEY]: null });
  try {
    if (!ctx.ports.triggers.addOn) ctx.ports.triggers.cancel(RESUME_HANDLER);
  } catch (error) {
    console.warn(`Mayar: could not remove the trigger that continues emailing: ${String(error)}`);
  }
}

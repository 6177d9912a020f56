/** Mayar → Email payment links, and the trigger that carries the emails on the next day. */
import { isEmail, planEmails } from '../../../core/email';
import { type JobRow, MAX_JOB_ROWS, pendingRow, resumeJob } from '../../../core/job';
import type { SheetLayout } from '../../../core/headers';
import type { ProgressView } from '../../../core/progress';
import type { Cell } from '../../../core/types';
import type { AppContext } from '../../context';
import { ensureDeliveryColumns } from '../../delivery/columns';
import { clearEmailResume, emailResumeSheet, retryEmailResumeLater, scheduleEmailResume } from '../../delivery/resume';
import { isBlank, isOpenBill, rowFacts } from '../../delivery/rows';
import { advanceLocked, jobFor, startJob, TRIGGER_GRACE_MS } from '../../engine/engine';
import { underLock } from '../../lock';
import { scheduleContinuation } from '../../schedule';
import type { SheetPort } from '../../ports';
import { prepareSheet } from '../../sheet-prep';
import { EMAIL_PHASE } from './advance';
import { startFromMenu } from '../../carry-on';

/** The rows to email now: a link, a valid address, open, not emailed yet; in sheet order. */
export function emailableRows(ctx: AppContext, data: readonly (readonly Cell[])[], layout: SheetLayout): JobRow[] {
  const zone = ctx.ports.spreadsheet.zone();
  const now = ctx.ports.clock.now();
  const rows: JobRow[] = [];
  for (let index = 1; index < data.length && rows.length < MAX_JOB_ROWS; index++) {
    const facts = rowFacts(data, layout, index, zone);
    if (!isOpenBill(facts, now) || !isEmail(facts.email) || !isBlank(facts.emailedAt)) continue;
    rows.push(pendingRow(rows.length, facts.paymentId, index + 1));
  }
  return rows;
}

type Started = { view: ProgressView } | { message: string };

/**
 * Starts the email job on `sheet` with what today's quota allows; call with the lock held.
 * `only`: just these sheet rows (a form's new responses); `quiet`: no dialog (a trigger).
 */
export function startEmailLocked(ctx: AppContext, sheet: SheetPort, opts: { only?: ReadonlySet<number>; quiet?: boolean } = {}): Started | null {
  const prepared = prepareSheet(ctx, sheet);
  if (!prepared) return null;
  const layout = ensureDeliveryColumns(ctx, sheet, prepared.data, ['emailedAt']);
  const { only } = opts;
  const rows = emailableRows(ctx, prepared.data, layout)
    .filter((row) => !only || only.has(row.sheetRow))
    .map((row, uid) => ({ ...row, uid }));
  if (rows.length === 0) {
    if (!only) clearEmailResume(ctx);
    return { message: ctx.say('email.none') };
  }
  const plan = planEmails(rows, ctx.ports.mail.remainingDailyQuota());
  if (plan.today.length === 0) {
    scheduleEmailResume(ctx, sheet.id);
    return { message: ctx.say('email.quotaNone', { count: rows.length }) };
  }
  if (plan.later.length > 0) scheduleEmailResume(ctx, sheet.id);
  else if (!only) clearEmailResume(ctx);
  const job = jobFor(ctx, 'email', sheet, plan.today);
  job.step = { phase: EMAIL_PHASE, page: plan.later.length };
  const quotaShort = (): void => {
    if (plan.later.length > 0 && !opts.quiet)
      ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('email.quotaShort', { quota: plan.today.length, count: rows.length, later: plan.later.length }));
  };
  // Emails send no Mayar request: the rate limiter's run is left as it is.
  return { view: startJob(ctx, job, { paced: false, beforeFirstBatch: quotaShort }) };
}

export function sendPaymentLinksByEmail(ctx: AppContext): ProgressView | undefined {
  return startFromMenu(ctx, (ctx, sheet) => {
    const started = startEmailLocked(ctx, sheet);
    if (started && 'message' in started) ctx.ports.ui.alert(ctx.say('app.title'), started.message);
    return started && 'view' in started ? started.view : undefined;
  });
}

/**
 * The next day's trigger: resumes an email run paused by the quota, or starts a new one on the
 * same sheet for the rows still without Emailed At; tries again in an hour if it can't yet.
 */
export function resumeEmailing(ctx: AppContext): ProgressView | null {
  const sheetId = emailResumeSheet(ctx);
  if (sheetId === null) return null;
  const resumed = underLock(ctx, 1000, (): ProgressView | null => {
    const stored = ctx.store.job();
    const job = stored.ok ? stored.job : null;
    if (!stored.ok) return null;
    if (job && job.kind === 'email' && job.state === 'paused') {
      if (ctx.ports.mail.remainingDailyQuota() <= 0) {
        retryEmailResumeLater(ctx, sheetId);
        return null;
      }
      resumeJob(job);
      ctx.store.save({ job });
      clearEmailResume(ctx);
      return advanceLocked(ctx);
    }
    if (job) {
      retryEmailResumeLater(ctx, sheetId);
      return null;
    }
    const sheet = ctx.ports.spreadsheet.sheetById(sheetId);
    if (!sheet || !ctx.store.apiKey(ctx.settings.keyScope)) {
      clearEmailResume(ctx);
      return null;
    }
    const started = startEmailLocked(ctx, sheet);
    return started && 'view' in started ? started.view : null;
  });
  if (!resumed.locked) {
    retryEmailResumeLater(ctx, sheetId);
    return null;
  }
  const view = resumed.value;
  if (view && view.state === 'running' && !view.done) scheduleContinuation(ctx, view.waitMs + TRIGGER_GRACE_MS);
  return view;
}

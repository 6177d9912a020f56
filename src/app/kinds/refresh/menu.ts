/** Mayar → Refresh payment status for the active sheet, and the hourly automatic refresh of every sheet. */
import type { SheetLayout } from '../../../core/headers';
import { type Counts, emptyCounts, type JobRow } from '../../../core/job';
import type { ProgressView } from '../../../core/progress';
import type { Cell } from '../../../core/types';
import { type AppContext, rupiah } from '../../context';
import { afterRunEnded, jobFor, startJob } from '../../engine/engine';
import { underLock } from '../../lock';
import { scheduleContinuation } from '../../schedule';
import type { SheetPort } from '../../ports';
import { isLogSheet, prepareSheet } from '../../sheet-prep';
import { countFinalRows, refreshableRows } from './advance';
import { mapHeaders } from '../../../core/headers';
import { startFromMenu } from '../../carry-on';

/** What starting a refresh came to: a view, nothing to refresh, or a sheet that can't be used (already said). */
type Started = { view: ProgressView } | { nothing: Counts } | { refused: true };

/**
 * Starts a refresh job over the given sheets (the first usable one with rows to refresh goes
 * first, the others queue), and advances its first window. Call with the lock held.
 */
function startRefreshLocked(ctx: AppContext, sheets: readonly SheetPort[]): Started {
  const counts = emptyCounts();
  const candidates: { sheet: SheetPort; rows: JobRow[] }[] = [];
  for (const sheet of sheets) {
    if (isLogSheet(ctx, sheet)) continue;
    const data = sheet.readAll();
    const layout = mapHeaders(data[0] ?? []);
    const rows = refreshableRows(data, layout);
    // Sheets that are only counted: nothing on them can change.
    if (rows.length === 0) countFinalRows(counts, data, layout);
    else candidates.push({ sheet, rows });
  }
  let first: { sheet: SheetPort; rows: JobRow[]; data: Cell[][]; layout: SheetLayout } | null = null;
  let refused = false;
  const queue: number[] = [];
  for (const candidate of candidates) {
    if (first) {
      queue.push(candidate.sheet.id);
      continue;
    }
    // A sheet without the Name and Amount headers can't be prepared; with several sheets
    // (the hourly refresh) the others still get their turn.
    const prepared = prepareSheet(ctx, candidate.sheet, ['paidAt']);
    if (prepared) first = { ...candidate, data: prepared.data, layout: prepared.layout };
    else refused = true;
  }
  if (!first) return refused ? { refused: true } : { nothing: counts };
  countFinalRows(counts, first.data, first.layout);
  const job = jobFor(ctx, 'refresh', first.sheet, first.rows);
  job.queue = queue;
  for (const key of ['paid', 'expired', 'closed', 'collected'] as const) job.counts[key] += counts[key];
  return { view: startJob(ctx, job) };
}

export function refreshPaymentStatus(ctx: AppContext): ProgressView | undefined {
  return startFromMenu(ctx, (ctx, sheet) => {
    const started = startRefreshLocked(ctx, [sheet]);
    if ('view' in started) return started.view;
    if ('nothing' in started) {
      const c = started.nothing;
      const known = c.paid + c.expired + c.closed > 0;
      const summary = known
        ? `\n\n${ctx.say('summary.refresh', { paid: c.paid, unpaid: 0, expired: c.expired, closed: c.closed, collected: rupiah(c.collected) })}`
        : '';
      ctx.ports.ui.alert(ctx.say('app.title'), `${ctx.say('refresh.nothing')}${summary}`);
    }
    return undefined;
  });
}

/** When the last automatic refresh started (document property). */
const AUTO_REFRESH_AT_KEY = 'mayar.autoRefreshAt';
/**
 * Every editor who saves Settings with the automatic refresh on gets an hourly trigger of their
 * own (Apps Script triggers are per user), each at its own minute: the first in an hour
 * refreshes, the others find it done. Less than an hour, as an hourly trigger drifts.
 */
const AUTO_REFRESH_SPACING_MS = 45 * 60_000;

/** The hourly trigger: refreshes unpaid rows of every sheet, unless a run is in progress or another editor's trigger just did. */
export function autoRefresh(ctx: AppContext): ProgressView | null {
  if (!ctx.settings.autoRefresh || !ctx.store.apiKey(ctx.settings.keyScope)) return null;
  const ran = underLock(ctx, 1000, (): ProgressView | null => {
    const stored = ctx.store.job();
    const now = ctx.ports.clock.now();
    // False for a time never written or unreadable (NaN).
    const doneRecently = now - Number(ctx.ports.documentStore.get(AUTO_REFRESH_AT_KEY) ?? 0) < AUTO_REFRESH_SPACING_MS;
    if (!stored.ok || stored.job || doneRecently) return null;
    ctx.ports.documentStore.setMany({ [AUTO_REFRESH_AT_KEY]: String(now) });
    const started = startRefreshLocked(ctx, ctx.ports.spreadsheet.sheets());
    return 'view' in started ? started.view : null;
  });
  if (!ran.locked) return null;
  const view = ran.value;
  if (view && !view.done) scheduleContinuation(ctx, view.waitMs);
  // Done in its first batch: the start's safety net has nothing left to carry on.
  else if (view) afterRunEnded(ctx);
  return view;
}

/**
 * Create payment links never waits for a refresh: a refresh in progress is set aside (with
 * where it was) and resumes when the create ends (engine/views finish). Both go through the
 * one stored rate limiter, so together they never send faster than it allows. Call with the
 * lock held; true when a refresh was set aside.
 */
export function setAsideRefresh(ctx: AppContext): boolean {
  const stored = ctx.store.job();
  if (!stored.ok || !stored.job || stored.job.kind !== 'refresh') return false;
  const aside = ctx.store.setAsideJob();
  if (!aside.ok || aside.job) return false;
  ctx.store.save({ job: null, setAside: stored.job });
  return true;
}

/** Puts a set-aside refresh back when no create took its place (nothing to send, a refusal). */
export function restoreSetAsideRefresh(ctx: AppContext): void {
  const stored = ctx.store.job();
  const aside = ctx.store.setAsideJob();
  if (!stored.ok || stored.job || !aside.ok || !aside.job) return;
  ctx.store.save({ job: aside.job, setAside: null });
}

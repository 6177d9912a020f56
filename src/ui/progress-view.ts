/**
 * The Progress sidebar's page: its elements, and how a ProgressView and the wait before the
 * next call are shown on them. What to call and when is progress.client.ts's business.
 */
import { localeFrom, type UiMessageKey as MessageKey } from '../core/messages';
import type { ProgressView } from '../core/progress';
import { append, formatCount, formatDuration, formatRupiah, h, I18n, show } from './dom';

export const i18n = new I18n(localeFrom(navigator.language));

/** A wait shown as a countdown: before the next batch (rate limit) or before a retry. */
export interface Countdown {
  until: number;
  kind: 'rate' | 'retry';
}

function tile(id: string, key: MessageKey, wide = false): { node: HTMLElement; value: HTMLElement } {
  const value = h('span', { className: 'tile-value', id });
  return { node: h('div', { className: wide ? 'tile wide' : 'tile' }, value, h('span', { className: 'tile-label' }, i18n.text(key))), value };
}

const title = h('h1', { id: 'title' });
const pausedBadge = h('span', { className: 'badge', id: 'paused-badge', hidden: true }, i18n.text('ui.progress.pausedBadge'));
const meta = h('p', { className: 'meta', id: 'meta' });
const barFill = h('div', { className: 'bar-fill', id: 'bar-fill' });
const bar = h('div', { className: 'bar', id: 'bar', attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' } }, barFill);
const rows = h('p', { className: 'rows', id: 'rows' });

const created = tile('count-created', 'ui.progress.created');
const failed = tile('count-failed', 'ui.progress.failed');
const pending = tile('count-pending', 'ui.progress.pending');
const needsReview = tile('count-needs-review', 'ui.progress.needsReview');
const createCounts = h('div', { className: 'tiles', id: 'counts-create' }, created.node, failed.node, pending.node, needsReview.node);

const paid = tile('count-paid', 'ui.progress.paid');
const unpaid = tile('count-unpaid', 'ui.progress.unpaid');
const expired = tile('count-expired', 'ui.progress.expired');
const closed = tile('count-closed', 'ui.progress.closed');
const collected = tile('collected', 'ui.progress.collected', true);
const refreshCounts = h('div', { className: 'tiles', id: 'counts-refresh' }, paid.node, unpaid.node, expired.node, closed.node, collected.node);

const eta = h('p', { className: 'line', id: 'eta' });
const rateWait = h('p', { className: 'line wait', id: 'rate-wait', hidden: true });
const message = h('p', { className: 'message', id: 'message', hidden: true });

const errorLine = h('p', { id: 'error-text' });
const retryText = h('p', { className: 'help', id: 'retry-text' });
export const retryNow = h('button', { id: 'retry-now', attrs: { type: 'button' } }, i18n.text('ui.progress.retryNow'));
const errorBox = h('div', { className: 'notice error', id: 'error', attrs: { role: 'alert' }, hidden: true }, errorLine, retryText, retryNow);

const pausedNote = h('p', { className: 'notice', id: 'paused-note', hidden: true }, i18n.text('ui.progress.paused'));
export const pauseButton = h('button', { id: 'pause', attrs: { type: 'button' } }, i18n.text('ui.progress.pause'));
export const resumeButton = h('button', { id: 'resume', className: 'primary', attrs: { type: 'button' }, hidden: true }, i18n.text('ui.progress.resume'));
export const cancelButton = h('button', { id: 'cancel', attrs: { type: 'button' } }, i18n.text('ui.progress.cancel'));
export const controls = h('div', { className: 'buttons', id: 'controls', hidden: true }, pauseButton, resumeButton, cancelButton);

export const cancelYes = h('button', { id: 'cancel-yes', className: 'danger-button', attrs: { type: 'button' } }, i18n.text('ui.progress.cancelYes'));
export const cancelNo = h('button', { id: 'cancel-no', attrs: { type: 'button' } }, i18n.text('ui.progress.cancelNo'));
export const cancelConfirm = h(
  'div',
  { className: 'notice warning', id: 'cancel-confirm', hidden: true },
  h('p', {}, i18n.text('ui.progress.cancelConfirm')),
  h('div', { className: 'buttons' }, cancelYes, cancelNo),
);

const summaryTitle = h('h2', { id: 'summary-title' });
const summaryText = h('p', { id: 'summary-text' });
const failedRows = h('p', { className: 'help', id: 'failed-rows', hidden: true });
const errorPosition = h('p', { className: 'help', id: 'error-position', attrs: { role: 'status' }, hidden: true });
export const goToError = h('button', { id: 'go-to-error', className: 'primary', attrs: { type: 'button' }, hidden: true });
export const nextError = h('button', { id: 'next-error', attrs: { type: 'button' }, hidden: true }, i18n.text('ui.progress.nextError'));
const summary = h(
  'section',
  { className: 'summary', id: 'summary', hidden: true },
  summaryTitle,
  summaryText,
  failedRows,
  errorPosition,
  h('div', { className: 'buttons' }, goToError, nextError),
);

const body = h(
  'div',
  { id: 'progress', hidden: true },
  h('div', { className: 'title-row' }, title, pausedBadge),
  meta,
  bar,
  rows,
  createCounts,
  refreshCounts,
  eta,
  rateWait,
  summary,
  message,
  pausedNote,
  controls,
  cancelConfirm,
);
const loading = h('p', { className: 'status', id: 'loading' }, i18n.text('ui.loading'));

append(document.getElementById('app') ?? document.body, h('main', { className: 'sidebar' }, loading, body, errorBox));
i18n.bind(() => {
  document.title = i18n.t('ui.progress.windowTitle');
});

function titleKey(v: ProgressView): MessageKey {
  if (v.done) {
    if (v.state === 'cancelled') return 'ui.progress.cancelled';
    if (v.state === 'stopped') return 'ui.progress.stopped';
    if (v.kind === null) return 'ui.progress.titleIdle';
    return v.failed > 0 ? 'ui.progress.finishedWithErrors' : 'ui.progress.finished';
  }
  return v.kind === 'refresh' ? 'ui.progress.titleRefresh' : 'ui.progress.titleCreate';
}

/** Shows `v`; `paused` also counts a Pause clicked here that the server has not confirmed yet. */
export function renderView(v: ProgressView, paused: boolean): void {
  const locale = i18n.locale;
  const refresh = v.kind === 'refresh';
  const processed = Math.max(0, v.total - v.pending);
  const percent = v.total > 0 ? Math.min(100, Math.round((processed / v.total) * 100)) : v.done ? 100 : 0;

  title.textContent = i18n.t(titleKey(v));
  show(pausedBadge, !v.done && paused);
  const metaParts: string[] = [];
  if (v.sheetName) metaParts.push(i18n.t('ui.progress.sheet', { sheet: v.sheetName }));
  if (v.startedBy) metaParts.push(i18n.t('ui.progress.startedBy', { user: v.startedBy }));
  meta.textContent = metaParts.join(' · ');
  show(meta, metaParts.length > 0);

  const hasJob = v.kind !== null;
  show(bar, hasJob);
  show(rows, hasJob);
  barFill.style.width = `${percent}%`;
  bar.setAttribute('aria-valuenow', String(percent));
  bar.classList.toggle('paused', paused);
  rows.textContent = i18n.t('ui.progress.rows', {
    done: formatCount(processed, locale),
    total: formatCount(v.total, locale),
    percent,
  });

  show(createCounts, hasJob && !refresh);
  show(refreshCounts, hasJob && refresh);
  created.value.textContent = formatCount(v.created, locale);
  failed.value.textContent = formatCount(v.failed, locale);
  failed.node.classList.toggle('bad', v.failed > 0);
  pending.value.textContent = formatCount(v.pending, locale);
  needsReview.value.textContent = formatCount(v.needsReview, locale);
  needsReview.node.classList.toggle('warn', v.needsReview > 0);
  paid.value.textContent = formatCount(v.paid, locale);
  unpaid.value.textContent = formatCount(v.unpaid, locale);
  expired.value.textContent = formatCount(v.expired, locale);
  closed.value.textContent = formatCount(v.closed, locale);
  collected.value.textContent = formatRupiah(v.collected);

  eta.textContent = i18n.t('ui.progress.timeLeft', { time: formatDuration(i18n, v.etaMs) });
  show(eta, !v.done && !paused && v.pending > 0);

  message.textContent = v.message;
  show(message, v.message !== '');
  show(pausedNote, !v.done && paused);

  show(controls, !v.done && !cancelConfirmOpen());
  show(pauseButton, !paused);
  show(resumeButton, paused);
  if (v.done) show(cancelConfirm, false);

  show(summary, v.done && hasJob);
  summaryTitle.textContent = i18n.t(titleKey(v));
  summaryText.textContent = refresh
    ? i18n.t('ui.progress.summaryRefresh', {
        paid: formatCount(v.paid, locale),
        unpaid: formatCount(v.unpaid, locale),
        expired: formatCount(v.expired, locale),
        closed: formatCount(v.closed, locale),
        collected: formatRupiah(v.collected),
      })
    : i18n.t('ui.progress.summaryCreate', {
        created: formatCount(v.created, locale),
        failed: formatCount(v.failed, locale),
        needsReview: formatCount(v.needsReview, locale),
      });
  // Green only when nothing failed; with failures, how many and a way to step through them.
  summary.classList.toggle('bad', v.failed > 0);
  failedRows.textContent = i18n.t('ui.progress.failedRows', { count: formatCount(v.failed, locale) });
  show(failedRows, v.done && v.failed > 0);
  show(goToError, v.done && v.firstErrorRow !== null);
  goToError.textContent = v.firstErrorRow === null ? '' : i18n.t('ui.progress.goToError', { row: v.firstErrorRow });
  show(nextError, v.done && v.firstErrorRow !== null && v.failed > 1);
  if (!v.done) showErrorPosition(null);
}

/** Where stepping through the failed rows has got to; null hides the line. */
export function showErrorPosition(step: { row: number | null; index: number; count: number } | null): void {
  show(errorPosition, step !== null);
  if (!step) return;
  errorPosition.textContent =
    step.row === null
      ? i18n.t('ui.progress.noErrorsLeft')
      : i18n.t('ui.progress.errorAt', { index: formatCount(step.index, i18n.locale), count: formatCount(step.count, i18n.locale), row: step.row });
}

function cancelConfirmOpen(): boolean {
  return !cancelConfirm.hidden;
}

/** Shows the seconds left of `countdown`; a rate wait only while the run is `running`. */
export function showCountdown(countdown: Countdown | null, running: boolean): void {
  const remaining = countdown ? countdown.until - Date.now() : 0;
  const seconds = Math.max(0, Math.ceil(remaining / 1000));
  const kind = countdown?.kind;
  const rate = kind === 'rate' && seconds > 0 && running;
  show(rateWait, rate);
  if (rate) rateWait.textContent = i18n.t('ui.progress.rateWait', { seconds });
  retryText.textContent = kind === 'retry' ? i18n.t('ui.progress.retrying', { seconds }) : '';
  show(retryText, kind === 'retry');
  show(retryNow, kind === 'retry');
}

export function showError(text: string): void {
  errorLine.textContent = text;
  show(errorBox, text !== '');
}

/** Replaces "Loading…" with the job, once its first view has arrived. */
export function showProgress(): void {
  show(loading, false);
  show(body, true);
}

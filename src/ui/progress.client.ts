/**
 * Progress sidebar. It drives the run: the server processes one batch per processNextBatch()
 * call and says how long to wait (waitMs); the waiting happens here, in the browser, so no
 * server execution ever sleeps. Failed calls are retried with a growing delay.
 */
import { localeFrom, type UiMessageKey as MessageKey } from '../core/messages';
import type { ProgressView } from '../core/progress';
import { append, formatCount, formatDuration, formatRupiah, h, I18n, show } from './dom';
import { createServer, errorText } from './server';

const server = createServer();
const i18n = new I18n(localeFrom(navigator.language));

/** Waits shorter than this are not worth a countdown (it would only flicker). */
const COUNTDOWN_FROM_MS = 2000;
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 60_000;

let view: ProgressView | null = null;
/** Set as soon as the user clicks Pause, before the server confirms, so no new batch starts. */
let pausedHere = false;
let cancelling = false;
let inFlight = false;
let failures = 0;
let stepTimer: ReturnType<typeof setTimeout> | undefined;
let tickTimer: ReturnType<typeof setInterval> | undefined;
let countdown: { until: number; kind: 'rate' | 'retry' } | null = null;
let retryAction: (() => void) | null = null;
// Responses can arrive out of order (a batch still running while pauseRun answers); a view
// older than the one on screen is not rendered.
let issued = 0;
let rendered = 0;

// ---- DOM -------------------------------------------------------------------------------

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
const retryNow = h('button', { id: 'retry-now', attrs: { type: 'button' } }, i18n.text('ui.progress.retryNow'));
const errorBox = h('div', { className: 'notice error', id: 'error', attrs: { role: 'alert' }, hidden: true }, errorLine, retryText, retryNow);

const pausedNote = h('p', { className: 'notice', id: 'paused-note', hidden: true }, i18n.text('ui.progress.paused'));
const pauseButton = h('button', { id: 'pause', attrs: { type: 'button' } }, i18n.text('ui.progress.pause'));
const resumeButton = h('button', { id: 'resume', className: 'primary', attrs: { type: 'button' }, hidden: true }, i18n.text('ui.progress.resume'));
const cancelButton = h('button', { id: 'cancel', attrs: { type: 'button' } }, i18n.text('ui.progress.cancel'));
const controls = h('div', { className: 'buttons', id: 'controls', hidden: true }, pauseButton, resumeButton, cancelButton);

const cancelYes = h('button', { id: 'cancel-yes', className: 'danger-button', attrs: { type: 'button' } }, i18n.text('ui.progress.cancelYes'));
const cancelNo = h('button', { id: 'cancel-no', attrs: { type: 'button' } }, i18n.text('ui.progress.cancelNo'));
const cancelConfirm = h(
  'div',
  { className: 'notice warning', id: 'cancel-confirm', hidden: true },
  h('p', {}, i18n.text('ui.progress.cancelConfirm')),
  h('div', { className: 'buttons' }, cancelYes, cancelNo),
);

const summaryTitle = h('h2', { id: 'summary-title' });
const summaryText = h('p', { id: 'summary-text' });
const goToError = h('button', { id: 'go-to-error', className: 'primary', attrs: { type: 'button' }, hidden: true });
const summary = h('section', { className: 'summary', id: 'summary', hidden: true }, summaryTitle, summaryText, goToError);

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

// ---- Rendering --------------------------------------------------------------------------

function isPaused(v: ProgressView): boolean {
  return pausedHere || v.state === 'paused';
}

function shouldRun(): boolean {
  return view !== null && !view.done && !isPaused(view) && !cancelling;
}

function titleKey(v: ProgressView): MessageKey {
  if (v.done) {
    if (v.state === 'cancelled') return 'ui.progress.cancelled';
    if (v.state === 'stopped') return 'ui.progress.stopped';
    if (v.kind === null) return 'ui.progress.titleIdle';
    return 'ui.progress.finished';
  }
  return v.kind === 'refresh' ? 'ui.progress.titleRefresh' : 'ui.progress.titleCreate';
}

function render(): void {
  const v = view;
  if (!v) return;
  const locale = i18n.locale;
  const refresh = v.kind === 'refresh';
  const processed = Math.max(0, v.total - v.pending);
  const percent = v.total > 0 ? Math.min(100, Math.round((processed / v.total) * 100)) : v.done ? 100 : 0;

  title.textContent = i18n.t(titleKey(v));
  show(pausedBadge, !v.done && isPaused(v));
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
  bar.classList.toggle('paused', isPaused(v));
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
  show(eta, !v.done && !isPaused(v) && v.pending > 0);

  message.textContent = v.message;
  show(message, v.message !== '');
  show(pausedNote, !v.done && isPaused(v));

  show(controls, !v.done && !cancelConfirmOpen());
  show(pauseButton, !isPaused(v));
  show(resumeButton, isPaused(v));
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
  show(goToError, v.done && v.firstErrorRow !== null);
  goToError.textContent = v.firstErrorRow === null ? '' : i18n.t('ui.progress.goToError', { row: v.firstErrorRow });

  renderCountdown();
}

function cancelConfirmOpen(): boolean {
  return !cancelConfirm.hidden;
}

function renderCountdown(): void {
  const remaining = countdown ? countdown.until - Date.now() : 0;
  const seconds = Math.max(0, Math.ceil(remaining / 1000));
  const rate = countdown?.kind === 'rate' && seconds > 0 && shouldRun();
  show(rateWait, rate);
  if (rate) rateWait.textContent = i18n.t('ui.progress.rateWait', { seconds });
  retryText.textContent = countdown?.kind === 'retry' ? i18n.t('ui.progress.retrying', { seconds }) : '';
  show(retryText, countdown?.kind === 'retry');
  show(retryNow, countdown?.kind === 'retry');
}

function startCountdown(ms: number, kind: 'rate' | 'retry'): void {
  stopCountdown();
  if (kind === 'rate' && ms < COUNTDOWN_FROM_MS) return;
  countdown = { until: Date.now() + ms, kind };
  tickTimer = setInterval(renderCountdown, 1000);
  renderCountdown();
}

function stopCountdown(): void {
  if (tickTimer !== undefined) clearInterval(tickTimer);
  tickTimer = undefined;
  countdown = null;
  renderCountdown();
}

function showError(text: string): void {
  errorLine.textContent = text;
  show(errorBox, text !== '');
}

/** Shows a newer view; returns false when a newer one is already on screen. */
function accept(seq: number, next: ProgressView): boolean {
  if (seq < rendered) return false;
  rendered = seq;
  view = next;
  i18n.setLocale(next.locale);
  show(loading, false);
  show(body, true);
  render();
  return true;
}

// ---- The loop ---------------------------------------------------------------------------

function clearTimers(): void {
  if (stepTimer !== undefined) clearTimeout(stepTimer);
  stepTimer = undefined;
  retryAction = null;
  stopCountdown();
}

function scheduleNext(): void {
  clearTimers();
  if (!view || !shouldRun()) {
    render();
    return;
  }
  const wait = Math.max(0, view.waitMs);
  startCountdown(wait, 'rate');
  stepTimer = setTimeout(() => void step(), wait);
}

/** After a failed call: show why, and try `action` again later, waiting longer each time. */
function scheduleRetry(error: unknown, action: () => void): void {
  clearTimers();
  failures += 1;
  const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (failures - 1));
  showError(i18n.t('ui.error.server', { message: errorText(error) }));
  retryAction = action;
  startCountdown(delay, 'retry');
  stepTimer = setTimeout(() => {
    retryAction = null;
    action();
  }, delay);
}

function succeeded(): void {
  failures = 0;
  showError('');
}

async function step(): Promise<void> {
  stepTimer = undefined;
  stopCountdown();
  if (!shouldRun() || inFlight) return;
  inFlight = true;
  const seq = ++issued;
  try {
    const next = await server.processNextBatch();
    inFlight = false;
    succeeded();
    accept(seq, next);
    scheduleNext();
  } catch (error) {
    inFlight = false;
    // Paused or cancelled meanwhile: the retry would be dropped by shouldRun() anyway.
    if (shouldRun()) scheduleRetry(error, () => void step());
    else showError(i18n.t('ui.error.server', { message: errorText(error) }));
  }
}

async function load(): Promise<void> {
  const seq = ++issued;
  try {
    const next = await server.getProgress();
    succeeded();
    accept(seq, next);
    scheduleNext();
  } catch (error) {
    scheduleRetry(error, () => void load());
  }
}

async function pause(): Promise<void> {
  pausedHere = true;
  clearTimers();
  render();
  pauseButton.disabled = true;
  const seq = ++issued;
  try {
    accept(seq, await server.pauseRun());
    succeeded();
  } catch (error) {
    // The loop is stopped here either way: the server only moves when this page calls it.
    showError(i18n.t('ui.error.server', { message: errorText(error) }));
  } finally {
    pauseButton.disabled = false;
  }
}

async function resume(): Promise<void> {
  resumeButton.disabled = true;
  const seq = ++issued;
  try {
    const next = await server.resumeRun();
    pausedHere = false;
    succeeded();
    accept(seq, next);
    scheduleNext();
  } catch (error) {
    showError(i18n.t('ui.error.server', { message: errorText(error) }));
  } finally {
    resumeButton.disabled = false;
  }
}

async function cancel(): Promise<void> {
  cancelling = true;
  clearTimers();
  cancelYes.disabled = true;
  const seq = ++issued;
  try {
    const next = await server.cancelRun();
    succeeded();
    show(cancelConfirm, false);
    accept(seq, next);
  } catch (error) {
    showError(i18n.t('ui.error.server', { message: errorText(error) }));
    show(cancelConfirm, false);
  } finally {
    cancelling = false;
    cancelYes.disabled = false;
    scheduleNext();
  }
}

pauseButton.addEventListener('click', () => void pause());
resumeButton.addEventListener('click', () => void resume());
cancelButton.addEventListener('click', () => {
  // An in-page confirmation: Apps Script's sandboxed iframe may block window.confirm.
  show(cancelConfirm, true);
  show(controls, false);
  cancelNo.focus();
});
cancelNo.addEventListener('click', () => {
  show(cancelConfirm, false);
  render();
});
cancelYes.addEventListener('click', () => void cancel());
retryNow.addEventListener('click', () => {
  const action = retryAction;
  clearTimers();
  action?.();
});
goToError.addEventListener('click', () => {
  const v = view;
  if (!v || v.firstErrorRow === null) return;
  server.goToRow(v.sheetName, v.firstErrorRow).catch((error: unknown) => {
    showError(i18n.t('ui.error.server', { message: errorText(error) }));
  });
});

void load();

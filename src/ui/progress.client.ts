/**
 * Progress sidebar. It drives the run: the server processes one batch per processNextBatch()
 * call and says how long to wait (waitMs); the waiting happens here, in the browser, so no
 * server execution ever sleeps. Failed calls are retried with a growing delay. What the page
 * looks like, and how a view is shown on it, is in progress-view.ts.
 */
import type { ProgressView } from '../core/progress';
import { show } from './dom';
import { createServer, errorText } from './server';
import {
  cancelButton,
  cancelConfirm,
  cancelNo,
  cancelYes,
  controls,
  type Countdown,
  goToError,
  i18n,
  nextError,
  pauseButton,
  renderView,
  resumeButton,
  retryNow,
  showCountdown,
  showError,
  showErrorPosition,
  showProgress,
} from './progress-view';

const server = createServer();

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
let countdown: Countdown | null = null;
let retryAction: (() => void) | null = null;
// Responses can arrive out of order (a batch still running while pauseRun answers); a view
// older than the one on screen is not rendered.
let issued = 0;
let rendered = 0;

// ---- What the page shows ------------------------------------------------------------------

function isPaused(v: ProgressView): boolean {
  return pausedHere || v.state === 'paused';
}

function shouldRun(): boolean {
  return view !== null && !view.done && !isPaused(view) && !cancelling;
}

function render(): void {
  if (!view) return;
  renderView(view, isPaused(view));
  renderCountdown();
}

function renderCountdown(): void {
  showCountdown(countdown, shouldRun());
}

function startCountdown(ms: number, kind: Countdown['kind']): void {
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

/** Shows a newer view; returns false when a newer one is already on screen. */
function accept(seq: number, next: ProgressView): boolean {
  if (seq < rendered) return false;
  rendered = seq;
  view = next;
  i18n.setLocale(next.locale);
  showProgress();
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
/** The failed row selected last (by Go to first error or Next failed row). */
let errorRow = 0;
goToError.addEventListener('click', () => {
  const v = view;
  if (!v || v.firstErrorRow === null) return;
  errorRow = v.firstErrorRow;
  if (v.failed > 1) showErrorPosition({ row: v.firstErrorRow, index: 1, count: v.failed });
  server.goToRow(v.sheetName, v.firstErrorRow).catch((error: unknown) => {
    showError(i18n.t('ui.error.server', { message: errorText(error) }));
  });
});
nextError.addEventListener('click', () => {
  const v = view;
  if (!v) return;
  nextError.disabled = true;
  server
    .goToErrorRow(v.sheetName, errorRow)
    .then((step) => {
      errorRow = step.row ?? 0;
      showErrorPosition(step);
    })
    .catch((error: unknown) => showError(i18n.t('ui.error.server', { message: errorText(error) })))
    .finally(() => (nextError.disabled = false));
});

void load();

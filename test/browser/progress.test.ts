/**
 * The progress sidebar in Chromium: it drives processNextBatch() with browser timers (under
 * Playwright's fake clock, so waits cost no real time), and pause/resume/cancel, retries,
 * summaries, language and escaping behave as the user needs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { progressView, SimulatedRun, XSS } from './fixtures';
import { assertBrowserPresent, type Handlers, openSidebar, serveSidebars, type Sidebar, skipBrowserTests } from './harness';

describe.skipIf(skipBrowserTests)('progress sidebar', { timeout: 30_000 }, () => {
  let served: Awaited<ReturnType<typeof serveSidebars>>;
  let sidebar: Sidebar | undefined;

  beforeAll(async () => {
    assertBrowserPresent();
    served = await serveSidebars();
  });
  afterEach(async () => {
    if (sidebar) expect(sidebar.pageErrors).toEqual([]);
    await sidebar?.close();
    sidebar = undefined;
  });
  afterAll(async () => {
    await served?.close();
  });

  async function open(handlers: Handlers, locale?: string): Promise<Sidebar> {
    sidebar = await openSidebar(served.url('Progress'), { handlers, fakeClock: true, ...(locale ? { locale } : {}) });
    return sidebar;
  }

  function runHandlers(run: SimulatedRun): Handlers {
    return {
      getProgress: () => ({ ...run.view }),
      processNextBatch: () => run.batch(),
      pauseRun: () => run.pause(),
      resumeRun: () => run.resume(),
      cancelRun: () => run.cancel(),
      goToRow: () => undefined,
    };
  }

  const text = (s: Sidebar, selector: string) => s.page.locator(selector).textContent();
  const visible = (s: Sidebar, selector: string) => s.page.locator(selector).isVisible();

  it('runs batch after batch, waiting waitMs in the browser, then shows the summary and jumps to the first error', async () => {
    const run = new SimulatedRun(4, [1]);
    const s = await open(runHandlers(run));
    await expect.poll(() => text(s, '#title')).toBe('Creating payment links');
    expect(await text(s, '#rows')).toBe('0 of 4 rows · 0%');
    expect(await text(s, '#meta')).toBe('Sheet: Customers · Started by ani@tokomaju.id');

    // Nothing is sent before waitMs has passed.
    await s.page.clock.runFor(900);
    expect(s.callsTo('processNextBatch')).toHaveLength(0);
    await s.page.clock.runFor(100);
    await expect.poll(() => s.callsTo('processNextBatch').length).toBe(1);
    await expect.poll(() => text(s, '#count-created')).toBe('1');
    expect(await text(s, '#rows')).toBe('1 of 4 rows · 25%');
    expect(await s.page.locator('#bar').getAttribute('aria-valuenow')).toBe('25');
    expect(await text(s, '#count-pending')).toBe('3');
    expect(await text(s, '#eta')).toBe('Time left: less than a minute');

    for (let i = 2; i <= 4; i += 1) {
      await s.page.clock.runFor(1000);
      await expect.poll(() => s.callsTo('processNextBatch').length).toBe(i);
    }
    await expect.poll(() => visible(s, '#summary')).toBe(true);
    // A failure: not the green "Finished".
    expect(await text(s, '#summary-title')).toBe('Finished, with errors');
    expect(await s.page.getAttribute('#summary', 'class')).toBe('summary bad');
    expect(await text(s, '#summary-text')).toBe('3 created, 1 failed, 0 need review.');
    expect(await text(s, '#failed-rows')).toBe("Failed rows: 1. Each one's Error cell says why.");
    // One failed row: nothing to step through.
    expect(await visible(s, '#next-error')).toBe(false);
    expect(await text(s, '#count-failed')).toBe('1');
    expect(await text(s, '#message')).toBe('Finished Customers.');
    expect(await visible(s, '#controls')).toBe(false);

    // Done: the loop stops.
    await s.page.clock.runFor(60_000);
    expect(s.callsTo('processNextBatch')).toHaveLength(4);

    expect(await text(s, '#go-to-error')).toBe('Go to first error (row 3)');
    await s.page.click('#go-to-error');
    await expect.poll(() => s.callsTo('goToRow')).toEqual([['Customers', 3]]);
  });

  it('counts down the wait for the rate limit', async () => {
    const run = new SimulatedRun(3, [], { waitMs: 12_000, etaMs: 125 * 60_000 });
    const s = await open(runHandlers(run));
    await expect.poll(() => text(s, '#rate-wait')).toBe("Waiting for Mayar's rate limit: 12 s");
    expect(await text(s, '#eta')).toBe('Time left: about 2 h 5 min');
    await s.page.clock.runFor(3000);
    await expect.poll(() => text(s, '#rate-wait')).toBe("Waiting for Mayar's rate limit: 9 s");
    expect(s.callsTo('processNextBatch')).toHaveLength(0);
    await s.page.clock.runFor(9000);
    await expect.poll(() => s.callsTo('processNextBatch').length).toBe(1);
  });

  it('pause stops the calls, resume restarts them, cancel asks first and then stops for good', async () => {
    const run = new SimulatedRun(10);
    const s = await open(runHandlers(run));
    await expect.poll(() => visible(s, '#pause')).toBe(true);
    await s.page.clock.runFor(1000);
    await expect.poll(() => text(s, '#count-created')).toBe('1');

    await s.page.click('#pause');
    await expect.poll(() => s.callsTo('pauseRun').length).toBe(1);
    await expect.poll(() => visible(s, '#resume')).toBe(true);
    expect(await visible(s, '#pause')).toBe(false);
    expect(await visible(s, '#paused-badge')).toBe(true);
    expect(await text(s, '#paused-note')).toBe('Paused. Nothing is sent to Mayar until you resume.');
    await s.page.clock.runFor(120_000);
    expect(s.callsTo('processNextBatch')).toHaveLength(1);

    await s.page.click('#resume');
    await expect.poll(() => s.callsTo('resumeRun').length).toBe(1);
    await expect.poll(() => visible(s, '#pause')).toBe(true);
    await s.page.clock.runFor(1000);
    await expect.poll(() => s.callsTo('processNextBatch').length).toBe(2);

    // Cancel needs a second click in the page; no browser dialog is used.
    await s.page.click('#cancel');
    expect(await visible(s, '#cancel-confirm')).toBe(true);
    expect(s.callsTo('cancelRun')).toHaveLength(0);
    await s.page.click('#cancel-no');
    expect(await visible(s, '#cancel-confirm')).toBe(false);
    expect(s.callsTo('cancelRun')).toHaveLength(0);
    await s.page.click('#cancel');
    await s.page.click('#cancel-yes');
    await expect.poll(() => s.callsTo('cancelRun').length).toBe(1);
    await expect.poll(() => text(s, '#summary-title')).toBe('Cancelled');
    expect(await text(s, '#message')).toBe('Cancelled by ani@tokomaju.id.');
    const sent = s.callsTo('processNextBatch').length;
    await s.page.clock.runFor(60_000);
    expect(s.callsTo('processNextBatch')).toHaveLength(sent);
    expect(s.dialogs).toEqual([]);
  });

  it('shows a failed call and retries later with a growing delay, not in a tight loop', async () => {
    const run = new SimulatedRun(3);
    let failuresLeft = 2;
    const s = await open({
      ...runHandlers(run),
      processNextBatch: () => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('Service invoked too many times in a short time');
        }
        return run.batch();
      },
    });
    await expect.poll(() => visible(s, '#pause')).toBe(true);
    await s.page.clock.runFor(1000);
    await expect.poll(() => text(s, '#error-text')).toBe('Something went wrong: Service invoked too many times in a short time');
    expect(await text(s, '#retry-text')).toBe('Trying again in 2 s');
    await s.page.clock.runFor(1900);
    expect(s.callsTo('processNextBatch')).toHaveLength(1);
    await s.page.clock.runFor(100);
    await expect.poll(() => s.callsTo('processNextBatch').length).toBe(2);
    await expect.poll(() => text(s, '#retry-text')).toBe('Trying again in 4 s');
    await s.page.clock.runFor(3900);
    expect(s.callsTo('processNextBatch')).toHaveLength(2);
    await s.page.clock.runFor(100);
    await expect.poll(() => s.callsTo('processNextBatch').length).toBe(3);
    await expect.poll(() => visible(s, '#error')).toBe(false);
    expect(await text(s, '#count-created')).toBe('1');
  });

  it('retries getProgress when the first load fails', async () => {
    let fail = true;
    const s = await open({
      getProgress: () => {
        if (fail) {
          fail = false;
          throw new Error('Network down');
        }
        return progressView({ done: true, state: 'idle', kind: null, total: 0, pending: 0, message: 'No run in progress.' });
      },
    });
    await expect.poll(() => text(s, '#error-text')).toBe('Something went wrong: Network down');
    await s.page.click('#retry-now');
    await expect.poll(() => text(s, '#title')).toBe('Nothing is running');
    expect(await visible(s, '#error')).toBe(false);
    expect(await visible(s, '#summary')).toBe(false);
    expect(s.callsTo('getProgress')).toHaveLength(2);
  });

  it('summarises a refresh run with paid/unpaid/expired/closed and rupiah collected', async () => {
    const s = await open({
      getProgress: () =>
        progressView({
          kind: 'refresh',
          done: true,
          state: 'done',
          total: 9,
          pending: 0,
          paid: 5,
          unpaid: 2,
          expired: 1,
          closed: 1,
          collected: 1_250_000,
          firstErrorRow: null,
        }),
    });
    await expect.poll(() => visible(s, '#summary')).toBe(true);
    expect(await visible(s, '#counts-create')).toBe(false);
    expect(await visible(s, '#counts-refresh')).toBe(true);
    expect(await text(s, '#count-paid')).toBe('5');
    expect(await text(s, '#count-unpaid')).toBe('2');
    expect(await text(s, '#collected')).toBe('Rp 1.250.000');
    expect(await text(s, '#summary-text')).toBe('5 paid, 2 unpaid, 1 expired, 1 closed. Collected: Rp 1.250.000.');
    expect(await visible(s, '#go-to-error')).toBe(false);
  });

  it('speaks Indonesian when the server says so', async () => {
    const run = new SimulatedRun(4, [], { locale: 'id', waitMs: 5000 });
    const s = await open(runHandlers(run));
    await expect.poll(() => text(s, '#title')).toBe('Membuat link pembayaran');
    expect(await text(s, '#pause')).toBe('Jeda');
    expect(await text(s, '#cancel')).toBe('Batalkan');
    expect(await text(s, '#rows')).toBe('0 dari 4 baris · 0%');
    expect(await text(s, '#rate-wait')).toBe('Menunggu batas kecepatan Mayar: 5 detik');
    expect(await s.page.locator('#count-created + .tile-label').textContent()).toBe('Dibuat');
    expect(await s.page.evaluate(() => document.documentElement.lang)).toBe('id');
  });

  it('renders names and messages from data as text, never as HTML', async () => {
    const s = await open({
      getProgress: () =>
        progressView({
          done: true,
          state: 'stopped',
          created: 1,
          failed: 1,
          pending: 0,
          total: 2,
          sheetName: `Pelanggan ${XSS}`,
          startedBy: '<b>budi</b>',
          message: `Stopped at ${XSS}`,
          firstErrorRow: 3,
        }),
      goToRow: () => undefined,
    });
    await expect.poll(() => text(s, '#message')).toBe(`Stopped at ${XSS}`);
    expect(await text(s, '#meta')).toBe(`Sheet: Pelanggan ${XSS} · Started by <b>budi</b>`);
    expect(await s.page.locator('img, b').count()).toBe(0);
    expect(await s.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await s.page.click('#go-to-error');
    await expect.poll(() => s.callsTo('goToRow')).toEqual([[`Pelanggan ${XSS}`, 3]]);
    expect(s.dialogs).toEqual([]);
  });

  it('finished with failures: their count, and Next failed row steps through each, back to the first', async () => {
    const steps = [
      { row: 9, index: 2, count: 3 },
      { row: 14, index: 3, count: 3 },
      { row: 4, index: 1, count: 3 },
    ];
    const s = await open({
      getProgress: () =>
        progressView({ done: true, state: 'done', created: 7, failed: 3, pending: 0, total: 10, firstErrorRow: 4, message: 'Finished Customers.' }),
      goToRow: () => undefined,
      goToErrorRow: () => steps.shift() ?? { row: null, index: 0, count: 0 },
    });
    await expect.poll(() => text(s, '#summary-title')).toBe('Finished, with errors');
    expect(await text(s, '#failed-rows')).toBe("Failed rows: 3. Each one's Error cell says why.");
    await s.page.click('#go-to-error');
    await expect.poll(() => s.callsTo('goToRow')).toEqual([['Customers', 4]]);
    expect(await text(s, '#error-position')).toBe('Failed row 1 of 3: row 4');
    await s.page.click('#next-error');
    await expect.poll(() => text(s, '#error-position')).toBe('Failed row 2 of 3: row 9');
    await s.page.click('#next-error');
    await expect.poll(() => text(s, '#error-position')).toBe('Failed row 3 of 3: row 14');
    await s.page.click('#next-error');
    await expect.poll(() => text(s, '#error-position')).toBe('Failed row 1 of 3: row 4');
    // Each step starts after the row selected last.
    expect(s.callsTo('goToErrorRow')).toEqual([
      ['Customers', 4],
      ['Customers', 9],
      ['Customers', 14],
    ]);
    await s.page.click('#next-error');
    await expect.poll(() => text(s, '#error-position')).toBe('No row has an error any more.');
  });

  it('finished with nothing failed: green', async () => {
    const s = await open({ getProgress: () => progressView({ done: true, state: 'done', created: 5, pending: 0, total: 5, message: 'Finished Customers.' }) });
    await expect.poll(() => text(s, '#summary-title')).toBe('Finished');
    expect(await s.page.getAttribute('#summary', 'class')).toBe('summary');
    expect(await visible(s, '#failed-rows')).toBe(false);
    expect(await visible(s, '#go-to-error')).toBe(false);
  });
});

/**
 * The sidebars against the real server: every google.script.run call goes to the built bundle
 * (dist/Code.js) in the in-memory Apps Script runtime, which talks to the Mayar simulator. The
 * page's fake clock and the runtime's virtual clock move together, so a run of several minutes
 * takes well under a second of real time, and the one-off triggers fire when they would.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SettingsView } from '../../src/core/settings';
import { sidebarCall } from '../../tools/apps-script/gas-runtime';
import { expectSound, LINK, watchCreates } from '../integration/soundness';
import { MayarSimulator } from '../../tools/mayar/mayar-simulator';
import { customers, World } from '../support/world';
import {
  assertBrowserPresent,
  openServedSidebar,
  pendingCalls,
  serveBuiltSidebars,
  type ServedSidebars,
  type ServerName,
  type Sidebar,
  skipBrowserTests,
} from './harness';

const MINUTE = 60_000;
/** The app's rate window: Mayar's minute plus a second (src/core/limiter.ts). */
const RATE_WINDOW_MS = 61_000;

/**
 * google.script.run → World: before each call the runtime's clock moves by the page time that
 * passed since the previous call (or sync), so waits in the browser are waits on the server.
 * Executions take virtual time of their own, as they do in Apps Script.
 */
class Bridge {
  private pageTime: number | null = null;

  constructor(private readonly world: World) {}

  /** Moves the runtime's clock by the page time passed since the last sync; due triggers fire. */
  syncTo(pageNow: number): void {
    if (this.pageTime !== null && pageNow > this.pageTime) this.world.runtime.advance(pageNow - this.pageTime);
    this.pageTime = Math.max(this.pageTime ?? pageNow, pageNow);
  }

  readonly serve = (name: ServerName, args: unknown[], pageNow: number): unknown => {
    this.syncTo(pageNow);
    const { execution, value } = sidebarCall(this.world.runtime, name, args);
    if (execution.error) throw new Error(execution.error.message);
    return value;
  };
}

/** Create requests Mayar received, by virtual time. */
function createTimes(world: World): number[] {
  return world.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/payments/create')).map((r) => r.at);
}

/** The most creates any window of `windowMs` holds. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe.skipIf(skipBrowserTests)('sidebars against the real server', { timeout: 30_000 }, () => {
  let served: ServedSidebars;
  let sidebar: Sidebar | undefined;

  beforeAll(async () => {
    assertBrowserPresent();
    served = await serveBuiltSidebars();
  });
  afterEach(async () => {
    if (sidebar) expect(sidebar.pageErrors).toEqual([]);
    if (sidebar) expect(sidebar.dialogs).toEqual([]);
    await sidebar?.close();
    sidebar = undefined;
  });
  afterAll(async () => {
    await served?.close();
  });

  async function open(world: World, page: 'Progress' | 'Settings'): Promise<{ s: Sidebar; bridge: Bridge }> {
    const bridge = new Bridge(world);
    sidebar = await openServedSidebar(served.url(page), { serve: bridge.serve, fakeClock: true });
    return { s: sidebar, bridge };
  }

  const text = (s: Sidebar, selector: string) => s.page.locator(selector).textContent();
  const visible = (s: Sidebar, selector: string) => s.page.locator(selector).isVisible();

  /** Lets `ms` of page time pass, waits for the replies of the calls made meanwhile, then brings the server's clock along. */
  async function pass(s: Sidebar, bridge: Bridge, ms: number): Promise<void> {
    await s.page.clock.runFor(ms);
    await expect.poll(() => pendingCalls(s.page)).toBe(0);
    bridge.syncTo(await s.page.evaluate(() => Date.now()));
  }

  /** Passes page time in steps until `done`; returns the page time it took. */
  async function passUntil(s: Sidebar, bridge: Bridge, done: () => Promise<boolean> | boolean, stepMs = 5_000, maxMs = 15 * MINUTE): Promise<number> {
    for (let elapsed = 0; elapsed <= maxMs; elapsed += stepMs) {
      if (await done()) return elapsed;
      await pass(s, bridge, stepMs);
    }
    throw new Error(`not done after ${maxMs / 1000} s of page time`);
  }

  const summaryShown = (s: Sidebar) => () => visible(s, '#summary');

  it('the progress sidebar carries a real run of 45 rows to its end, within the rate limit', async () => {
    const world = new World({ rows: customers(45) });
    const sent = watchCreates(world);
    const click = world.run('createPaymentLinks');
    expect((click.value as { done: boolean }).done).toBe(false);
    expect(world.sim.createCount()).toBe(20);

    const { s, bridge } = await open(world, 'Progress');
    await expect.poll(() => text(s, '#title')).toBe('Creating payment links');
    expect(await text(s, '#rows')).toBe('20 of 45 rows · 44%');
    expect(await text(s, '#count-created')).toBe('20');
    expect(await visible(s, '#rate-wait')).toBe(true);

    const took = await passUntil(s, bridge, summaryShown(s));
    expect(await text(s, '#summary-title')).toBe('Finished');
    expect(await text(s, '#summary-text')).toBe('45 created, 0 failed, 0 need review.');
    expect(await text(s, '#count-created')).toBe('45');
    expect(await text(s, '#rows')).toBe('45 of 45 rows · 100%');
    expect(await visible(s, '#controls')).toBe(false);
    expect(await visible(s, '#go-to-error')).toBe(false);

    expect(world.column('Payment Link').filter((link) => LINK.test(String(link)))).toHaveLength(45);
    expect(world.column('Status')).toEqual(Array(45).fill('Unpaid'));
    expect(world.sim.createCount()).toBe(45);
    expect(createTimes(world)).toHaveLength(45);
    expect(busiestWindow(createTimes(world), RATE_WINDOW_MS)).toBeLessThanOrEqual(20);
    expect(world.sim.tooManyRequestsSent).toBe(0);
    expectSound(world, sent);

    // Three windows of 20, 20 and 5: two waits of a rate window, not much more.
    expect(took).toBeGreaterThanOrEqual(2 * RATE_WINDOW_MS - 5_000);
    expect(took).toBeLessThanOrEqual(2 * RATE_WINDOW_MS + 30_000);
    // The open sidebar got there before every continuation trigger.
    expect(world.runtime.executions.filter((e) => e.kind === 'trigger').map((e) => e.fn)).toEqual([]);
    expect(s.callsTo('processNextBatch').length).toBeGreaterThanOrEqual(2);

    // Done: the page calls nothing more.
    const calls = s.calls.length;
    await pass(s, bridge, 5 * MINUTE);
    expect(s.calls).toHaveLength(calls);
  });

  it('Pause in the sidebar stops the real run, triggers included; Resume finishes it', async () => {
    const world = new World({ rows: customers(45) });
    const sent = watchCreates(world);
    world.run('createPaymentLinks');
    const { s, bridge } = await open(world, 'Progress');
    await expect.poll(() => text(s, '#title')).toBe('Creating payment links');

    // The sidebar's first batch sends the second window.
    await passUntil(s, bridge, async () => (await text(s, '#count-created')) === '40');
    expect(world.sim.createCount()).toBe(40);
    const batches = s.callsTo('processNextBatch').length;

    await s.page.click('#pause');
    await expect.poll(() => s.callsTo('pauseRun').length).toBe(1);
    await expect.poll(() => visible(s, '#resume')).toBe(true);
    expect(await text(s, '#paused-note')).toBe('Paused. Nothing is sent to Mayar until you resume.');
    expect((world.run('getProgress').value as { state: string }).state).toBe('paused');

    // Minutes pass on both clocks: nothing is sent, by the page or by a trigger.
    for (let i = 0; i < 10; i++) await pass(s, bridge, 30_000);
    expect(world.sim.createCount()).toBe(40);
    expect(s.callsTo('processNextBatch')).toHaveLength(batches);
    expect(world.runtime.triggers.filter((t) => t.handler === 'processNextBatch')).toEqual([]);
    expect(await visible(s, '#paused-badge')).toBe(true);
    expect(await text(s, '#count-pending')).toBe('5');

    // Resume sends at once what the rate window allows: here the last 5 rows.
    await s.page.click('#resume');
    await expect.poll(() => s.callsTo('resumeRun').length).toBe(1);
    await passUntil(s, bridge, summaryShown(s));
    expect(await text(s, '#summary-title')).toBe('Finished');
    expect(await text(s, '#summary-text')).toBe('45 created, 0 failed, 0 need review.');
    expect(world.sim.createCount()).toBe(45);
    expect(busiestWindow(createTimes(world), RATE_WINDOW_MS)).toBeLessThanOrEqual(20);
    expectSound(world, sent);
  });

  it('the settings sidebar saves a new key and expiry on the server, never shows the key, and tests it', async () => {
    const world = new World();
    const key = MayarSimulator.makeKey('new');
    world.sim.addKey(key, { environment: 'sandbox' });

    const { s } = await open(world, 'Settings');
    await s.page.locator('#settings-form').waitFor({ state: 'visible' });
    expect(await text(s, '#key-hint')).toBe(`Saved key …${world.apiKey.slice(-4)}`);
    expect(await s.page.inputValue('#defaultExpiryDays')).toBe(String((world.run('getSettings').value as SettingsView).defaultExpiryDays));

    await s.page.click('#replace-key');
    await s.page.fill('#apiKey', key);
    await s.page.fill('#defaultExpiryDays', '10');
    await s.page.click('#save');
    await expect.poll(() => text(s, '#status')).toBe('Settings saved.');

    const settings = world.run('getSettings').value as SettingsView;
    expect(settings.defaultExpiryDays).toBe(10);
    expect(settings.hasApiKey).toBe(true);
    expect(settings.apiKeyHint).toBe(`…${key.slice(-4)}`);
    expect(await text(s, '#key-hint')).toBe(`Saved key …${key.slice(-4)}`);
    expect(await s.page.inputValue('#apiKey')).toBe('');
    expect(await s.page.inputValue('#defaultExpiryDays')).toBe('10');
    const html = await s.page.content();
    expect(html).not.toContain(key);
    expect(html).not.toContain(world.apiKey);
    // The key went to the server once, in saveSettings, and no reply carried it back.
    expect(JSON.stringify(s.calls.filter((c) => c.name !== 'saveSettings'))).not.toContain(key);

    // With the old key revoked, only the saved new one can pass the test.
    world.sim.revokeKey(world.apiKey);
    await s.page.click('#test-connection');
    await expect
      .poll(() => text(s, '#test-result'))
      .toBe('Connected to Mayar (sandbox) at api.mayar.io: the key works there, and the add-on will use that address.');
    expect(await s.page.getAttribute('#test-result', 'data-tone')).toBe('ok');
    expect(s.callsTo('testConnection')).toEqual([[{ environment: 'sandbox' }]]);
    expect(await s.page.content()).not.toContain(key);
  });
});

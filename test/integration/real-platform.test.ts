/**
 * The built add-on where the real platform gets in the way: people whose email Google hides,
 * triggers Google refuses, an add-on's single hourly trigger, quotas used up, protected ranges,
 * filters, and dialogs that must not hold the lock.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { GasRuntime, type HttpRequest } from '../../tools/apps-script/gas-runtime';
import { MayarSimulator } from '../../tools/mayar/mayar-simulator';
import { customers, SHEET, World } from '../support/world';

const HOUR = 3_600_000;
/** The most a trigger fires late in the Apps Script fake. */
const LATE = 60_000;

interface View {
  done: boolean;
  state: string;
  waitMs: number;
  message: string;
}

function isCreate(request: HttpRequest): boolean {
  return request.method === 'POST' && request.url.includes('/payments/create');
}

/** The bearer keys of every create request Mayar saw, in order. */
function recordCreateKeys(world: World): string[] {
  const keys: string[] = [];
  world.onRequest((request) => {
    if (isCreate(request)) keys.push(JSON.stringify(request.headers));
  });
  return keys;
}

function view(world: World, fn: string, args: unknown[] = [], user?: string): View {
  return world.run(fn, args, { context: 'sidebar', ...(user ? { user } : {}) }).value as View;
}

/** The sidebar of `user`: calls processNextBatch, waiting as told, until the run is done or paused. */
function driveAs(world: World, user: string, maxSteps = 500): View {
  for (let step = 0; step < maxSteps; step++) {
    const last = view(world, 'processNextBatch', [], user);
    if (last.done || last.state === 'paused') return last;
    world.runtime.advance(Math.max(1, last.waitMs));
  }
  throw new Error('the run did not finish');
}

function toastsMatching(world: World, pattern: RegExp): string[] {
  return world.runtime.ui.toasts.map((t) => t.message).filter((m) => pattern.test(m));
}

function expectEveryRowLinkedOnce(world: World, count: number): void {
  const links = world.column('Payment Link').map(String);
  expect(links).toHaveLength(count);
  expect(links.every((link) => link.startsWith('https://'))).toBe(true);
  const creates = world.createsPerContent();
  expect(creates.size).toBe(count);
  expect([...creates.values()].every((n) => n === 1)).toBe(true);
}

describe('people whose email Google hides', () => {
  it("never continues a run with the second person's key; the starter's sidebar finishes it", () => {
    const ana = 'ana@gmail.com';
    const budi = 'budi@gmail.com';
    const world = new World({ rows: customers(45), runtime: { hideOtherUsersEmail: true } });
    const anaKey = MayarSimulator.makeKey('key-of-ana');
    const budiKey = MayarSimulator.makeKey('key-of-budi');
    for (const key of [anaKey, budiKey]) world.sim.addKey(key, { environment: 'sandbox' });
    const keys = recordCreateKeys(world);

    world.run('saveSettings', [{ apiKey: anaKey, keyScope: 'user' }], { user: ana });
    world.run('saveSettings', [{ apiKey: budiKey, keyScope: 'user' }], { user: budi });
    world.run('createPaymentLinks', [], { user: ana });
    expect(keys.length).toBeGreaterThan(0);
    const sentByAna = keys.length;

    world.runtime.advance(61_000);
    const shown = world.run('showProgress', [], { user: budi });
    expect(shown.error).toBeUndefined();
    const budiView = view(world, 'processNextBatch', [], budi);

    expect(budiView.message).toMatch(/uses the API key of/);
    expect(keys.length).toBe(sentByAna);
    expect(keys.some((k) => k.includes(budiKey))).toBe(false);

    const last = driveAs(world, ana);
    expect(last.done).toBe(true);
    expectEveryRowLinkedOnce(world, 45);
    expect(keys.every((k) => k.includes(anaKey))).toBe(true);
  });
});

describe('triggers Google refuses', () => {
  it('sends the first window, opens the sidebar, says once that it needs the sidebar, and the sidebar finishes', () => {
    const world = new World({ rows: customers(45) });
    world.runtime.failTriggerCreation(10_000);

    world.run('createPaymentLinks');

    expect(world.createRequests()).toBe(20);
    expect(world.runtime.ui.sidebars).toHaveLength(1);
    expect(world.runtime.triggers).toHaveLength(0);
    world.driveToEnd();
    expectEveryRowLinkedOnce(world, 45);
    expect(toastsMatching(world, /continues only while the progress sidebar is open/)).toHaveLength(1);
  });

  it('saves the settings when the hourly refresh trigger is refused, and says so', () => {
    const world = new World({ rows: customers(2) });
    world.runtime.failTriggerCreation(10_000);

    const saved = view(world, 'saveSettings', [{ autoRefresh: true, defaultExpiryDays: 9 }]) as unknown as { ok: boolean };

    expect(saved.ok).toBe(true);
    const settings = view(world, 'getSettings') as unknown as { autoRefresh: boolean; defaultExpiryDays: number };
    expect(settings).toMatchObject({ autoRefresh: true, defaultExpiryDays: 9 });
    expect(toastsMatching(world, /Saved, but Google did not allow the hourly trigger/)).toHaveLength(1);
  });
});

describe('an installed Editor add-on', () => {
  it('has one hourly trigger, hourlyTick, that finishes a 150-row run with the sidebar closed, several windows an hour', () => {
    const world = new World({ rows: customers(150), runtime: { installation: 'addon' } });

    world.run('createPaymentLinks');
    const afterClick = world.createRequests();
    expect(afterClick).toBeGreaterThan(0);
    expect(world.runtime.triggers.map((t) => [t.handler, t.schedule])).toEqual([['hourlyTick', 'everyHours']]);

    const perHour: number[] = [];
    for (let hour = 1; hour <= 4 && world.column('Payment Link').some((l) => l === ''); hour++) {
      const before = world.createRequests();
      // The first hour ends when the trigger fires: up to a minute late, as Apps Script allows.
      world.runtime.advance(hour === 1 ? HOUR + LATE : HOUR);
      expect(world.runtime.triggers.length).toBeLessThanOrEqual(1);
      perHour.push(world.createRequests() - before);
    }

    expectEveryRowLinkedOnce(world, 150);
    expect(perHour.length).toBeLessThanOrEqual(3);
    // More than one rate window (20 a minute) in the first hourly execution.
    expect(perHour[0]).toBeGreaterThan(40);
    expect(world.runtime.triggers).toHaveLength(0);

    expect(world.runtime.open({ authMode: 'FULL' }).error).toBeUndefined();
    expect(world.runtime.ui.menus.at(-1)?.addon).toBe(true);
  });
});

describe('errors raised before anything is sent', () => {
  it('pauses on a used-up UrlFetch quota without marking rows for review, and resumes with exactly one link a row', () => {
    const world = new World({ rows: customers(45) });
    world.run('createPaymentLinks');
    const sent = world.createRequests();
    world.runtime.setUrlFetchRemaining(0);

    world.runtime.advance(61_000);
    const paused = driveAs(world, world.user);

    expect(paused.state).toBe('paused');
    expect(paused.message).toMatch(/Paused: Apps Script refused to send anything/);
    expect(paused.message).toMatch(/quotas reset/);
    expect(world.createRequests()).toBe(sent);
    expect(world.column('Status').filter((s) => s === 'Needs review')).toEqual([]);
    expect(world.column('Error').filter((e) => e !== '')).toEqual([]);

    world.runtime.setUrlFetchRemaining(20_000);
    view(world, 'resumeRun');
    world.driveToEnd();
    expectEveryRowLinkedOnce(world, 45);
  });
});

/** customers(n) with the output headers already in place, and a Notes column between two of them. */
function customersWithOutput(n: number): string[][] {
  const rows = customers(n);
  rows[0] = [...(rows[0] ?? []), 'Payment Link', 'Notes', 'Payment ID', 'Transaction ID', 'Status', 'Error'];
  return rows;
}

describe('protected ranges', () => {
  it('pauses on a protected output range with a message naming it, sends no row twice, and finishes once unprotected', () => {
    const world = new World({ rows: customersWithOutput(30) });
    const sheet = world.runtime.spreadsheet.sheet(SHEET);
    sheet.protect('F2:K100');

    const clicked = world.run('createPaymentLinks').value as View;
    const progress = view(world, 'getProgress');

    expect(progress.state).toBe('paused');
    for (const message of [clicked.message, progress.message])
      expect(message).toMatch(/^Paused: Google Sheets refused to write 'Invoices'!F2:F21 \(You are trying to edit a protected cell/);
    expect(world.column('Payment Link').filter((l) => l !== '')).toEqual([]);

    sheet.protections.length = 0;
    view(world, 'resumeRun');
    world.driveToEnd();
    expectEveryRowLinkedOnce(world, 30);
  });

  it('keeps the reason when a background batch hits the protection, for whoever opens the sidebar later', () => {
    const world = new World({ rows: customersWithOutput(45) });
    world.run('createPaymentLinks');
    world.runtime.spreadsheet.sheet(SHEET).protect('F2:K100');

    world.runtime.advance(2 * 60_000);
    const progress = view(world, 'getProgress');

    expect(progress.state).toBe('paused');
    expect(progress.message).toMatch(/^Paused: Google Sheets refused to write 'Invoices'!F22:F41 /);
    expect(world.createRequests()).toBe(40);
  });

  it('pauses on a protected Mayar Log sheet, then finishes with one link a row', () => {
    const world = new World({ rows: customers(30) });
    world.run('setUpSheet');
    const log = world.runtime.spreadsheet.find('Mayar Log') ?? world.runtime.spreadsheet.addSheet('Mayar Log');
    log.protect(null);
    world.runtime.spreadsheet.setActiveSheet(SHEET);

    world.run('createPaymentLinks');
    const progress = view(world, 'getProgress');

    expect(progress.state).toBe('paused');
    expect(progress.message).toMatch(/Mayar Log/);

    log.protections.length = 0;
    view(world, 'resumeRun');
    world.driveToEnd();
    expectEveryRowLinkedOnce(world, 30);
  });

  it("keeps a teammate's formula in a Notes column between the output columns it writes", () => {
    const rows = customersWithOutput(3);
    rows[2] = [...(rows[2] ?? []), '', '=UPPER(A3)'];
    const world = new World({ rows });

    world.run('createPaymentLinks');
    world.driveToEnd();

    expect(world.runtime.spreadsheet.formulas(SHEET)[2]?.[6]).toBe('=UPPER(A3)');
    expectEveryRowLinkedOnce(world, 3);
  });

  it("keeps a teammate's formula in a row between two rows it writes", () => {
    const rows = customersWithOutput(3);
    // Row 3 was linked earlier; its Error cell holds a teammate's formula.
    rows[2] = [...(rows[2] ?? []), 'https://sandbox.mayar.id/earlier', '', 'earlier-id', '', 'Unpaid', '=IF(J3="Unpaid","chase","")'];
    const world = new World({ rows });

    world.run('createPaymentLinks');
    world.driveToEnd();

    expect(world.runtime.spreadsheet.formulas(SHEET)[2]?.[10]).toBe('=IF(J3="Unpaid","chase","")');
    expect(world.column('Payment Link').map(String)).toEqual([
      expect.stringMatching(/^https:\/\//),
      'https://sandbox.mayar.id/earlier',
      expect.stringMatching(/^https:\/\//),
    ]);
    expect(world.createRequests()).toBe(2);
  });
});

describe('filters', () => {
  it('leaves rows a filter hides out of "Create payment links for selected rows", and says how many', () => {
    const world = new World({ rows: customers(6) });
    world.runtime.spreadsheet.sheet(SHEET).hideRowsByFilter(3, 5);
    world.runtime.spreadsheet.setSelection(SHEET, 'A2:A7');

    world.run('createPaymentLinksForSelection');
    world.driveToEnd();

    expect(world.column('Payment Link').map((l) => l !== '')).toEqual([true, false, true, false, true, true]);
    expect(toastsMatching(world, /^2 selected rows hidden by a filter were left out\.$/)).toHaveLength(1);
  });

  it('leaves rows a filter hides out of "Close selected payment links", and says how many', () => {
    const world = new World({ rows: customers(4) });
    world.run('createPaymentLinks');
    world.driveToEnd();
    world.runtime.spreadsheet.sheet(SHEET).hideRowsByFilter(3);
    world.runtime.spreadsheet.setSelection(SHEET, 'A2:A5');

    world.run('closeSelectedPaymentLinks');

    const closes = world.sim.requests.filter((r) => r.path.includes('close')).length;
    expect(closes).toBe(3);
    expect(world.column('Status')[1]).not.toBe('Closed');
    const said = [...world.alerts(), ...world.runtime.ui.toasts.map((t) => t.message)].join('\n');
    expect(said).toMatch(/1 selected rows hidden by a filter were left out\./);
  });
});

describe('dialogs and the lock', () => {
  it('shows its dialogs only once the lock is released: the summary, "nothing to send", a sheet it can\'t use', () => {
    const world = new World({ rows: customers(3) });
    const shown: string[] = [];
    world.runtime.ui.onAlert = (alert) =>
      shown.push(`${world.runtime.lock.holder('script') ?? world.runtime.lock.holder('document') ?? 'unlocked'}: ${alert.message.split('\n')[0] ?? ''}`);

    world.run('createPaymentLinks');
    world.run('createPaymentLinks');
    world.runtime.spreadsheet.addSheet('Mayar Log', [['Time']]);
    world.run('createPaymentLinks');

    expect(shown.length).toBeGreaterThanOrEqual(3);
    expect(shown.some((s) => /Nothing to send|nothing to send/i.test(s))).toBe(true);
    expect(shown.some((s) => /Mayar Log sheet/.test(s))).toBe(true);
    expect(shown.filter((s) => !s.startsWith('unlocked: '))).toEqual([]);
  });

  it("the UI log's onAlert hook sees who holds the lock as each alert is shown", () => {
    const rt = new GasRuntime({
      http: () => ({ kind: 'network-error', message: 'offline', latencyMs: 0, reachedServer: false }),
      bundleDir: join(import.meta.dirname, '../tools/fixtures'),
    });
    const holders: (string | null)[] = [];
    rt.ui.onAlert = (alert) => holders.push(`${alert.message} / ${rt.lock.holder() ?? 'nobody'}`);

    rt.run('ask');
    rt.lock.holdDocumentLock('another execution');
    rt.run('ask');

    expect(holders).toEqual(['Send 3 rows to Mayar? / nobody', 'Send 3 rows to Mayar? / another execution']);
  });
});

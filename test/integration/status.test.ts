/**
 * Payment status on the built bundle: Refresh payment status, the automatic hourly refresh,
 * Mayar's webhook and Close selected payment links, against the Mayar simulator.
 */
import { describe, expect, it } from 'vitest';
import type { Execution } from '../../tools/apps-script/gas-runtime';
import type { RequestLogEntry } from '../../tools/mayar/mayar-simulator';
import { customers, SHEET, World, type WorldOptions } from '../support/world';
import { busiestMinute } from './soundness';

const LOG_SHEET = 'Mayar Log';
const HOUR = 3_600_000;
/** The most a trigger fires late in the Apps Script fake. */
const LATE = 60_000;

interface Setup {
  world: World;
  /** Payment ID per data row (index 0 = sheet row 2). */
  ids: string[];
}

/** A sheet of `n` customers whose links were all created. */
function withLinks(n: number, options: WorldOptions & { expiry?: (i: number) => string } = {}): Setup {
  const { expiry, ...worldOptions } = options;
  const world = new World({ rows: customers(n, (i) => (expiry ? { expiry: expiry(i) } : {})), ...worldOptions });
  world.run('createPaymentLinks');
  world.driveToEnd();
  // The first run inserted the Mayar Log sheet without taking the person away from the invoices.
  expect(world.runtime.spreadsheet.activeSheet.name).toBe(SHEET);
  const ids = world.column('Payment ID').map(String);
  expect(ids).toHaveLength(n);
  for (const id of ids) expect(id).toMatch(/\S/);
  expect(world.column('Status').every((s) => s === 'Unpaid')).toBe(true);
  world.runtime.ui.alerts.length = 0;
  return { world, ids };
}

function statusReads(world: World, since = 0): RequestLogEntry[] {
  return world.sim.requests.slice(since).filter((r) => r.method === 'GET' && /\/payments\/[^/]+$/.test(r.path));
}

/** What was asked of Mayar, in order: history, list, payment <id>, transaction <id>. */
function readsSent(world: World, since = 0): string[] {
  return world.sim.requests
    .slice(since)
    .filter((r) => r.method === 'GET')
    .map((r) => {
      if (r.path.endsWith('/webhooks/history')) return 'history';
      if (r.path.endsWith('/payments')) return 'list';
      if (r.path.endsWith('/transactions')) return 'paid list';
      const single = /\/(payments|transactions)\/([^/]+)$/.exec(r.path);
      return single ? `${single[1] === 'payments' ? 'payment' : 'transaction'} ${single[2] ?? ''}` : r.path;
    });
}

function amountOf(i: number): number {
  return 10_000 + i * 100;
}

function rupiahText(amount: number): string {
  return `Rp ${amount.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}

/** Customers on another sheet: other names, emails and amounts, so Mayar's duplicate rule stays out of it. */
function otherCustomers(prefix: string, n: number): string[][] {
  return customers(n).map((row, i) =>
    i === 0 ? row : [`${prefix} ${row[0] ?? ''}`, String(50_000 + i * 100), `${prefix.toLowerCase()}${i}@example.com`, `${prefix} invoice ${i}`, row[4] ?? ''],
  );
}

/** Every sheet's values, for "nothing changed" checks. */
function everything(world: World): string {
  const book = world.runtime.spreadsheet;
  const names = [SHEET, LOG_SHEET].filter((name) => {
    try {
      book.values(name);
      return true;
    } catch {
      return false;
    }
  });
  return JSON.stringify(names.map((name) => [name, book.values(name)]));
}

function sheetWrites(execution: Execution): number {
  return Object.entries(execution.calls)
    .filter(([method]) => /^(Range\.(set|clear|insert|delete)|Sheet\.(append|insert|delete|clear)|Spreadsheet\.insert)/.test(method))
    .reduce((sum, [, count]) => sum + count, 0);
}

function logRows(world: World): Record<string, unknown>[] {
  try {
    return world.rows(LOG_SHEET);
  } catch {
    return [];
  }
}

function webhookToken(world: World): string {
  const settings = world.run('getSettings').value as { webhookUrl: string | null };
  expect(settings.webhookUrl).toMatch(/^https:\/\/script\.google\.com\/macros\/s\/AKfy-test\/exec\?token=[A-Za-z0-9]{32,}$/);
  return new URL(settings.webhookUrl as string).searchParams.get('token') as string;
}

interface Posted {
  execution: Execution;
  answer: Record<string, unknown>;
  text: string;
}

function post(world: World, query: Record<string, string>, body: string): Posted {
  const execution = world.runtime.post(query, body);
  expect(execution.error).toBeUndefined();
  const output = execution.value as { getContent(): string; getMimeType(): unknown };
  expect(String(output.getMimeType())).toBe('JSON');
  const text = output.getContent();
  return { execution, answer: JSON.parse(text) as Record<string, unknown>, text };
}

/** Answers the next dialog with `answer`, doing `meanwhile` while it is open (others at work). */
function whileDialogOpen(world: World, answer: string, meanwhile: () => void): void {
  const answers = world.runtime.ui.answers;
  const shift = answers.shift.bind(answers);
  answers.shift = () => {
    answers.shift = shift;
    meanwhile();
    return answer;
  };
}

describe('Refresh payment status', () => {
  it('reads the webhook history and one page of the list, then the time of each payment; writes Paid At, logs only changes', () => {
    const { world, ids } = withLinks(4);
    const transactions = world.column('Transaction ID').map(String);
    const paidAt = world.runtime.clock.now();
    world.sim.markPaid(ids[0] as string);
    world.sim.markPaid(ids[2] as string);
    world.runtime.advance(5 * 60_000);
    const before = world.sim.requests.length;

    const execution = world.run('refreshPaymentStatus');

    const view = execution.value as Record<string, unknown>;
    expect(view.done).toBe(true);
    expect(view).toMatchObject({ kind: 'refresh', paid: 2, unpaid: 2, expired: 0, collected: amountOf(1) + amountOf(3) });
    expect(world.header()).toContain('Paid At');
    expect(world.column('Status')).toEqual(['Paid', 'Unpaid', 'Paid', 'Unpaid']);
    const paidAtCells = world.column('Paid At');
    // The time Mayar's paid list gives (when the payment settled, seconds after it), not the time of the refresh.
    expect(paidAtCells[0]).toBeInstanceOf(Date);
    for (const cell of [paidAtCells[0], paidAtCells[2]]) {
      expect((cell as Date).getTime() - paidAt).toBeGreaterThanOrEqual(0);
      expect((cell as Date).getTime() - paidAt).toBeLessThanOrEqual(60_000);
    }
    expect(paidAtCells[1]).toBe('');
    expect(paidAtCells[3]).toBe('');
    expect(world.column('Error')).toEqual(['', '', '', '']);

    // No read per row: the history, one page of the list, and one of the paid transactions list.
    expect(readsSent(world, before)).toEqual(['history', 'list', 'paid list']);
    expect(transactions).toHaveLength(4);
    expect(world.sim.requests.slice(before).find((r) => r.path.endsWith('/payments'))?.query).toBe('?limit=50');
    expect(statusReads(world, before)).toEqual([]);
    // The Paid At header, then the paid rows (timed by one read) with their log lines, then the
    // Mayar Summary in one write; the rows still Unpaid are not written.
    expect(execution.calls['Range.setValues'] ?? 0).toBe(5);

    const collected = rupiahText(amountOf(1) + amountOf(3));
    expect(world.alerts()).toEqual([`Mayar Sheets: Status: 2 paid, 2 unpaid, 0 expired, 0 closed. Collected: ${collected}.`]);
    expect(collected).toBe('Rp 20.400');

    // Changes of status only: the two rows that stayed Unpaid add nothing to the log.
    const logged = logRows(world).filter((r) => r.Action === 'refresh status');
    expect(logged.map((r) => [r['Payment ID'], r.Outcome, r.Row])).toEqual([
      [ids[0], 'Paid', 2],
      [ids[2], 'Paid', 4],
    ]);
  });

  it('a second refresh reads no row that is already final, and logs nothing when nothing changed', () => {
    const { world, ids } = withLinks(3);
    world.sim.markPaid(ids[1] as string);
    world.run('refreshPaymentStatus');
    const before = world.sim.requests.length;
    const logBefore = logRows(world).length;
    world.runtime.ui.alerts.length = 0;

    world.run('refreshPaymentStatus');

    expect(readsSent(world, before)).toEqual(['history', 'list']);
    expect(world.column('Status')).toEqual(['Unpaid', 'Paid', 'Unpaid']);
    expect(logRows(world)).toHaveLength(logBefore);
    // The summary is the sheet's: the row paid earlier still counts, and so does its money.
    expect(world.alerts()).toEqual([`Mayar Sheets: Status: 1 paid, 2 unpaid, 0 expired, 0 closed. Collected: ${rupiahText(amountOf(2))}.`]);
  });

  it('with every row final, says there is nothing to refresh and gives the totals', () => {
    const { world, ids } = withLinks(3);
    for (const id of ids) world.sim.markPaid(id);
    world.run('refreshPaymentStatus');
    world.runtime.ui.alerts.length = 0;
    const before = world.sim.requests.length;

    world.run('refreshPaymentStatus');

    expect(world.sim.requests.length).toBe(before);
    const total = rupiahText(amountOf(1) + amountOf(2) + amountOf(3));
    expect(world.alerts()).toEqual([
      `Mayar Sheets: No rows to refresh on this sheet: none has a Payment ID with a status that can still change.\n\nStatus: 3 paid, 0 unpaid, 0 expired, 0 closed. Collected: ${total}.`,
    ]);
  });

  it("reads Closed for a link closed in Mayar's dashboard", () => {
    const { world, ids } = withLinks(2);
    world.sim.closeDirect(ids[1] as string);

    world.run('refreshPaymentStatus');

    expect(world.column('Status')).toEqual(['Unpaid', 'Closed']);
    expect(world.alerts()).toEqual(['Mayar Sheets: Status: 0 paid, 1 unpaid, 0 expired, 0 closed. Collected: Rp 0.'.replace('0 closed', '1 closed')]);
  });
  it('marks links past the expiry the add-on sent Expired, and never reads them again', () => {
    const { world, ids } = withLinks(3, { expiry: (i) => (i === 3 ? '2026-12-31' : '2026-11-26') });
    world.sim.markPaid(ids[0] as string);
    world.runtime.advance(3 * 24 * HOUR);
    const logBefore = logRows(world).length;

    world.run('refreshPaymentStatus');

    expect(world.column('Status')).toEqual(['Paid', 'Expired', 'Unpaid']);
    expect(world.column('Paid At')[1]).toBe('');
    expect(world.alerts()).toEqual([`Mayar Sheets: Status: 1 paid, 1 unpaid, 1 expired, 0 closed. Collected: ${rupiahText(amountOf(1))}.`]);
    expect(
      logRows(world)
        .slice(logBefore)
        .map((r) => [r['Payment ID'], r.Outcome]),
    ).toEqual([
      [ids[1], 'Expired'],
      [ids[0], 'Paid'],
    ]);

    // Expired is final: the next refresh reads no single payment, and leaves the row alone.
    const before = world.sim.requests.length;
    world.run('refreshPaymentStatus');
    expect(readsSent(world, before)).toEqual(['history', 'list']);
    expect(world.column('Status')).toEqual(['Paid', 'Expired', 'Unpaid']);
  });

  it('pages through the list for 120 rows and paces the reads at 20 a minute, never faster', () => {
    const { world, ids } = withLinks(120);
    const paid = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100, 105, 110, 115, 119];
    for (const i of paid) world.sim.markPaid(ids[i] as string);
    world.runtime.advance(2 * 60_000);
    const before = world.sim.requests.length;

    const click = world.run('refreshPaymentStatus');
    const first = click.value as Record<string, unknown>;
    const last = first.done === true ? first : world.driveToEnd().last;

    expect(last).toMatchObject({ done: true, kind: 'refresh', paid: 25, unpaid: 95, expired: 0 });
    const collected = paid.reduce((sum, i) => sum + amountOf(i + 1), 0);
    expect(String(last.message)).toContain(`Status: 25 paid, 95 unpaid, 0 expired, 0 closed. Collected: ${rupiahText(collected)}.`);

    // Three pages of 50, newest first, each after the cursor the last one gave; then one page
    // of the paid transactions list for the 25 times; no read of a single payment.
    const sent = world.sim.requests.slice(before);
    const pages = sent.filter((r) => r.path.endsWith('/payments'));
    expect(pages).toHaveLength(3);
    expect(pages[0]?.query).toBe('?limit=50');
    for (const page of pages.slice(1)) expect(page.query).toMatch(/^\?limit=50&startingAfter=\d+$/);
    expect(readsSent(world, before).filter((r) => r.startsWith('transaction'))).toEqual([]);
    expect(readsSent(world, before).filter((r) => r === 'paid list')).toHaveLength(1);
    expect(statusReads(world, before)).toEqual([]);
    expect(sent).toHaveLength(1 + 3 + 1);
    expect(busiestMinute(sent)).toBeLessThanOrEqual(20);
    expect(sent.every((r) => r.status === 200)).toBe(true);
    const statuses = world.column('Status');
    expect(statuses.filter((s) => s === 'Paid')).toHaveLength(25);
    expect(statuses.filter((s) => s === 'Unpaid')).toHaveLength(95);
    for (const i of paid) expect(world.column('Paid At')[i]).toBeInstanceOf(Date);
    expect(logRows(world).filter((r) => r.Action === 'refresh status')).toHaveLength(25);
    expect(world.runtime.triggers.some((t) => t.handler === 'processNextBatch')).toBe(false);
  });

  it('reads a Payment ID the list does not have on its own: an Error for one Mayar does not know; a failed page is read again later', () => {
    const { world, ids } = withLinks(3);
    const idColumn = world.header().indexOf('Payment ID') + 1;
    world.runtime.spreadsheet.sheet(SHEET).write(3, idColumn, 'no-such-payment');
    world.sim.markPaid(ids[2] as string);
    const transaction = String(world.column('Transaction ID')[2]);
    world.sim.injectFault({ type: 'http-500', match: (r) => new URL(r.url).pathname.endsWith('/payments') });
    const before = world.sim.requests.length;

    const first = world.run('refreshPaymentStatus').value as Record<string, unknown>;
    expect(first.done).toBe(false); // the 500 waits for its retry
    const { last } = world.driveToEnd();

    expect(world.column('Status')).toEqual(['Unpaid', 'Unpaid', 'Paid']);
    expect(world.column('Error')).toEqual(['', 'Mayar has no payment with this Payment ID (check the environment in Settings).', '']);
    expect(world.sim.requests.slice(before).map((r, i) => [readsSent(world, before)[i], r.status])).toEqual([
      ['history', 200],
      ['list', 500],
      ['list', 200],
      // Paid this instant: not settled in the paid list yet, so its transaction gives the time.
      ['paid list', 200],
      ['payment no-such-payment', 404],
      [`transaction ${transaction}`, 200],
    ]);
    expect(last).toMatchObject({ done: true, paid: 1, unpaid: 1, failed: 1, collected: amountOf(3) });
    expect(last.message).toContain('1 rows could not be checked; see their Error cell.');
    expect(world.runtime.ui.toasts.at(-1)?.message).toBe('3 of 3 rows checked: 1 paid, 1 with an error.');
  });

  it('says a run is in progress while links are still being created', () => {
    const world = new World({ rows: customers(45) });
    const started = world.run('createPaymentLinks').value as Record<string, unknown>;
    expect(started.done).toBe(false);
    world.runtime.ui.alerts.length = 0;
    const before = world.sim.requests.length;
    const sheet = everything(world);

    world.run('refreshPaymentStatus');

    expect(world.alerts()).toHaveLength(1);
    expect(world.alerts()[0]).toContain('A run is already in progress on this spreadsheet: creating payment links on "Invoices"');
    expect(world.alerts()[0]).toContain('20 of 45 rows done');
    expect(world.sim.requests.length).toBe(before);
    expect(everything(world)).toBe(sheet);
    expect(world.header()).not.toContain('Paid At');
    // The create run carries on undisturbed.
    const { last } = world.driveToEnd();
    expect(last).toMatchObject({ done: true, kind: 'create', created: 45 });
  });

  it('refuses to work on the Mayar Log sheet', () => {
    const { world } = withLinks(2);
    world.runtime.spreadsheet.setActiveSheet(LOG_SHEET);
    const before = world.sim.requests.length;
    const log = everything(world);

    world.run('refreshPaymentStatus');

    expect(world.alerts()).toEqual([
      'Mayar Sheets: This is the Mayar Log sheet, where the add-on records what it did. Go to the sheet with your customers and try again. Nothing was changed.',
    ]);
    expect(world.sim.requests.length).toBe(before);
    expect(everything(world)).toBe(log);
  });

  it('says there is nothing to refresh on a sheet without payment ids', () => {
    const world = new World({ rows: customers(2) });
    world.run('refreshPaymentStatus');
    expect(world.alerts()).toEqual(['Mayar Sheets: No rows to refresh on this sheet: none has a Payment ID with a status that can still change.']);
    expect(world.sim.requests).toHaveLength(0);
  });
});

describe('Automatic refresh', () => {
  it('installs an hourly trigger that refreshes, and removes it when turned off', () => {
    const { world, ids } = withLinks(3);
    const saved = world.run('saveSettings', [{ autoRefresh: true }]).value as { ok: boolean; settings: { autoRefresh: boolean } };
    expect(saved.ok).toBe(true);
    expect(saved.settings.autoRefresh).toBe(true);
    const hourly = world.runtime.triggers.filter((t) => t.handler === 'hourlyTick');
    expect(hourly).toHaveLength(1);
    expect(hourly[0]?.intervalMs).toBe(HOUR);

    // Saving again does not add a second one.
    world.run('saveSettings', [{ autoRefresh: true }]);
    expect(world.runtime.triggers.filter((t) => t.handler === 'hourlyTick')).toHaveLength(1);

    world.sim.markPaid(ids[1] as string);
    const paidAt = world.runtime.clock.now();
    const before = world.sim.requests.length;
    const fired = world.runtime.advance(HOUR + LATE);

    expect(fired.map((e) => e.fn)).toContain('hourlyTick');
    for (const e of fired) expect(e.error).toBeUndefined();
    expect(readsSent(world, before)).toEqual(['history', 'list', 'paid list']);
    expect(world.column('Status')).toEqual(['Unpaid', 'Paid', 'Unpaid']);
    expect((world.column('Paid At')[1] as Date).getTime() - paidAt).toBeGreaterThanOrEqual(0);
    expect((world.column('Paid At')[1] as Date).getTime() - paidAt).toBeLessThanOrEqual(60_000);
    expect(world.runtime.ui.alerts).toHaveLength(0); // nobody to show a dialog to
    // Only the change is logged.
    expect(
      logRows(world)
        .filter((r) => r.Action === 'refresh status')
        .map((r) => [r['Payment ID'], r.Outcome]),
    ).toEqual([[ids[1], 'Paid']]);

    // The next hour reads no single row: the two unpaid ones are answered by the list.
    const next = world.sim.requests.length;
    world.runtime.advance(HOUR);
    expect(readsSent(world, next)).toEqual(['history', 'list']);
    expect(logRows(world).filter((r) => r.Action === 'refresh status')).toHaveLength(1);

    const off = world.run('saveSettings', [{ autoRefresh: false }]).value as { settings: { autoRefresh: boolean } };
    expect(off.settings.autoRefresh).toBe(false);
    expect(world.runtime.triggers.filter((t) => t.handler === 'hourlyTick')).toHaveLength(0);
    const after = world.sim.requests.length;
    world.runtime.advance(3 * HOUR);
    expect(world.sim.requests.length).toBe(after);
  });

  it('refreshes every sheet, the times of 26 payments from one paid-list read per sheet', () => {
    const { world, ids } = withLinks(30);
    world.runtime.spreadsheet.typeRows('March', otherCustomers('March', 2));
    world.run('createPaymentLinks');
    world.driveToEnd();
    world.runtime.spreadsheet.setActiveSheet(SHEET);
    const marchIds = world.column('Payment ID', 'March').map(String);
    // 25 paid rows: 25 times of payment, from the paid list, not one read each.
    for (const id of ids.slice(5)) world.sim.markPaid(id);
    world.sim.markPaid(marchIds[0] as string);
    world.run('saveSettings', [{ autoRefresh: true }]);
    const before = world.sim.requests.length;

    const fired = world.runtime.advance(HOUR + 10 * 60_000);

    for (const e of fired) expect(e.error).toBeUndefined();
    expect(fired[0]?.fn).toBe('hourlyTick');
    const reads = readsSent(world, before);
    // One history read for both sheets, one list page and one paid-list page per sheet.
    expect(reads.filter((r) => r === 'history')).toHaveLength(1);
    expect(reads.filter((r) => r === 'list')).toHaveLength(2);
    expect(reads.filter((r) => r === 'paid list')).toHaveLength(2);
    expect(reads.filter((r) => r.startsWith('transaction'))).toEqual([]);
    expect(statusReads(world, before)).toEqual([]);
    expect(busiestMinute(world.sim.requests.slice(before))).toBeLessThanOrEqual(20);
    expect(world.column('Status').filter((s) => s === 'Paid')).toHaveLength(25);
    expect(world.column('Status', 'March')).toEqual(['Paid', 'Unpaid']);
    expect(world.column('Paid At', 'March')[0]).toBeInstanceOf(Date);
    expect(world.runtime.triggers.map((t) => t.handler)).toEqual(['hourlyTick']);
    const finished = world.run('getProgress').value as Record<string, unknown>;
    const collected = ids.slice(5).reduce((sum, _, i) => sum + amountOf(i + 6), 0) + 50_100;
    expect(finished).toMatchObject({ done: true, kind: 'refresh', paid: 26, unpaid: 6, collected });
  });

  it('skips a sheet it cannot use and refreshes the others', () => {
    const { world, ids } = withLinks(2);
    // A sheet of copied Payment IDs, without the Name and Amount columns, before the invoices.
    world.runtime.spreadsheet.createSheet('Copied ids', 0);
    world.runtime.spreadsheet.typeRows('Copied ids', [
      ['Payment ID', 'Remark'],
      [ids[0] as string, 'chase'],
    ]);
    world.run('saveSettings', [{ autoRefresh: true }]);
    world.sim.markPaid(ids[0] as string);

    const fired = world.runtime.advance(HOUR + LATE);

    for (const e of fired) expect(e.error).toBeUndefined();
    expect(world.column('Status')).toEqual(['Paid', 'Unpaid']);
    expect(world.values('Copied ids')).toEqual([
      ['Payment ID', 'Remark'],
      [ids[0], 'chase'],
    ]);

    // By hand on that sheet: one dialog naming the missing columns, nothing sent.
    world.runtime.spreadsheet.setActiveSheet('Copied ids');
    const before = world.sim.requests.length;
    world.run('refreshPaymentStatus');
    expect(world.sim.requests.length).toBe(before);
    expect(world.alerts()).toHaveLength(1);
    expect(world.alerts()[0]).toContain('This sheet needs a header row');
  });

  it('with two editors who turned it on (a trigger each, Apps Script triggers being per user): one refresh an hour, not two', () => {
    const { world, ids } = withLinks(3);
    // The key is the document's, so either editor's trigger could refresh.
    world.run('saveSettings', [{ autoRefresh: true, keyScope: 'document' }]);
    world.run('saveSettings', [{ autoRefresh: true }], { user: 'staff@example.com' });
    expect(world.runtime.triggers.map((t) => [t.handler, t.owner]).sort()).toEqual([
      ['hourlyTick', 'owner@example.com'],
      ['hourlyTick', 'staff@example.com'],
    ]);
    world.sim.markPaid(ids[0] as string);

    for (let hour = 1; hour <= 3; hour++) {
      const before = world.sim.requests.length;
      const fired = world.runtime.advance(hour === 1 ? HOUR + LATE : HOUR);
      expect(fired.map((e) => [e.fn, e.error])).toEqual([
        ['hourlyTick', undefined],
        ['hourlyTick', undefined],
      ]);
      // One history read and one list page: a single refresh for the hour.
      expect(readsSent(world, before)).toEqual(hour === 1 ? ['history', 'list', 'paid list'] : ['history', 'list']);
    }
    expect(world.column('Status')).toEqual(['Paid', 'Unpaid', 'Unpaid']);
  });

  it('skips the hour when another execution holds the document lock', () => {
    const { world, ids } = withLinks(2);
    world.run('saveSettings', [{ autoRefresh: true }]);
    world.sim.markPaid(ids[0] as string);
    world.runtime.lock.holdSpreadsheetLock('another execution');
    const before = world.sim.requests.length;

    const fired = world.runtime.advance(HOUR + LATE);

    expect(fired.map((e) => [e.fn, e.error])).toEqual([['hourlyTick', undefined]]);
    expect(world.sim.requests.length).toBe(before);
    expect(world.column('Status')).toEqual(['Unpaid', 'Unpaid']);

    world.runtime.lock.releaseSpreadsheetLock();
    world.runtime.advance(HOUR);
    expect(world.column('Status')).toEqual(['Paid', 'Unpaid']);
  });

  it('does nothing while a create run holds the sheet', () => {
    const { world } = withLinks(2);
    world.run('saveSettings', [{ autoRefresh: true }]);
    world.runtime.spreadsheet.typeRows('Big', otherCustomers('Big', 45));
    const started = world.run('createPaymentLinks').value as Record<string, unknown>;
    expect(started.done).toBe(false);
    world.run('pauseRun');
    const before = world.sim.requests.length;

    world.runtime.advance(HOUR + LATE);

    expect(world.sim.requests.length).toBe(before);
    expect(world.header()).not.toContain('Paid At');
  });
});

describe('Webhook', () => {
  it('with the right token: confirms with Mayar, writes Paid and Paid At, logs it', () => {
    const { world, ids } = withLinks(3);
    const token = webhookToken(world);
    const id = ids[1] as string;
    const transactionId = String(world.column('Transaction ID')[1]);
    world.sim.markPaid(id);
    const paidAt = world.runtime.clock.now();
    world.runtime.advance(30_000);
    const before = world.sim.requests.length;

    const { answer, execution } = post(world, { token }, world.sim.webhookBody(id));

    expect(answer).toEqual({ ok: true, confirmed: true });
    // The transaction confirms the payment and carries its time (updatedAt).
    expect(world.sim.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /hl/v2/transactions/${transactionId}`]);
    expect(world.column('Status')).toEqual(['Unpaid', 'Paid', 'Unpaid']);
    const cell = world.column('Paid At')[1];
    expect(cell).toBeInstanceOf(Date);
    expect((cell as Date).getTime()).toBe(paidAt);
    expect(world.column('Paid At')[0]).toBe('');
    const log = logRows(world).filter((r) => r.Action === 'webhook');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ Sheet: SHEET, Row: 3, Outcome: 'Paid', 'Payment ID': id, Customer: 'Customer 2', Amount: amountOf(2) });
    expect(execution.elapsedMs).toBeLessThan(10_000);
  });

  it('a repeated delivery changes nothing: one Paid, Paid At kept, one log line saying it was a repeat', () => {
    const { world, ids } = withLinks(1);
    const token = webhookToken(world);
    const id = ids[0] as string;
    world.sim.markPaid(id);
    expect(post(world, { token }, world.sim.webhookBody(id)).answer).toEqual({ ok: true, confirmed: true });
    const paidAt = (world.column('Paid At')[0] as Date).getTime();
    world.runtime.advance(5 * 60_000);
    const before = world.sim.requests.length;

    // A sender that counted the web app's 302 as a failure delivers the same event again.
    const { answer } = post(world, { token }, world.sim.webhookBody(id));

    expect(answer).toEqual({ ok: true, confirmed: true, repeat: true });
    expect(world.sim.requests.length).toBe(before);
    expect(world.column('Status')).toEqual(['Paid']);
    expect((world.column('Paid At')[0] as Date).getTime()).toBe(paidAt);
    const log = logRows(world).filter((r) => r.Action === 'webhook');
    expect(log.map((r) => r.Outcome)).toEqual(['Paid', 'a repeat of a webhook already confirmed; nothing changed']);
  });

  it('keeps a webhook that arrives while a batch holds the lock, and confirms it a minute later', () => {
    const { world, ids } = withLinks(1);
    const token = webhookToken(world);
    world.sim.markPaid(ids[0] as string);
    world.runtime.lock.holdSpreadsheetLock('a long batch');
    const before = world.sim.requests.length;
    const sheet = everything(world);

    const { answer, execution } = post(world, { token }, world.sim.webhookBody(ids[0] as string));

    // Nothing touches the sheet or Mayar beside the batch, and nothing is lost.
    expect(answer).toEqual({ ok: true, queued: true });
    expect(world.sim.requests.length).toBe(before);
    expect(sheetWrites(execution)).toBe(0);
    expect(everything(world)).toBe(sheet);
    expect(execution.elapsedMs).toBeLessThan(30_000);

    world.runtime.lock.releaseSpreadsheetLock();
    world.runtime.advance(2 * 60_000);
    expect(world.column('Status')).toEqual(['Paid']);
    expect(world.column('Paid At')[0]).toBeInstanceOf(Date);
  });

  it('has no URL and refuses everything until the web app is deployed', () => {
    const world = new World({ rows: customers(1), webAppUrl: null });
    world.run('createPaymentLinks');
    const settings = world.run('getSettings').value as { webhookUrl: string | null };
    expect(settings.webhookUrl).toBeNull();
    const id = String(world.column('Payment ID')[0]);
    world.sim.markPaid(id);
    const before = world.sim.requests.length;

    const queries: Record<string, string>[] = [{}, { token: '' }, { token: 'undefined' }, { token: 'null' }];
    for (const query of queries) {
      expect(post(world, query, world.sim.webhookBody(id)).answer).toEqual({ ok: false, error: 'forbidden' });
    }
    expect(world.sim.requests.length).toBe(before);
    expect(world.column('Status')).toEqual(['Unpaid']);
  });

  it('accepts null fields in the body', () => {
    const { world, ids } = withLinks(1);
    const token = webhookToken(world);
    const id = ids[0] as string;
    world.sim.markPaid(id);
    const body = JSON.parse(world.sim.webhookBody(id)) as { event: string; data: Record<string, unknown> };
    body.data.transactionId = null;
    body.data.customerMobile = null;
    body.data.status = null;

    const { answer } = post(world, { token }, JSON.stringify(body));

    expect(answer).toEqual({ ok: true, confirmed: true });
    expect(world.column('Status')).toEqual(['Paid']);
  });

  it('while a run uses the whole rate window: keeps it, asks Mayar nothing, and confirms it once the limiter allows', () => {
    const { world, ids } = withLinks(20); // 20 creates in this minute: the window is full
    const token = webhookToken(world);
    const id = ids[4] as string;
    world.sim.markPaid(id);
    const before = world.sim.requests.length;

    const { answer } = post(world, { token }, world.sim.webhookBody(id));

    expect(answer).toEqual({ ok: true, queued: true });
    expect(world.sim.requests.length).toBe(before);
    expect(world.column('Status')[4]).toBe('Unpaid');

    // The trigger it left confirms it when the minute has passed; nothing was lost.
    world.runtime.advance(2 * 60_000);
    expect(world.column('Status')[4]).toBe('Paid');
    expect(world.sim.requests.slice(before).every((r) => r.status === 200)).toBe(true);
    const log = logRows(world).filter((r) => r.Action === 'webhook');
    expect(log.map((r) => r.Outcome)).toEqual(['Paid']);
  });

  it('a payment marked Paid by the webhook counts in the next refresh summary', () => {
    const { world, ids } = withLinks(3);
    world.sim.markPaid(ids[2] as string);
    expect(post(world, { token: webhookToken(world) }, world.sim.webhookBody(ids[2] as string)).answer).toEqual({ ok: true, confirmed: true });
    const before = world.sim.requests.length;

    world.run('refreshPaymentStatus');

    // The row the webhook made Paid is final: not read again.
    expect(world.sim.requests.slice(before).some((r) => r.path.endsWith(String(ids[2])))).toBe(false);
    expect(world.alerts()).toEqual([`Mayar Sheets: Status: 1 paid, 2 unpaid, 0 expired, 0 closed. Collected: ${rupiahText(amountOf(3))}.`]);
  });

  it('finds the row by Transaction ID when the Payment ID is not in the body', () => {
    const { world, ids } = withLinks(2);
    const token = webhookToken(world);
    const id = ids[0] as string;
    world.sim.markPaid(id);
    const body = JSON.parse(world.sim.webhookBody(id)) as { event: string; data: Record<string, unknown> };
    delete body.data.productId;
    expect(body.data.transactionId).toBe(world.column('Transaction ID')[0]);

    const { answer } = post(world, { token }, JSON.stringify(body));

    expect(answer).toEqual({ ok: true, confirmed: true });
    expect(world.column('Status')).toEqual(['Paid', 'Unpaid']);
    expect(world.sim.requests.at(-1)?.path).toBe(`/hl/v2/transactions/${String(body.data.transactionId)}`);
  });

  it('finds the row in any sheet and adds Paid At there', () => {
    const { world } = withLinks(1);
    world.runtime.spreadsheet.typeRows('Other', otherCustomers('Other', 1));
    world.run('createPaymentLinks');
    world.driveToEnd();
    const otherId = String(world.column('Payment ID', 'Other')[0]);
    expect(world.header('Other')).not.toContain('Paid At');
    world.runtime.spreadsheet.setActiveSheet(SHEET);
    world.sim.markPaid(otherId);

    const { answer } = post(world, { token: webhookToken(world) }, world.sim.webhookBody(otherId));

    expect(answer).toEqual({ ok: true, confirmed: true });
    expect(world.column('Status', 'Other')).toEqual(['Paid']);
    expect(world.header('Other')).toContain('Paid At');
    expect(world.column('Paid At', 'Other')[0]).toBeInstanceOf(Date);
    expect(world.column('Status')).toEqual(['Unpaid']);
  });

  it('with a wrong or missing token: changes nothing, learns nothing, calls nobody', () => {
    const { world, ids } = withLinks(2);
    const token = webhookToken(world);
    const id = ids[0] as string;
    world.sim.markPaid(id);
    const body = world.sim.webhookBody(id);
    const sheet = everything(world);
    const properties = JSON.stringify(world.runtime.properties.document.all());
    const before = world.sim.requests.length;

    const wrong = post(world, { token: `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}` }, body);
    const missing = post(world, {}, body);
    const empty = post(world, { token: '' }, body);
    const garbage = post(world, { token: 'x' }, 'not json at all');
    const longer = post(world, { token: `${token}0` }, body);

    for (const p of [wrong, missing, empty, garbage, longer]) {
      expect(p.text).toBe(wrong.text);
      expect(p.answer.ok).toBe(false);
      expect(sheetWrites(p.execution)).toBe(0);
      expect(p.execution.fetchRequests).toBe(0);
    }
    expect(wrong.text).not.toContain(id);
    expect(wrong.text).not.toMatch(/malformed|found|confirm|Invoices/i);
    expect(world.sim.requests.length).toBe(before);
    expect(everything(world)).toBe(sheet);
    expect(JSON.stringify(world.runtime.properties.document.all())).toBe(properties);
    expect(world.column('Status')).toEqual(['Unpaid', 'Unpaid']);
  });

  it('answers a malformed body with an error JSON and logs it, without throwing', () => {
    const { world } = withLinks(1);
    const token = webhookToken(world);
    const before = world.sim.requests.length;

    const notJson = post(world, { token }, 'this is not json');
    const noData = post(world, { token }, JSON.stringify({ event: 'payment.received' }));
    const emptyBody = post(world, { token }, '');
    const noIds = post(world, { token }, JSON.stringify({ event: 'payment.received', data: { status: 'SUCCESS' } }));
    const array = post(world, { token }, '[1,2,3]');
    const nullBody = post(world, { token }, 'null');

    for (const p of [notJson, noData, emptyBody, noIds, array, nullBody]) {
      expect(p.answer.ok).toBe(false);
      expect(p.answer.error).toBe('malformed body');
    }
    expect(world.sim.requests.length).toBe(before);
    expect(world.column('Status')).toEqual(['Unpaid']);
    // The first is logged with what it was; the others are counted, one line an hour.
    const refused = (count: number) => `webhook bodies refused in the last hour (too large, not Mayar ids, or not a Mayar webhook body): ${count}`;
    let log = logRows(world).filter((r) => r.Action === 'webhook');
    expect(log.map((r) => r.Outcome)).toEqual([refused(1)]);
    expect(String(log[0]?.Details)).toContain('this is not json');

    world.runtime.advance(HOUR);
    expect(post(world, { token }, 'still not json').answer).toEqual({ ok: false, error: 'malformed body' });
    log = logRows(world).filter((r) => r.Action === 'webhook');
    expect(log.map((r) => r.Outcome)).toEqual([refused(1), refused(6)]);
    expect(String(log[1]?.Details)).toContain('still not json');
  });

  it('ignores other events', () => {
    const { world, ids } = withLinks(1);
    const token = webhookToken(world);
    const before = world.sim.requests.length;
    const sheet = everything(world);

    const reminder = post(world, { token }, world.sim.webhookBody(ids[0] as string, 'payment.reminder'));
    const testing = post(world, { token }, JSON.stringify({ event: 'testing', data: {} }));

    expect(reminder.answer).toEqual({ ok: true, ignored: 'payment.reminder' });
    expect(testing.answer).toEqual({ ok: true, ignored: 'testing' });
    expect(world.sim.requests.length).toBe(before);
    expect(everything(world)).toBe(sheet);
  });

  it('for a payment that is not in any sheet: ok, found false, no Mayar call', () => {
    const { world, ids } = withLinks(2);
    const token = webhookToken(world);
    const gone = ids[1] as string;
    const goneTx = String(world.column('Transaction ID')[1]);
    // Its row was deleted from the sheet after the link was made; then the customer paid.
    world.runtime.spreadsheet.sheet(SHEET).deleteRows(3, 1);
    world.sim.markPaid(gone);
    const before = world.sim.requests.length;
    const sheet = world.values();

    const { answer, execution } = post(world, { token }, world.sim.webhookBody(gone));

    expect(answer).toEqual({ ok: true, found: false });
    expect(execution.fetchRequests).toBe(0);
    expect(world.sim.requests.length).toBe(before);
    expect(world.values()).toEqual(sheet);
    const log = logRows(world).filter((r) => r.Action === 'webhook');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ Outcome: 'webhooks for payments in no row in the last hour: 1; nothing asked of Mayar', Details: `${gone} ${goneTx}` });
  });

  it('a spoofed webhook that Mayar does not confirm leaves the row unchanged', () => {
    const { world, ids } = withLinks(2);
    const token = webhookToken(world);
    const id = ids[0] as string;
    const body = world.sim.webhookBody(id); // claims payment.received, but nobody paid
    const before = world.sim.requests.length;

    const { answer } = post(world, { token }, body);

    expect(answer).toEqual({ ok: true, confirmed: false });
    expect(world.sim.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /hl/v2/transactions/${String(world.column('Transaction ID')[0])}`,
    ]);
    expect(world.column('Status')).toEqual(['Unpaid', 'Unpaid']);
    expect(world.column('Paid At')).not.toContain(expect.any(Date));
    const log = logRows(world).filter((r) => r.Action === 'webhook');
    expect(log.map((r) => r.Outcome)).toEqual(['not paid according to Mayar; row unchanged']);
    expect(log[0]?.['Payment ID']).toBe(id);
  });

  it('a new secret refuses the old token and accepts the new one', () => {
    const { world, ids } = withLinks(2);
    const oldToken = webhookToken(world);
    expect(webhookToken(world)).toBe(oldToken); // stable until regenerated

    const regenerated = world.run('newWebhookSecret').value as { webhookUrl: string };
    const newToken = new URL(regenerated.webhookUrl).searchParams.get('token') as string;
    expect(newToken).not.toBe(oldToken);
    expect(newToken.length).toBeGreaterThanOrEqual(32);
    expect(webhookToken(world)).toBe(newToken);

    world.sim.markPaid(ids[0] as string);
    const body = world.sim.webhookBody(ids[0] as string);
    const before = world.sim.requests.length;
    const refused = post(world, { token: oldToken }, body);
    expect(refused.answer).toEqual({ ok: false, error: 'forbidden' });
    expect(world.sim.requests.length).toBe(before);
    expect(world.column('Status')).toEqual(['Unpaid', 'Unpaid']);

    const accepted = post(world, { token: newToken }, body);
    expect(accepted.answer).toEqual({ ok: true, confirmed: true });
    expect(world.column('Status')).toEqual(['Paid', 'Unpaid']);
  });
});

describe('Close selected payment links', () => {
  it('refuses a paid row with a message and sends nothing for it', () => {
    const { world, ids } = withLinks(3);
    world.sim.markPaid(ids[0] as string);
    world.run('refreshPaymentStatus');
    expect(world.column('Status')[0]).toBe('Paid');
    world.runtime.ui.alerts.length = 0;
    world.runtime.spreadsheet.setSelection(SHEET, 'A2');
    const before = world.sim.requests.length;

    const summary = world.run('closeSelectedPaymentLinks').value;

    expect(summary).toEqual({ closed: 0, refused: 1, failed: 0, later: 0 });
    expect(world.sim.requests.length).toBe(before);
    expect(world.column('Status')).toEqual(['Paid', 'Unpaid', 'Unpaid']);
    expect(world.column('Error')).toEqual(['Already paid, so it was not closed.', '', '']);
    expect(world.runtime.ui.alerts.map((a) => a.buttons)).not.toContain('YES_NO');
    expect(world.alerts()).toEqual([
      'Mayar Sheets: Closed 0. Refused (already paid): 1. Failed: 0. Not yet sent because of the rate limit: 0 (run again in a minute).',
    ]);
    expect(world.sim.payment(ids[0] as string)?.status).toBe('paid');
  });

  it('closes an unpaid row after YES, and refuses the paid one beside it', () => {
    const { world, ids } = withLinks(3);
    world.sim.markPaid(ids[0] as string);
    world.run('refreshPaymentStatus');
    world.runtime.ui.alerts.length = 0;
    world.runtime.spreadsheet.setSelection(SHEET, 'B2:C3');
    world.runtime.ui.answers.push('YES');
    const before = world.sim.requests.length;

    const summary = world.run('closeSelectedPaymentLinks').value;

    expect(summary).toEqual({ closed: 1, refused: 1, failed: 0, later: 0 });
    expect(world.runtime.ui.alerts[0]).toMatchObject({
      buttons: 'YES_NO',
      answer: 'YES',
      message: 'Close 1 payment links? Customers will no longer be able to pay them.',
    });
    expect(world.sim.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /hl/v2/payments/${ids[1]}/close`]);
    expect(world.column('Status')).toEqual(['Paid', 'Closed', 'Unpaid']);
    expect(world.column('Error')).toEqual(['Already paid, so it was not closed.', '', '']);
    expect(world.sim.payment(ids[1] as string)?.status).toBe('closed');
    expect(world.sim.payment(ids[2] as string)?.status).toBe('unpaid');
    expect(world.alerts()[1]).toBe(
      'Mayar Sheets: Closed 1. Refused (already paid): 1. Failed: 0. Not yet sent because of the rate limit: 0 (run again in a minute).',
    );
    const log = logRows(world).filter((r) => r.Action === 'close');
    expect(log.map((r) => [r.Row, r.Outcome, r['Payment ID']])).toContainEqual([3, 'Closed', ids[1]]);

    // Closed is final: a refresh does not ask about it again (no single read of it).
    const next = world.sim.requests.length;
    world.run('refreshPaymentStatus');
    expect(world.sim.requests.slice(next).some((r) => r.path.endsWith(String(ids[1])))).toBe(false);
    expect(world.column('Status')).toEqual(['Paid', 'Closed', 'Unpaid']);
  });

  it('finds its rows again after the confirmation, when the sheet changed meanwhile', () => {
    const { world, ids } = withLinks(4);
    world.runtime.spreadsheet.setSelection(SHEET, 'A2,A4'); // Customer 1 and Customer 3
    const sheet = world.runtime.spreadsheet.sheet(SHEET);
    const statusColumn = world.header().indexOf('Status') + 1;
    // While the dialog is open, Customer 2 pays (the webhook writes Paid) and a colleague
    // sorts the sheet by Amount, largest first: Customer 4, 3, 2, 1.
    whileDialogOpen(world, 'YES', () => {
      world.sim.markPaid(ids[1] as string);
      sheet.write(3, statusColumn, 'Paid');
      sheet.sortRows(2, 5, 2, false);
    });
    const before = world.sim.requests.length;

    const summary = world.run('closeSelectedPaymentLinks').value;

    expect(summary).toEqual({ closed: 2, refused: 0, failed: 0, later: 0 });
    expect(world.sim.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /hl/v2/payments/${ids[0]}/close`,
      `POST /hl/v2/payments/${ids[2]}/close`,
    ]);
    const byName = Object.fromEntries(world.rows().map((r) => [r.Name, r.Status]));
    expect(byName).toEqual({ 'Customer 1': 'Closed', 'Customer 2': 'Paid', 'Customer 3': 'Closed', 'Customer 4': 'Unpaid' });
    expect(world.column('Payment ID')).toEqual([ids[3], ids[2], ids[1], ids[0]]);
    const log = logRows(world).filter((r) => r.Action === 'close');
    expect(log.map((r) => [r['Payment ID'], r.Row, r.Outcome])).toEqual([
      [ids[0], 5, 'Closed'],
      [ids[2], 3, 'Closed'],
    ]);
  });

  it('leaves rows for later when the rate window is full', () => {
    const { world, ids } = withLinks(20); // 20 creates this minute
    world.runtime.spreadsheet.setSelection(SHEET, 'A2');
    world.runtime.ui.answers.push('YES');
    const before = world.sim.requests.length;

    const summary = world.run('closeSelectedPaymentLinks').value;

    expect(summary).toEqual({ closed: 0, refused: 0, failed: 0, later: 1 });
    expect(world.sim.requests.length).toBe(before);
    expect(world.column('Status')[0]).toBe('Unpaid');
    expect(world.alerts().at(-1)).toBe(
      'Mayar Sheets: Closed 0. Refused (already paid): 0. Failed: 0. Not yet sent because of the rate limit: 1 (run again in a minute).',
    );

    world.runtime.advance(60_000);
    world.runtime.ui.answers.push('YES');
    expect(world.run('closeSelectedPaymentLinks').value).toEqual({ closed: 1, refused: 0, failed: 0, later: 0 });
    expect(world.sim.payment(ids[0] as string)?.status).toBe('closed');
  });

  it('does nothing after NO', () => {
    const { world, ids } = withLinks(2);
    world.runtime.spreadsheet.setSelection(SHEET, 'A2:A3');
    world.runtime.ui.answers.push('NO');
    const before = world.sim.requests.length;
    const sheet = everything(world);

    const execution = world.run('closeSelectedPaymentLinks');

    expect(execution.value).toBeUndefined();
    expect(world.runtime.ui.alerts).toHaveLength(1);
    expect(world.runtime.ui.alerts[0]).toMatchObject({
      buttons: 'YES_NO',
      answer: 'NO',
      message: 'Close 2 payment links? Customers will no longer be able to pay them.',
    });
    expect(world.sim.requests.length).toBe(before);
    expect(everything(world)).toBe(sheet);
    expect(sheetWrites(execution)).toBe(0);
    for (const id of ids) expect(world.sim.payment(id)?.status).toBe('unpaid');
  });

  it('a link Mayar already has as paid is refused, not closed', () => {
    const { world, ids } = withLinks(1);
    world.sim.markPaid(ids[0] as string); // paid, but the sheet still says Unpaid
    world.runtime.spreadsheet.setSelection(SHEET, 'A2');
    world.runtime.ui.answers.push('YES');

    const summary = world.run('closeSelectedPaymentLinks').value;

    expect(summary).toEqual({ closed: 0, refused: 1, failed: 0, later: 0 });
    expect(world.sim.payment(ids[0] as string)?.status).toBe('paid');
    expect(world.column('Status')).toEqual(['Unpaid']);
    expect(world.column('Error')).toEqual(['Already paid, so it was not closed.']);
  });
});

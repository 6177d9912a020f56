/**
 * Big sheets and faults, end to end: the built bundle in the in-memory Apps Script runtime
 * against the Mayar simulator, on a virtual clock. Each test checks what a user would check
 * (soundness.ts): every row has its link or a clear status/error, no payment twice, nothing in
 * the sheet twice, nothing lost, a log row for every attempt, no execution out of time.
 */
import { describe, expect, it } from 'vitest';
import { driveByTriggers } from '../../tools/apps-script/gas-runtime';
import { customers, SHEET, World } from '../support/world';
import { busiestMinute, createFor, expectSound, isList, LOG, text, watchCreates } from './soundness';

const MINUTE = 60_000;

/** Clicks Create payment links, then lets the progress sidebar carry the run to its end. */
function runToEnd(world: World): { view: Record<string, unknown>; elapsedMs: number } {
  const start = world.runtime.clock.now();
  const click = world.run('createPaymentLinks');
  let view = (click.value ?? {}) as Record<string, unknown>;
  if (view.done !== true) {
    world.runtime.advance(typeof view.waitMs === 'number' ? view.waitMs : 0);
    view = world.driveToEnd().last;
  }
  return { view, elapsedMs: world.runtime.clock.now() - start };
}

function rowOf(world: World, name: string): Record<string, unknown> {
  const row = world.rows().find((r) => r.Name === name);
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

function logOf(world: World, name: string): Record<string, unknown>[] {
  return world.rows(LOG).filter((r) => r.Customer === name);
}

describe('a big sheet at 20 requests a minute', () => {
  it('150 rows: every row gets its link, paced to 20 a minute, done in about rows ÷ rate', () => {
    const world = new World({ rows: customers(150) });
    const sent = watchCreates(world);
    const { view, elapsedMs } = runToEnd(world);

    expect(view.message).toContain('150 created, 0 with an error, 0 to review');
    expectSound(world, sent);
    expect(world.createRequests()).toBe(150);
    // Paced: Mayar never had to say 429, and no minute saw more than 20 requests.
    expect(world.sim.tooManyRequestsSent).toBe(0);
    const times = world.sim.requests.map((r) => r.at);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + MINUTE).length).toBeLessThanOrEqual(20);
    // Within 10% of the floor (150 ÷ 20 = 7.5 minutes), using little Apps Script runtime.
    const floor = (150 / 20) * MINUTE;
    expect(elapsedMs).toBeLessThanOrEqual(floor * 1.1);
    expect(world.runtime.stats.runtimeMs).toBeLessThan(elapsedMs * 0.05);
    expect(world.runtime.executions.filter((e) => e.fn === 'processNextBatch').length).toBeLessThanOrEqual(12);
  });

  it('the sidebar closed: the one-off trigger carries the run to its end', () => {
    const world = new World({ rows: customers(70) });
    const sent = watchCreates(world);
    const click = world.run('createPaymentLinks');
    expect((click.value as Record<string, unknown>).done).toBe(false);
    expect(world.runtime.triggers.map((t) => t.handler)).toEqual(['processNextBatch']);

    // Nobody calls processNextBatch: only time passes, and due triggers fire.
    const runs = driveByTriggers(world.runtime, 60 * MINUTE);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.every((e) => e.kind === 'trigger' && e.fn === 'processNextBatch')).toBe(true);
    expect(world.runtime.stats.calls['Spreadsheet.toast'] ?? 0).toBeLessThanOrEqual(1);
    expectSound(world, sent);
    expect(world.createRequests()).toBe(70);
    // About 20 seconds of grace per window on top of the sidebar's pace.
    expect(world.runtime.clock.now() - click.startedAt).toBeLessThan(6 * MINUTE);
  });

  it('the sidebar closed and every trigger late by 5 to 90 s, as Apps Script may be: the run still ends whole, at the rate limit', () => {
    // https://developers.google.com/apps-script/reference/script/clock-trigger-builder#after(Integer):
    // "The actual duration might vary, but won't be less than your specified minimum."
    const world = new World({ rows: customers(70), runtime: { triggerLateness: { minMs: 5_000, maxMs: 90_000 } } });
    const sent = watchCreates(world);
    const click = world.run('createPaymentLinks');

    const runs = driveByTriggers(world.runtime, 60 * MINUTE);

    expect(runs.map((e) => e.error).filter(Boolean)).toEqual([]);
    expectSound(world, sent);
    expect(world.createRequests()).toBe(70);
    // Lateness costs time, never a request: no 429, never more than Mayar's 20 a minute.
    expect(world.sim.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(busiestMinute(world.sim.requests)).toBeLessThanOrEqual(20);
    expect(world.runtime.clock.now() - click.startedAt).toBeLessThan(10 * MINUTE);
  });
});

describe('lost replies and network errors', () => {
  it('a lost reply after Mayar created the payment: the link comes from Mayar, nothing is sent again', () => {
    const world = new World({ rows: customers(25) });
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'lost-reply', match: createFor('Customer 3') });
    const { view } = runToEnd(world);

    expect(view.message).toContain('25 created, 0 with an error, 0 to review');
    expectSound(world, sent);
    // fetchAll threw for the whole batch of 20: all were checked against Mayar's list, none resent.
    expect(world.createRequests()).toBe(25);
    expect(sent.filter((s) => s.name === 'Customer 3')).toHaveLength(1);
    const listIndex = world.sim.requests.findIndex(isListEntry);
    expect(listIndex).toBeGreaterThan(0);
    expect(logOf(world, 'Customer 3').map((r) => r.Action)).toEqual(['create', 'check after lost reply']);
    expect(logOf(world, 'Customer 3')[1]?.['Payment ID']).toBe(rowOf(world, 'Customer 3')['Payment ID']);
  });

  it('a network error inside a fetchAll of 20: the others are found in Mayar, the lost one is sent again after a minute', () => {
    const world = new World({ rows: customers(20) });
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'network-error', match: createFor('Customer 7') });
    const { view } = runToEnd(world);

    expect(view.message).toContain('20 created, 0 with an error, 0 to review');
    expectSound(world, sent);
    const seven = sent.filter((s) => s.name === 'Customer 7');
    expect(seven).toHaveLength(2);
    // Sent again only after Mayar's duplicate window, once the list showed it was not there.
    const [first, second] = seven;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(65_000);
    expect(world.sim.requests.some((r) => isListEntry(r) && r.at > (first?.at ?? 0) && r.at < (second?.at ?? 0))).toBe(true);
    expect(sent.filter((s) => s.name !== 'Customer 7')).toHaveLength(19);
    expect(world.sim.duplicateRejections).toBe(0);
  });

  it('an ambiguous lost reply: Needs review, never a blind resend', () => {
    // No email: Mayar makes no transaction, so only the content can identify the payment.
    const rows = [
      ['Name', 'Amount', 'Description'],
      ['Rina', '75000', 'Piano lesson'],
      ['Tono', '80000', 'Guitar lesson'],
    ];
    const world = new World({ rows });
    // Someone made an identical payment in Mayar's dashboard a minute before the run.
    makeElsewhere(world, { name: 'Rina', amount: 75000, description: 'Piano lesson' });
    world.runtime.advance(61_000);
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'lost-reply', match: createFor('Rina') });
    const { view } = runToEnd(world);

    const rina = rowOf(world, 'Rina');
    expect(rina.Status).toBe('Needs review');
    expect(text(rina.Error)).toContain("Mayar's reply did not arrive, and 2 payments in Mayar look like this row's. Open the Mayar dashboard");
    expect(rina['Payment Link']).toBe('');
    expect(sent.filter((s) => s.name === 'Rina')).toHaveLength(1);
    expect(view.message).toContain('1 created, 0 with an error, 1 to review');
    expectSound(world, sent, { preexisting: { 'Rina|75000|Piano lesson': 1 } });
    expect(logOf(world, 'Rina').map((r) => [r.Action, r.Outcome])).toEqual([
      ['create', expect.any(String)],
      ['check after lost reply', 'Needs review'],
    ]);

    // The next run leaves it alone until someone looks at it.
    world.run('createPaymentLinks');
    expect(world.alerts().at(-1)).toContain('There is nothing to send');
    expect(sent.filter((s) => s.name === 'Rina')).toHaveLength(1);
  });

  it("a lost reply while Mayar's list cannot be read: Needs review after three checks, never resent", () => {
    const world = new World({ rows: customers(5) });
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'lost-reply', match: createFor('Customer 2') });
    world.sim.injectFault({ type: 'http-500', match: isList, times: Infinity });
    const { view } = runToEnd(world);

    const two = rowOf(world, 'Customer 2');
    expect(two.Status).toBe('Needs review');
    expect(text(two.Error)).toContain('Mayar could not be checked');
    expect(view.message).toContain('0 created, 0 with an error, 5 to review');
    expect(world.createRequests()).toBe(5);
    expect(world.sim.requests.filter(isListEntry)).toHaveLength(3);
    // Every row of the batch was unknown (fetchAll threw), so each needs a look; Mayar has them.
    expect(world.sim.createCount()).toBe(5);
    expectSound(world, sent);
  });
});

describe('Mayar errors', () => {
  it("a 500 once: checked against Mayar's list, retried with backoff, created once", () => {
    const world = new World({ rows: customers(10) });
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'http-500', match: createFor('Customer 4') });
    const { view } = runToEnd(world);

    expect(view.message).toContain('10 created, 0 with an error');
    expectSound(world, sent);
    const four = sent.filter((s) => s.name === 'Customer 4');
    expect(four).toHaveLength(2);
    expect((four[1]?.at ?? 0) - (four[0]?.at ?? 0)).toBeGreaterThanOrEqual(65_000);
    expect(world.sim.requests.some((r) => isListEntry(r) && r.at > (four[0]?.at ?? 0) && r.at < (four[1]?.at ?? 0))).toBe(true);
  });

  it('HTML 502 every time: a clear Error after 3 tries, each after checking Mayar, the other rows done', () => {
    const world = new World({ rows: customers(10) });
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'html-502', match: createFor('Customer 6'), times: Infinity });
    const { view } = runToEnd(world);

    const six = rowOf(world, 'Customer 6');
    expect(six['Payment Link']).toBe('');
    expect(six.Status).toBe('');
    expect(text(six.Error)).toMatch(/^Mayar failed 3 times \(HTTP 502.*Bad Gateway.*\); no payment was created\. Run again later\.$/);
    expect(view.message).toContain('9 created, 1 with an error');
    const tries = sent.filter((s) => s.name === 'Customer 6');
    expect(tries).toHaveLength(3);
    // Backoff: each retry waits out the duplicate window and then longer than the one before.
    const gaps = tries.slice(1).map((s, i) => s.at - (tries[i]?.at ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(65_000);
    expect(gaps[1]).toBeGreaterThan(gaps[0] ?? 0);
    for (let i = 1; i < tries.length; i++) {
      const [from, to] = [tries[i - 1]?.at ?? 0, tries[i]?.at ?? 0];
      expect(
        world.sim.requests.some((r) => isListEntry(r) && r.at > from && r.at < to),
        `a check before try ${i + 1}`,
      ).toBe(true);
    }
    expectSound(world, sent);
  });

  it('HTTP 500 every time: the Error says which HTTP status Mayar kept answering', () => {
    const world = new World({ rows: customers(3) });
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'http-500', match: createFor('Customer 2'), times: Infinity });
    const { view } = runToEnd(world);

    expect(view.message).toContain('2 created, 1 with an error');
    expect(rowOf(world, 'Customer 2').Error).toBe('Mayar failed 3 times (HTTP 500; Error); no payment was created. Run again later.');
    expect(logOf(world, 'Customer 2').map((r) => [r.Action, r.Details])).toEqual([
      ['create', 'HTTP 500; Error'],
      ['create', 'HTTP 500; Error'],
      ['create', 'HTTP 500; Error'],
      ['check after lost reply', 'Mayar failed 3 times (HTTP 500; Error); no payment was created. Run again later.'],
    ]);
    expectSound(world, sent);
  });

  it('429 Too Many Requests with Retry-After: the row stays pending, never an error, and is sent after the wait', () => {
    const world = new World({ rows: customers(12) });
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'too-many-requests', match: createFor('Customer 5'), retryAfterSeconds: 30 });
    const click = world.run('createPaymentLinks');
    const clickView = click.value as Record<string, unknown>;
    expect(clickView.done).toBe(false);
    const five = rowOf(world, 'Customer 5');
    expect([five['Payment Link'], five.Status, five.Error]).toEqual(['', '', '']);

    world.runtime.advance(clickView.waitMs as number);
    const { last } = world.driveToEnd();
    expect(last.message).toContain('12 created, 0 with an error');
    const tries = sent.filter((s) => s.name === 'Customer 5');
    expect(tries).toHaveLength(2);
    expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(30_000);
    expect(world.rows().every((r) => r.Error === '')).toBe(true);
    expectSound(world, sent);
  });

  it('a server that allows only 8 a minute: the run slows to 8 a minute, with 429s in one window only', () => {
    const world = new World({ rows: customers(40), serverRatePerMinute: 8 });
    const sent = watchCreates(world);
    const { view, elapsedMs } = runToEnd(world);

    expect(view.message).toContain('40 created, 0 with an error, 0 to review');
    expectSound(world, sent);
    const limited = world.sim.requests.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(new Set(limited.map((r) => r.at)).size, 'fetchAll calls that met a 429').toBe(1);
    expect(world.sim.tooManyRequestsSent).toBe(limited.length);
    // 40 rows at 8 a minute: 5 minutes, give or take a window.
    expect(elapsedMs).toBeLessThanOrEqual(6.5 * MINUTE);
  });

  it('a 25-second Mayar: no execution comes near the 6-minute limit, no request starts after 4 minutes', () => {
    const world = new World({ rows: customers(60), latencyMs: 25_000 });
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'lost-reply', match: createFor('Customer 30') });
    world.sim.injectFault({ type: 'timeout', match: createFor('Customer 50') });
    const { view } = runToEnd(world);

    expect(view.message).toContain('60 created, 0 with an error, 0 to review');
    expectSound(world, sent);
    for (const execution of world.runtime.executions) {
      expect(execution.elapsedMs, `#${execution.index} ${execution.fn}`).toBeLessThan(300_000);
      const end = execution.startedAt + execution.elapsedMs;
      for (const request of world.sim.requests.filter((r) => r.at >= execution.startedAt && r.at <= end)) {
        expect(request.at - execution.startedAt).toBeLessThanOrEqual(240_000);
      }
    }
  });

  it('a 25-second Mayar and a busy account: checking a lost reply stops at 4 minutes, never at the 6-minute limit', () => {
    // The shop's other traffic comes from elsewhere: it does not use up this sheet's rate limit.
    const world = new World({ rows: customers(30), latencyMs: 25_000, serverRatePerMinute: 10_000 });
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'lost-reply', match: createFor('Customer 4') });
    world.run('createPaymentLinks');
    // Meanwhile the shop makes 800 payments: 17 pages of Mayar's list, newest first, to search.
    for (let i = 1; i <= 800; i++) makeElsewhere(world, { name: `Shop customer ${i}`, amount: 20_000 + i, description: 'Shop order' });
    const { last } = world.driveToEnd(200);

    for (const execution of world.runtime.executions) {
      const end = execution.startedAt + execution.elapsedMs;
      for (const request of world.sim.requests.filter((r) => r.at >= execution.startedAt && r.at <= end)) {
        expect(request.at - execution.startedAt, `#${execution.index} ${execution.fn}`).toBeLessThanOrEqual(240_000);
      }
    }
    // The 20 rows of the lost batch could not be checked in time: Needs review, never resent.
    const review = world.rows().filter((r) => r.Status === 'Needs review');
    expect(review).toHaveLength(20);
    expect(text(review[0]?.Error)).toMatch(/Mayar could not be checked \(only \d+ pages of Mayar's recent payments could be read in time\)/);
    expect(last.message).toContain('10 created, 0 with an error, 20 to review');
    expect(sent).toHaveLength(30);
    expectSound(world, sent, {
      preexisting: Object.fromEntries(Array.from({ length: 800 }, (_, i) => [`Shop customer ${i + 1}|${20_001 + i}|Shop order`, 1])),
    });
  });
});

describe('a rate of 2 a minute and a busy account', () => {
  it('a lost reply whose check needs more pages than a minute allows: Needs review after three tries, the run ends', () => {
    const world = new World({ rows: customers(4), ratePerMinute: 2, serverRatePerMinute: 10_000 });
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'lost-reply', match: createFor('Customer 1') });
    world.run('createPaymentLinks');
    // 120 newer payments from the shop: three pages to search, two requests a minute.
    for (let i = 1; i <= 120; i++) makeElsewhere(world, { name: `Shop customer ${i}`, amount: 20_000 + i, description: 'Shop order' });
    const { last } = world.driveToEnd(200);

    expect(last.message).toContain('2 created, 0 with an error, 2 to review');
    const review = world.rows().filter((r) => r.Status === 'Needs review');
    expect(review.map((r) => r.Name)).toEqual(['Customer 1', 'Customer 2']);
    expect(text(review[0]?.Error)).toContain("only 2 pages of Mayar's recent payments could be read within the rate limit");
    expect(sent).toHaveLength(4);
    expectSound(world, sent, {
      preexisting: Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`Shop customer ${i + 1}|${20_001 + i}|Shop order`, 1])),
    });
  });

  it('says why in Indonesian to an Indonesian user, the cut-short search included', () => {
    const world = new World({ rows: customers(4), ratePerMinute: 2, serverRatePerMinute: 10_000, runtime: { userLocale: 'id' } });
    world.sim.injectFault({ type: 'lost-reply', match: createFor('Customer 1') });
    world.run('createPaymentLinks');
    for (let i = 1; i <= 120; i++) makeElsewhere(world, { name: `Shop customer ${i}`, amount: 20_000 + i, description: 'Shop order' });
    world.driveToEnd(200);

    const cells = world.values(SHEET).flat().map(text);
    expect(cells).toContainEqual(
      'Jawaban Mayar tidak sampai dan Mayar belum bisa dicek (baru 2 halaman pembayaran terbaru di Mayar yang bisa dibaca dalam batas laju permintaan). Buka dasbor Mayar dan cari tagihan pelanggan ini: kalau sudah ada, salin link-nya ke kolom Link Pembayaran baris ini; kalau belum ada, kosongkan Status baris ini lalu buat link lagi.',
    );
  });
});

describe("Mayar's duplicate rule", () => {
  it('the same customer and amount twice: sent at least a minute apart, both created, no error', () => {
    const rows = [
      ['Name', 'Amount', 'Email', 'Description', 'Expires At'],
      ['Budi', '150000', 'budi@example.com', 'March lessons', '2026-12-31'],
      ['Sari', '90000', 'sari@example.com', 'March lessons', '2026-12-31'],
      ['Budi', '150000', 'budi@example.com', 'April lessons', '2026-12-31'],
      ['Dewi', '120000', 'dewi@example.com', 'March lessons', '2026-12-31'],
    ];
    const world = new World({ rows });
    const sent = watchCreates(world);
    const { view } = runToEnd(world);

    expect(view.message).toContain('4 created, 0 with an error, 0 to review');
    expectSound(world, sent);
    expect(world.sim.duplicateRejections).toBe(0);
    const budi = world.sim.payments().filter((p) => p.name === 'Budi');
    expect(budi.map((p) => p.description)).toEqual(['March lessons', 'April lessons']);
    expect((budi[1]?.createdAt ?? 0) - (budi[0]?.createdAt ?? 0)).toBeGreaterThanOrEqual(60_000);
    // The others did not wait for Budi.
    expect(sent.filter((s) => s.name !== 'Budi').every((s) => s.at === sent[0]?.at)).toBe(true);
  });

  it('two identical rows are two invoices: each gets its own payment', () => {
    const rows = [
      ['Name', 'Amount', 'Description'],
      ['Ani', '50000', 'Lesson'],
      ['Ani', '50000', 'Lesson'],
      ['Joko', '60000', 'Lesson'],
    ];
    const world = new World({ rows });
    const sent = watchCreates(world);
    const { view } = runToEnd(world);

    expect(view.message).toContain('3 created, 0 with an error');
    expectSound(world, sent);
    expect(world.sim.createsByContent().get('Ani|50000|Lesson')).toBe(2);
    expect(world.sim.duplicateRejections).toBe(0);
  });
});

describe('people working on the sheet during a run', () => {
  it('the lock held by another person: the second click says who is running what and how far; nothing else happens', () => {
    const world = new World({ rows: customers(150) });
    const sent = watchCreates(world);
    world.run('createPaymentLinks');
    const other = 'colleague@example.com';

    // The owner's batch is running (it holds the document lock) when the colleague clicks.
    world.runtime.lock.holdSpreadsheetLock('execution #99 (processNextBatch)');
    const before = stateOf(world);
    const click = world.run('createPaymentLinks', [], { user: other });
    expect(click.value).toBeUndefined();
    expect(world.runtime.ui.alerts.at(-1)?.message).toBe(
      'A run is already in progress on this spreadsheet: creating payment links on "Invoices", started by owner@example.com, 20 of 150 rows done. Wait for it to finish, or open Mayar → Show progress.',
    );
    expect(stateOf(world)).toEqual(before);

    // Between batches (lock free) the answer is the same, and still nothing changes.
    world.runtime.lock.releaseSpreadsheetLock();
    world.run('createPaymentLinks', [], { user: other });
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain('started by owner@example.com, 20 of 150 rows done');
    expect(stateOf(world)).toEqual(before);

    // The owner's run carries on and ends as usual.
    world.runtime.advance(61_000);
    const { last } = world.driveToEnd();
    expect(last.message).toContain('150 created');
    expectSound(world, sent);
  });

  it('the sidebar closed and the sheet locked by someone else when the trigger fires: tried again a few seconds later', () => {
    const world = new World({ rows: customers(45) });
    const sent = watchCreates(world);
    world.run('createPaymentLinks');
    world.runtime.lock.holdSpreadsheetLock('execution #99 (checkRows)');
    const at = world.runtime.nextTriggerAt() ?? 0;
    const [busy] = world.runtime.advance(at - world.runtime.clock.now());
    expect(busy?.value).toMatchObject({ state: 'busy' });
    // Asked for in about 25 s (the fake, like Apps Script, may fire it up to a minute later), not after a whole window.
    expect((world.runtime.nextTriggerAt() ?? Infinity) - world.runtime.clock.now()).toBeLessThanOrEqual(30_000 + MINUTE);
    world.runtime.lock.releaseSpreadsheetLock();

    driveByTriggers(world.runtime, 60 * MINUTE);
    expect(world.createRequests()).toBe(45);
    expectSound(world, sent);
  });

  it('rows sorted mid-run, while Mayar is answering and between batches: every result lands on its own row', () => {
    const world = new World({ rows: customers(60) });
    const sent = watchCreates(world);
    // The sorted batch also loses its replies: its rows are found in Mayar after the sort.
    world.sim.injectFault({ type: 'lost-reply', match: createFor('Customer 33') });
    const sheet = world.runtime.spreadsheet.sheet(SHEET);
    let sorted = 0;
    world.onRequest((request) => {
      if (createFor('Customer 30')(request) && sorted++ === 0) sheet.sortRows(2, sheet.lastRow(), 2, false);
    });
    world.run('createPaymentLinks');
    world.runtime.advance(61_000);
    sheet.sortRows(2, sheet.lastRow(), 1, true);
    const { last } = world.driveToEnd();

    expect(sorted).toBe(1);
    expect(last.message).toContain('60 created, 0 with an error');
    expect(last.message).not.toContain('could not be written');
    expectSound(world, sent);
  });

  it("rows inserted, edited and deleted mid-run: results follow their rows; a deleted row's payment stays in the log", () => {
    const world = new World({ rows: customers(50) });
    const sent = watchCreates(world);
    const sheet = world.runtime.spreadsheet.sheet(SHEET);
    const spreadsheet = world.runtime.spreadsheet;
    const rowNumber = (name: string) => world.rows().findIndex((r) => r.Name === name) + 2;
    let changed = false;
    world.onRequest((request) => {
      if (changed || !createFor('Customer 21')(request)) return;
      changed = true;
      // While the second batch (Customers 21-40) is on its way to Mayar:
      sheet.insertRows(2, 2);
      spreadsheet.typeRows(
        SHEET,
        [
          ['New customer A', '33000', 'a@example.com', 'Walk-in', '2026-12-31'],
          ['New customer B', '34000', 'b@example.com', 'Walk-in', '2026-12-31'],
        ],
        2,
      );
      sheet.deleteRows(rowNumber('Customer 25'), 1); // in flight
      sheet.deleteRows(rowNumber('Customer 45'), 1); // not sent yet
      sheet.write(rowNumber('Customer 46'), 2, '46500'); // edited before it was sent
    });
    world.run('createPaymentLinks');
    world.runtime.advance(61_000);
    const { last } = world.driveToEnd();

    expect(changed).toBe(true);
    expect(last.message).toContain('1 results could not be written because their rows were changed or deleted');
    expect(last.message).toContain('2 rows changed during the run and were not sent');
    const unplaced = world.rows(LOG).filter((r) => r.Customer === 'Customer 25');
    expect(unplaced.map((r) => [r.Row, r.Outcome])).toEqual([['', 'Unpaid']]);
    expect(text(unplaced[0]?.Details)).toContain('row not found');
    expect(world.rows().some((r) => r.Name === 'Customer 25' || r.Name === 'Customer 45')).toBe(false);
    expect(world.sim.payments().some((p) => p.name === 'Customer 45')).toBe(false);

    // Run again: the new rows and the edited one are sent; nothing else is.
    world.runtime.advance(61_000);
    const again = runToEnd(world);
    expect(again.view.message).toContain('3 created, 0 with an error, 0 to review, 47 skipped');
    expect(rowOf(world, 'Customer 46').Amount).toBe(46500);
    expectSound(world, sent, { unplaced: 1 });
  });
});

describe('the Mayar Log', () => {
  it('has a row for every attempt and every check, with the customer, amount and outcome', () => {
    const world = new World({ rows: customers(24) });
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'http-500', match: createFor('Customer 2') });
    world.sim.injectFault({ type: 'too-many-requests', match: createFor('Customer 3'), retryAfterSeconds: 10 });
    world.sim.injectFault({ type: 'validation-failed', match: createFor('Customer 5'), errors: [{ field: 'email', message: 'email is not allowed' }] });
    // In the second window: its fetchAll throws, so all four of that batch are checked in Mayar.
    world.sim.injectFault({ type: 'lost-reply', match: createFor('Customer 22') });
    const { view } = runToEnd(world);

    expect(view.message).toContain('23 created, 1 with an error');
    expectSound(world, sent);
    // The settings saved when the sheet was set up are a row of their own.
    const log = world.rows(LOG).filter((r) => r.Action !== 'Settings changed');
    expect(world.header(LOG)).toEqual(['Time', 'User', 'Sheet', 'Row', 'Customer', 'Amount', 'Action', 'Outcome', 'Payment ID', 'Payment Link', 'Details']);
    for (const entry of log) {
      expect(entry.Time).toBeInstanceOf(Date);
      expect(entry.User).toBe('owner@example.com');
      expect(entry.Sheet).toBe(SHEET);
      expect(text(entry.Customer)).toMatch(/^Customer \d+$/);
      expect(entry.Amount).toBe(rowOf(world, text(entry.Customer)).Amount);
      expect(entry.Row).toBe(world.rows().findIndex((r) => r.Name === entry.Customer) + 2);
    }
    const five = logOf(world, 'Customer 5');
    expect(five.map((r) => [r.Action, r.Outcome])).toEqual([['create', 'Error']]);
    expect(text(five[0]?.Details)).toContain('email: email is not allowed');
    expect(rowOf(world, 'Customer 5').Error).toBe('Mayar rejected it: email: email is not allowed');
    const story = (name: string) => logOf(world, name).map((r) => [r.Action, r.Outcome, r.Details]);
    expect(story('Customer 2')).toEqual([
      ['create', 'No clear answer; Mayar is checked before any resend', 'HTTP 500; Error'],
      ['create', 'Unpaid', ''],
    ]);
    expect(story('Customer 3')).toEqual([
      ['create', 'Not created; will be sent again', 'HTTP 429 Too Many Requests'],
      ['create', 'Unpaid', ''],
    ]);
    expect(story('Customer 22')).toEqual([
      ['create', 'No clear answer; Mayar is checked before any resend', 'Connection reset by peer'],
      ['check after lost reply', 'Unpaid', ''],
    ]);
    for (const name of ['Customer 2', 'Customer 3', 'Customer 21', 'Customer 22', 'Customer 24']) {
      expect(logOf(world, name).at(-1)?.['Payment ID'], name).toBe(rowOf(world, name)['Payment ID']);
    }
  });
});

describe('running again', () => {
  it('after a run the person is still on their sheet, and the Mayar Log is never read as invoices', () => {
    const world = new World({ rows: customers(4) });
    const sent = watchCreates(world);
    world.sim.injectFault({ type: 'validation-failed', match: createFor('Customer 2'), errors: [{ field: 'mobile', message: 'mobile is invalid' }] });
    world.sim.injectFault({ type: 'http-500', match: createFor('Customer 3') });
    runToEnd(world);
    expect(world.runtime.spreadsheet.activeSheet.name).toBe(SHEET);
    expect(logOf(world, 'Customer 2').map((r) => r.Outcome)).toEqual(['Error']);

    // Run again: only the row with an Error is sent again, once.
    world.runtime.advance(2 * MINUTE);
    const again = runToEnd(world);
    expect(again.view.message).toContain('1 created, 0 with an error, 0 to review, 3 skipped');
    expect(sent.filter((s) => s.name === 'Customer 2')).toHaveLength(2);

    // Someone opens the log and clicks there: nothing is sent, nothing changes.
    world.runtime.spreadsheet.setActiveSheet(LOG);
    const before = stateOf(world);
    world.run('createPaymentLinks');
    world.run('checkRows');
    expect(world.runtime.ui.alerts.at(-1)?.message).toBe(
      'This is the Mayar Log sheet, where the add-on records what it did. Go to the sheet with your customers and try again. Nothing was changed.',
    );
    expect(stateOf(world)).toEqual(before);
    world.runtime.spreadsheet.setActiveSheet(SHEET);
    expectSound(world, sent);
  });
});

describe('the edges of a sheet', () => {
  it('the Mayar Log grows past the 1,000 rows a new sheet has', () => {
    const world = new World({ rows: customers(20) });
    const earlier = [['Time', 'User', 'Sheet', 'Row', 'Customer', 'Amount', 'Action', 'Outcome', 'Payment ID', 'Payment Link', 'Details']];
    for (let i = 1; i <= 995; i++)
      earlier.push(['2026-11-01', 'owner@example.com', 'Invoices 2025', String(i + 1), `Earlier ${i}`, '5000', 'create', 'Unpaid', `id-${i}`, '', '']);
    world.runtime.spreadsheet.typeRows(LOG, earlier);
    world.runtime.spreadsheet.setActiveSheet(SHEET);
    expect(world.runtime.spreadsheet.sheet(LOG).maxRows).toBe(1000);
    const sent = watchCreates(world);
    const { view } = runToEnd(world);

    expect(view.message).toContain('20 created, 0 with an error');
    expect(world.rows(LOG)).toHaveLength(995 + 20);
    expectSound(world, sent);
  });

  it('a sheet that uses all 26 columns of a new sheet gets its output columns added', () => {
    const rows = customers(3).map((r, i) => [...r, ...Array.from({ length: 21 }, (_, c) => (i === 0 ? `Extra ${c + 1}` : `x${c}`))]);
    expect(rows[0]).toHaveLength(26);
    const world = new World({ rows });
    const sent = watchCreates(world);
    const { view } = runToEnd(world);

    expect(view.message).toContain('3 created, 0 with an error');
    expect(world.header().slice(26)).toEqual(['Payment Link', 'Payment ID', 'Transaction ID', 'Status', 'Error']);
    expectSound(world, sent);
  });
});

// ---- helpers ---------------------------------------------------------------------------------

function isListEntry(entry: { method: string; path: string; query: string }): boolean {
  return entry.method === 'GET' && entry.path.endsWith('/payments') && entry.query.includes('limit=');
}

/** A payment made outside the add-on (Mayar's dashboard), straight into the simulator. */
function makeElsewhere(world: World, payment: { name: string; amount: number; description: string }): void {
  const outcome = world.sim.handle({
    url: 'https://api.mayar.io/hl/v2/payments/create',
    method: 'POST',
    headers: { Authorization: `Bearer ${world.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...payment, expiredAt: '2026-12-31T00:00:00Z' }),
  });
  if (outcome.kind !== 'response' || outcome.status !== 200) throw new Error('could not make the payment elsewhere');
}

/** Everything a click could change: the sheet, the log, properties, triggers, Mayar. */
function stateOf(world: World): unknown {
  return {
    sheet: world.values(),
    log: world.runtime.spreadsheet.find(LOG)?.values() ?? null,
    properties: world.runtime.properties.document.all(),
    triggers: world.runtime.triggers.map((t) => ({ ...t })),
    requests: world.sim.requests.length,
    payments: world.sim.createCount(),
    sidebars: world.runtime.ui.sidebars.length,
  };
}

/**
 * A run never waits for nothing: a paused run, or one nothing has carried on for over two
 * minutes, is explained (why, with counts that add up) when a menu item that starts a run is
 * clicked again, and continued when the person says Yes. "Wait" only while something carries it.
 */
import { describe, expect, it } from 'vitest';
import { customers, SHEET, World } from '../support/world';

const MINUTE = 60_000;

interface View {
  done: boolean;
  state: string;
  waitMs: number;
  message: string;
}

function lastAlert(world: World): { message: string; buttons: string; answer: string } {
  const alert = world.runtime.ui.alerts.at(-1);
  if (!alert) throw new Error('no dialog was shown');
  return alert;
}

function expectEveryRowLinkedOnce(world: World, count: number): void {
  const links = world.column('Payment Link').map(String);
  expect(links.filter((link) => link.startsWith('https://'))).toHaveLength(count);
  const creates = world.createsPerContent();
  expect(creates.size).toBe(count);
  expect([...creates.values()].every((n) => n === 1)).toBe(true);
}

/** The "n of m rows done: a …, b …, c …. d rows still to do." sentence adds up. */
function expectCountsAddUp(message: string): void {
  const match = /(\d+) of (\d+) rows done: (\d+) [^,]+, (\d+) [^,]+, (\d+) skipped\. (\d+) rows still to do/.exec(message);
  expect(match, message).not.toBeNull();
  const [done, total, a, b, c, left] = (match ?? []).slice(1).map(Number) as number[];
  expect(a! + b! + c!).toBe(done);
  expect(done! + left!).toBe(total);
}

describe('clicking again on a stopped run', () => {
  it('UrlFetch quota used up at 60 of 100 rows: after midnight the click says why, with true counts, and continues on Yes', () => {
    const world = new World({ rows: customers(100), runtime: { triggerLateness: { minMs: 0, maxMs: 0 } } });
    world.run('createPaymentLinks');
    world.run('processNextBatch', [], { context: 'sidebar' });
    for (let i = 0; i < 2 && world.createRequests() < 60; i++) {
      world.runtime.advance(61_000);
      world.run('processNextBatch', [], { context: 'sidebar' });
    }
    expect(world.createRequests()).toBe(60);
    world.runtime.setUrlFetchRemaining(0);
    world.runtime.advance(61_000);
    const paused = world.run('processNextBatch', [], { context: 'sidebar' }).value as View;
    expect(paused.state).toBe('paused');

    // The next day (UTC midnight resets the quota), the person clicks the same item again.
    world.runtime.advance(24 * 60 * MINUTE);
    world.run('createPaymentLinks');
    const asked = lastAlert(world);
    expect(asked.buttons).toBe('YES_NO');
    expect(asked.message).toContain('has stopped: Paused: Apps Script refused to send anything to Mayar');
    expect(asked.message).toContain('60 of 100 rows done: 60 links created, 0 with an error, 0 skipped. 40 rows still to do.');
    expect(asked.message).toMatch(/Continue it now\?$/);
    expect(asked.message).not.toMatch(/[Ww]ait/);
    expectCountsAddUp(asked.message);

    world.driveToEnd();
    expectEveryRowLinkedOnce(world, 100);
  });

  it('No leaves the paused run as it is', () => {
    const world = new World({ rows: customers(30) });
    world.run('createPaymentLinks');
    world.runtime.setUrlFetchRemaining(0);
    world.runtime.advance(61_000);
    world.run('processNextBatch', [], { context: 'sidebar' });
    const sent = world.createRequests();
    world.runtime.setUrlFetchRemaining(20_000);
    world.runtime.ui.answers.push('NO');
    world.run('createPaymentLinks');
    expect(lastAlert(world).answer).toBe('NO');
    expect(world.createRequests()).toBe(sent);
    expect((world.run('getProgress', [], { context: 'sidebar' }).value as View).state).toBe('paused');
  });

  it('a protected output range: clicked after the protection is lifted, it continues, and every row is counted once', () => {
    const rows = customers(30);
    rows[0] = [...(rows[0] ?? []), 'Payment Link', 'Payment ID', 'Transaction ID', 'Status', 'Error'];
    const world = new World({ rows });
    const sheet = world.runtime.spreadsheet.sheet(SHEET);
    sheet.protect('F2:J100');
    world.run('createPaymentLinks');
    expect((world.run('getProgress', [], { context: 'sidebar' }).value as View).state).toBe('paused');

    sheet.protections.length = 0;
    world.run('createPaymentLinks');
    const asked = lastAlert(world);
    expect(asked.buttons).toBe('YES_NO');
    expect(asked.message).toContain("has stopped: Paused: Google Sheets refused to write 'Invoices'!F2:J21");
    // The 20 created while the range was protected are done in Mayar, written on continuing, counted once.
    expect(asked.message).toContain('20 of 30 rows done: 20 links created, 0 with an error, 0 skipped. 10 rows still to do.');

    const end = world.driveToEnd().last as unknown as View;
    expectEveryRowLinkedOnce(world, 30);
    expect(end.message).toMatch(/^Payment links: 30 created, 0 with an error/);
  });

  it("asks in the user's language, with the counts, after a refused send", () => {
    const world = new World({ rows: customers(30) });
    world.run('saveSettings', [{ language: 'id' }]);
    world.run('createPaymentLinks');
    world.runtime.setUrlFetchRemaining(0);
    world.runtime.advance(61_000);
    world.run('processNextBatch', [], { context: 'sidebar' });
    world.runtime.ui.answers.push('NO');
    world.run('createPaymentLinks');
    const asked = lastAlert(world);
    expect(asked.buttons).toBe('YES_NO');
    expect(asked.message).toMatch(
      /^Proses membuat link pembayaran di "Invoices", dimulai oleh owner@example\.com, berhenti: Dijeda: Google tidak mengizinkan skrip menghubungi Mayar/,
    );
    expect(asked.message).toContain('20 dari 30 baris selesai: 20 link dibuat, 0 error, 0 dilewati. Sisa 10 baris.');
    expect(asked.message).toMatch(/Lanjutkan sekarang\?$/);
  });

  it('"wait" only while something carries the run: a sidebar polling within two minutes', () => {
    const world = new World({ rows: customers(45) });
    world.run('createPaymentLinks');
    world.runtime.advance(30_000);
    world.run('createPaymentLinks');
    expect(lastAlert(world).buttons).toBe('OK');
    expect(lastAlert(world).message).toMatch(/A run is already in progress .*Wait for it to finish/);
  });
});

describe('an email run whose first execution was killed right after its 3rd email', () => {
  const HEADER = ['Name', 'Amount', 'Email', 'Description', 'Expires At', 'Payment Link', 'Payment ID', 'Transaction ID', 'Status', 'Error'];
  function billed(n: number): string[][] {
    const rows = [HEADER];
    for (let i = 1; i <= n; i++)
      rows.push([
        `Customer ${i}`,
        String(150_000 + i),
        `customer${i}@example.com`,
        `Invoice ${i}`,
        '2026-12-31',
        `https://pay.example/inv-${i}`,
        `pay-${i}`,
        `tx-${i}`,
        'Unpaid',
        '',
      ]);
    return rows;
  }

  it('clicking again after two minutes says it stopped and continues; the 3rd recipient is never emailed twice', () => {
    const probe = new World({ rows: billed(8) });
    const calls = probe.run('sendPaymentLinksByEmail').callLog;
    const third = calls.map((c, i) => (c === 'MailApp.sendEmail' ? i + 1 : 0)).filter(Boolean)[2];
    expect(third).toBeDefined();

    const world = new World({ rows: billed(8), runtime: { triggerLateness: { minMs: 0, maxMs: 0 } } });
    const killed = world.runtime.run('sendPaymentLinksByEmail', [], { kill: { atCall: third!, phase: 'after' } });
    expect(killed.killed).toBe(true);
    expect(world.runtime.mail).toHaveLength(3);

    world.runtime.advance(3 * MINUTE);
    world.run('sendPaymentLinksByEmail');
    const asked = world.runtime.ui.alerts.find((a) => a.buttons === 'YES_NO');
    if (!asked) throw new Error(world.alerts().join('\n'));
    expect(asked.message).toContain('has stopped: nothing has carried it on since');
    // Two are known sent; the third may have been (it is checked, never sent again).
    expect(asked.message).toContain('2 of 8 rows done: 2 emailed, 0 with an error or to check, 0 skipped. 6 rows still to do.');
    expectCountsAddUp(asked.message);

    world.continueToEnd();
    const perAddress = new Map<string, number>();
    for (const mail of world.runtime.mail) for (const to of mail.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    expect(perAddress.get('customer3@example.com')).toBe(1);
    expect([...perAddress.values()].every((n) => n === 1)).toBe(true);
    expect(perAddress.size).toBe(8);
    // The 3rd row says it may have been emailed; the summary's counts add up to the 8 rows.
    expect(String(world.rows()[2]?.Error)).toMatch(/May have been emailed/);
    expect(world.alerts().at(-1)).toMatch(/Emails: 7 sent, 0 with an error, 1 may have been sent/);
  });

  it('paused by the mail quota: once the quota is back, the click says why, and continues on Yes', () => {
    const probe = new World({ rows: billed(8) });
    const calls = probe.run('sendPaymentLinksByEmail').callLog;
    const first = calls.indexOf('MailApp.sendEmail') + 1;

    const world = new World({ rows: billed(8), runtime: { triggerLateness: { minMs: 0, maxMs: 0 } } });
    world.runtime.run('sendPaymentLinksByEmail', [], { kill: { atCall: first, phase: 'after' } });
    // Another script uses up the day's quota meanwhile; the run carries on and pauses for it.
    world.runtime.setMailRemaining(0);
    world.runtime.advance(3 * MINUTE);
    world.run('sendPaymentLinksByEmail');
    expect(world.alerts().at(-1)).toMatch(/The daily email quota ran out; 7 rows wait/);

    // Hours later, the quota back, before the resume trigger: the click explains the pause and continues.
    world.runtime.advance(20 * 60 * MINUTE);
    world.runtime.setMailRemaining(100);
    world.run('sendPaymentLinksByEmail');
    const asked = world.runtime.ui.alerts.filter((a) => a.buttons === 'YES_NO').at(-1);
    expect(asked?.message).toContain('has stopped: The daily email quota ran out; 7 rows wait.');
    expect(asked?.message).toContain('1 of 8 rows done: 0 emailed, 1 with an error or to check, 0 skipped. 7 rows still to do.');
    world.continueToEnd(50);
    const perAddress = new Map<string, number>();
    for (const mail of world.runtime.mail) for (const to of mail.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    expect(perAddress.size).toBe(8);
    expect([...perAddress.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('a refresh whose first execution was killed while reading Mayar', () => {
  it('its trigger carries it on: the paid row says Paid without another click', () => {
    const world = new World({ rows: customers(4), runtime: { triggerLateness: { minMs: 0, maxMs: 0 } } });
    world.run('createPaymentLinks');
    world.driveToEnd();
    const ids = world.column('Payment ID').map(String);
    world.sim.markPaid(ids[1] ?? '');
    world.runtime.advance(10 * MINUTE);

    const probe = world.clone();
    const calls = probe.run('refreshPaymentStatus').callLog;
    const firstRead = calls.indexOf('UrlFetchApp.fetchAll') + 1 || calls.indexOf('UrlFetchApp.fetch') + 1;
    expect(firstRead).toBeGreaterThan(0);
    const killed = world.runtime.run('refreshPaymentStatus', [], { kill: { atCall: firstRead, phase: 'after' } });
    expect(killed.killed).toBe(true);
    expect(world.column('Status')).toEqual(['Unpaid', 'Unpaid', 'Unpaid', 'Unpaid']);

    // Nobody clicks again and no sidebar is open: only the run's own trigger can finish it.
    world.runtime.advance(15 * MINUTE);
    expect(world.column('Status')).toEqual(['Unpaid', 'Paid', 'Unpaid', 'Unpaid']);
  });
});

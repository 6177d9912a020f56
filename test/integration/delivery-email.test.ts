/**
 * Mayar → Email payment links on the built bundle: one email per open row with a link and an
 * address, Emailed At written, the daily quota respected and resumed the next day, and no
 * second email after an execution killed at any service call.
 */
import { describe, expect, it } from 'vitest';
import { driveByTriggers } from '../../tools/apps-script/gas-runtime';
import { World, type WorldOptions } from '../support/world';
import { killPoints } from './soundness';

const HEADER = ['Name', 'Amount', 'Email', 'Description', 'Expires At', 'Payment Link', 'Payment ID', 'Transaction ID', 'Status', 'Error'];

/** n rows that already have their payment link, as after Create payment links. */
function billedRows(n: number, row: (i: number) => Partial<Record<'email' | 'status' | 'name', string>> = () => ({})): string[][] {
  const rows = [HEADER];
  for (let i = 1; i <= n; i++) {
    const r = row(i);
    rows.push([
      r.name ?? `Customer ${i}`,
      String(150_000 + i),
      r.email ?? `customer${i}@example.com`,
      `Invoice ${i}`,
      '2026-12-31',
      `https://pay.example/inv-${i}`,
      `pay-${i}`,
      `tx-${i}`,
      r.status ?? 'Unpaid',
      '',
    ]);
  }
  return rows;
}

function world(rows: string[][], options: WorldOptions = {}): World {
  return new World({ rows, ...options });
}

function text(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value ?? '');
}

/** Emails per recipient address. */
function emailsPerAddress(w: World): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mail of w.runtime.mail) for (const to of mail.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

describe('Email payment links', () => {
  it('emails each open row once, HTML and plain text, from the sender with reply-to, and writes Emailed At', () => {
    const rows = billedRows(4, (i) => (i === 2 ? { status: 'Paid' } : i === 3 ? { email: '' } : i === 4 ? { name: '<img src=x onerror=alert(1)>' } : {}));
    const w = world(rows);
    w.run('sendPaymentLinksByEmail');
    w.continueToEnd();
    expect(w.runtime.mail.map((m) => m.to.join())).toEqual(['customer1@example.com', 'customer4@example.com']);
    const first = w.runtime.mail[0]!;
    expect(first.subject).toBe('Your bill of Rp150.001');
    expect(first.body).toContain('https://pay.example/inv-1');
    expect(first.htmlBody).toContain('<a href="https://pay.example/inv-1">');
    expect(first.replyTo).toBe('owner@example.com');
    // A name from the sheet never becomes markup in the HTML body.
    const fourth = w.runtime.mail[1]!;
    expect(fourth.htmlBody).not.toContain('<img');
    expect(fourth.htmlBody).toContain('&#60;img');
    const sheet = w.rows();
    expect(sheet.map((r) => r['Emailed At'] instanceof Date)).toEqual([true, false, false, true]);
    expect(sheet.map((r) => text(r.Error))).toEqual(['', '', '', '']);

    // Again: nothing left to email.
    w.run('sendPaymentLinksByEmail');
    expect(w.runtime.mail).toHaveLength(2);
    expect(w.alerts().at(-1)).toContain('No row to email');
  });

  it('300 rows at 100 emails a day, each execution past its time budget: 100 a day over three days, nobody twice', () => {
    // A slow MailApp: 100 emails take longer than one execution may send.
    const w = world(billedRows(300), { runtime: { costs: { fetchOverheadMs: 3_000 } } });
    const click = w.run('sendPaymentLinksByEmail');
    expect(w.alerts().at(-1)).toContain('100 go out now, the other 200 tomorrow');
    // The click's execution stopped sending within its time budget, before today's 100.
    const sentByClick = click.callLog.filter((m) => m === 'MailApp.sendEmail').length;
    expect(sentByClick).toBeGreaterThan(0);
    expect(sentByClick).toBeLessThan(100);
    // Nobody opens the progress: the triggers carry the run, and start it again each day.
    const runs = driveByTriggers(w.runtime, 4 * 24 * 3_600_000);
    expect(runs.every((r) => !r.error)).toBe(true);
    const perDay = new Map<string, number>();
    for (const mail of w.runtime.mail) {
      const day = new Date(mail.at).toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    expect([...perDay.values()]).toEqual([100, 100, 100]);
    const counts = emailsPerAddress(w);
    expect(counts.size).toBe(300);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(w.rows().every((r) => r['Emailed At'] instanceof Date && text(r.Error) === '')).toBe(true);
  });

  it('the quota used up by something else mid-run: the run pauses, marks only what went out, and continues the next day', () => {
    const w = world(billedRows(300), { runtime: { mailDailyQuota: 1_000, costs: { fetchOverheadMs: 3_000 } } });
    w.run('sendPaymentLinksByEmail');
    const afterFirst = w.runtime.mail.length;
    expect(afterFirst).toBeGreaterThan(0);
    expect(afterFirst).toBeLessThan(300);
    // Another script of this account spends the rest of today's quota.
    w.runtime.setMailRemaining(10);
    const view = w.run('processNextBatch').value as { state: string; message: string };
    expect(view.state).toBe('paused');
    expect(view.message).toContain('quota');
    expect(w.runtime.mail.length).toBe(afterFirst + 10);
    const emailed = w.rows().filter((r) => r['Emailed At'] instanceof Date).length;
    expect(emailed).toBe(afterFirst + 10);
    // The next day the trigger resumes the paused run.
    driveByTriggers(w.runtime, 2 * 24 * 3_600_000);
    const counts = emailsPerAddress(w);
    expect(counts.size).toBe(300);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(w.rows().every((r) => r['Emailed At'] instanceof Date)).toBe(true);
  });
});

describe('an email run killed at any service call', () => {
  it('never emails anyone twice; an email that may have gone out is reported, not sent again', () => {
    const ROWS = 12;
    const baseline = world(billedRows(ROWS));
    const click = baseline.run('sendPaymentLinksByEmail');
    expect(click.callLog.filter((m) => m === 'MailApp.sendEmail')).toHaveLength(ROWS);
    const points = killPoints(click.callLog);
    expect(points.length).toBeGreaterThan(2 * ROWS);
    for (const kill of points) {
      const w = world(billedRows(ROWS));
      const where = `killed ${kill.phase} call ${kill.atCall} (${click.callLog[kill.atCall - 1]})`;
      expect(w.runtime.run('sendPaymentLinksByEmail', [], { kill }).killed, where).toBe(true);
      // The person carries on: the progress sidebar, then clicking again.
      w.continueToEnd();
      w.runtime.advance(60_000);
      w.run('sendPaymentLinksByEmail');
      w.continueToEnd();
      const counts = emailsPerAddress(w);
      for (const [i, row] of w.rows().entries()) {
        const address = `customer${i + 1}@example.com`;
        const sent = counts.get(address) ?? 0;
        expect(sent, `${where}: ${address}`).toBeLessThanOrEqual(1);
        expect(row['Emailed At'] instanceof Date, `${where}: row ${i + 2} has Emailed At`).toBe(true);
        // Not emailed: only a row whose fate was unknown, and it says so.
        if (sent === 0) expect(text(row.Error), `${where}: row ${i + 2}`).toMatch(/may have been emailed at .*check your Sent folder/i);
      }
      // At most the one email in flight at the kill is unsure.
      expect(w.rows().filter((r) => text(r.Error) !== '').length, where).toBeLessThanOrEqual(1);
    }
  });
});

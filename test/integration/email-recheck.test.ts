/**
 * The email job looks at each row again just before it sends: a row paid, closed or emailed
 * since the run started gets no email. The sheet changes here between the job's batches, as
 * it does in real life while a long run waits for its next execution.
 */
import { describe, expect, it } from 'vitest';
import { customers, SHEET, World } from '../support/world';

const ROWS = 40;

/** 40 links made; the click emails the first few (a slow MailApp) and leaves the rest to the next batches. */
function halfwayThroughEmails(): World {
  const w = new World({ rows: customers(ROWS), runtime: { costs: { fetchOverheadMs: 20_000 } } });
  w.run('createPaymentLinks');
  w.continueToEnd();
  w.run('sendPaymentLinksByEmail');
  const emailed = w.runtime.mail.length;
  expect(emailed).toBeGreaterThan(0);
  expect(emailed).toBeLessThan(ROWS - 5);
  return w;
}

/** A customer the first batch has not emailed yet. */
function notYetEmailed(w: World): { row: number; name: string; address: string; paymentId: string } {
  const rows = w.rows();
  const index = rows.length - 2;
  const row = rows[index] ?? {};
  expect(row['Emailed At']).toBe('');
  return { row: index + 2, name: String(row.Name), address: String(row.Email), paymentId: String(row['Payment ID']) };
}

function mailsTo(w: World, address: string): number {
  return w.runtime.mail.filter((m) => m.to.includes(address)).length;
}

function postWebhook(w: World, paymentId: string): Record<string, unknown> {
  const settings = w.run('getSettings').value as { webhookUrl: string };
  const token = new URL(settings.webhookUrl).searchParams.get('token') as string;
  const execution = w.runtime.post({ token }, w.sim.webhookBody(paymentId));
  expect(execution.error).toBeUndefined();
  return JSON.parse((execution.value as { getContent(): string }).getContent()) as Record<string, unknown>;
}

/** Everyone else got exactly one email. */
function expectOthersOnce(w: World, except: string): void {
  for (const row of w.rows()) {
    const address = String(row.Email);
    if (address === except) continue;
    expect(mailsTo(w, address), address).toBe(1);
  }
}

describe('the email job checks each row again before it sends', () => {
  it('a customer who pays (webhook) while the run waits for its next batch gets no payment link by email', () => {
    const w = halfwayThroughEmails();
    const customer = notYetEmailed(w);
    w.sim.pay(customer.paymentId);
    w.runtime.advance(10_000);
    expect(postWebhook(w, customer.paymentId)).toMatchObject({ ok: true, confirmed: true });

    w.continueToEnd();

    expect(mailsTo(w, customer.address)).toBe(0);
    const row = w.rows().find((r) => r.Name === customer.name) ?? {};
    expect(row.Status).toBe('Paid');
    expect(row['Emailed At']).toBe('');
    expectOthersOnce(w, customer.address);
  });

  it('a row a teammate closes by hand (Status: Closed) while the run waits gets no email', () => {
    const w = halfwayThroughEmails();
    const customer = notYetEmailed(w);
    const status = w.header().indexOf('Status') + 1;
    w.runtime.spreadsheet.sheet(SHEET).putRaw(customer.row, status, 'Closed');

    w.continueToEnd();

    expect(mailsTo(w, customer.address)).toBe(0);
    expectOthersOnce(w, customer.address);
  });

  it('a row a teammate has already emailed by hand (Emailed At typed) while the run waits gets no second email', () => {
    const w = halfwayThroughEmails();
    const customer = notYetEmailed(w);
    const emailedAt = w.header().indexOf('Emailed At') + 1;
    expect(emailedAt).toBeGreaterThan(0);
    w.runtime.spreadsheet.sheet(SHEET).putRaw(customer.row, emailedAt, new Date(Date.UTC(2026, 10, 25, 3, 15)));

    w.continueToEnd();

    expect(mailsTo(w, customer.address)).toBe(0);
    const row = w.rows().find((r) => r.Name === customer.name) ?? {};
    expect((row['Emailed At'] as Date).toISOString()).toBe('2026-11-25T03:15:00.000Z');
    expectOthersOnce(w, customer.address);
  });
});

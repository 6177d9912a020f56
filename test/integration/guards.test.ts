/**
 * Guards that keep money and data right, each checked here a second time on the built bundle,
 * by what a person would see: a webhook for a transaction Mayar does not call paid, Mayar's
 * Retry-After, the job store's old parts, the email mark saved before the send, and a first
 * duplicate refusal (someone else's recent payment, not a create of ours that went missing).
 */
import { describe, expect, it } from 'vitest';
import { callIndexOf } from '../../tools/apps-script/gas-runtime';
import { customers, World } from '../support/world';
import { createFor, LOG, watchCreates } from './soundness';

function withLinks(rows: string[][]): World {
  const w = new World({ rows });
  w.run('createPaymentLinks');
  w.continueToEnd();
  expect(w.column('Status').every((s) => s === 'Unpaid')).toBe(true);
  return w;
}

function postWebhook(w: World, body: string): Record<string, unknown> {
  const settings = w.run('getSettings').value as { webhookUrl: string };
  const token = new URL(settings.webhookUrl).searchParams.get('token') as string;
  const execution = w.runtime.post({ token }, body);
  expect(execution.error).toBeUndefined();
  return JSON.parse((execution.value as { getContent(): string }).getContent()) as Record<string, unknown>;
}

describe('guards on the built bundle', () => {
  it('a webhook for a transaction Mayar says has expired leaves the row Unpaid, whatever the body claims', () => {
    const w = withLinks(customers(2, () => ({ expiry: '2026-11-26' })));
    const id = String(w.column('Payment ID')[0]);
    const transactionId = String(w.column('Transaction ID')[0]);
    // Past the expiry: Mayar's transaction is now "expired"; a forged body still says paid.
    w.runtime.advance(3 * 86_400_000);
    expect(w.sim.transactionStatus(transactionId)).toBe('expired');
    const answer = postWebhook(w, w.sim.webhookBody(id));
    expect(answer).toMatchObject({ ok: true, confirmed: false });
    expect(w.column('Status').map(String)).not.toContain('Paid');
    expect(
      w
        .rows(LOG)
        .filter((r) => r.Action === 'webhook')
        .map((r) => r.Outcome),
    ).toEqual(['not paid according to Mayar; row unchanged']);
  });

  it('a 429 with a Retry-After longer than a minute: the row is sent again only after that wait, and gets its link', () => {
    const w = new World({ rows: customers(6) });
    const sent = watchCreates(w);
    w.sim.injectFault({ type: 'too-many-requests', match: createFor('Customer 3'), retryAfterSeconds: 150 });
    w.run('createPaymentLinks');
    w.continueToEnd();
    const tries = sent.filter((s) => s.name === 'Customer 3');
    expect(tries).toHaveLength(2);
    expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(150_000);
    // Nothing at all is sent to Mayar while it asked to wait.
    const refusedAt = tries[0]?.at ?? 0;
    const during = w.sim.requests.filter((r) => r.at > refusedAt && r.at < refusedAt + 150_000);
    expect(during).toEqual([]);
    expect(w.rows().every((r) => r.Error === '' && String(r['Payment Link']).startsWith('https://'))).toBe(true);
  });

  it('a big run leaves no part of its job behind in the document properties (a 500 KB store) as it shrinks and when it ends', () => {
    const w = new World({ rows: customers(300) });
    const before = new Set(w.runtime.properties.document.keys());
    const doc = w.runtime.properties.document;
    const parts = () => doc.keys().filter((k) => /^mayar\.job\.\d+$/.test(k));
    w.run('createPaymentLinks');
    // 300 rows take two properties while the run is young.
    expect(parts()).toEqual(['mayar.job.0', 'mayar.job.1']);
    let shrunk = false;
    for (let i = 0; i < 40 && doc.get('mayar.job') !== null; i++) {
      w.runtime.advance(61_000);
      w.run('processNextBatch');
      const count = Number(doc.get('mayar.job') ?? '0');
      if (count === 1) shrunk = true;
      expect(parts()).toHaveLength(count);
    }
    expect(shrunk).toBe(true);
    expect(w.column('Payment Link').every((l) => String(l).startsWith('https://'))).toBe(true);
    expect(parts()).toEqual([]);
    expect(doc.keys().filter((k) => !before.has(k) && k.startsWith('mayar.job'))).toEqual([]);
  });

  it('an email job killed right after MailApp sent: that customer is not emailed again, and the row says it may have been emailed', () => {
    const rows = customers(3);
    const baseline = withLinks(rows);
    const click = baseline.run('sendPaymentLinksByEmail');
    const firstSend = callIndexOf(click, 'MailApp.sendEmail');
    const w = withLinks(rows);
    const killed = w.runtime.run('sendPaymentLinksByEmail', [], { kill: { atCall: firstSend, phase: 'after' } });
    expect(killed.killed).toBe(true);
    expect(w.runtime.mail).toHaveLength(1);
    const first = w.runtime.mail[0]?.to[0] ?? '';
    w.continueToEnd();
    w.runtime.advance(60_000);
    w.run('sendPaymentLinksByEmail');
    w.continueToEnd();
    expect(w.runtime.mail.filter((m) => m.to.includes(first))).toHaveLength(1);
    const row = w.rows().find((r) => r.Email === first) ?? {};
    expect(String(row.Error)).toMatch(/may have been emailed at .*check your Sent folder/i);
    expect(w.runtime.mail).toHaveLength(3);
  });

  it('a first create refused as a duplicate of someone else’s payment is sent again after the minute, without a lookup for a lost create', () => {
    const w = new World({ rows: customers(3) });
    const sent = watchCreates(w);
    w.sim.injectFault({ type: 'duplicate-request', match: createFor('Customer 2') });
    w.run('createPaymentLinks');
    w.continueToEnd();
    const tries = sent.filter((s) => s.name === 'Customer 2');
    expect(tries).toHaveLength(2);
    expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(60_000);
    // No create was in doubt, so Mayar was never searched for one.
    expect(w.sim.requests.filter((r) => r.method === 'GET')).toEqual([]);
    const story = w
      .rows(LOG)
      .filter((r) => r.Customer === 'Customer 2')
      .map((r) => String(r.Outcome));
    expect(story.join(' | ')).not.toMatch(/No clear answer|checked/i);
    expect(w.rows().every((r) => r.Error === '' && String(r['Payment Link']).startsWith('https://'))).toBe(true);
    expect(w.sim.createCount()).toBe(3);
  });
});

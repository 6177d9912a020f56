import { describe, expect, it } from 'vitest';
import { buildEmail, defaultEmailTemplates, type Email, emailChannel, isEmail, planEmails } from '../../src/core/email';
import type { TemplateValues } from '../../src/core/templates';

const ROW: TemplateValues = {
  name: 'Budi <script>',
  amount: 250_000,
  link: 'https://mayar.link/pay/abc',
  due: { year: 2026, month: 12, day: 31 },
};

describe('isEmail', () => {
  it('accepts addresses and refuses the rest', () => {
    expect(isEmail('budi@example.com')).toBe(true);
    expect(isEmail('  budi.s+spp@sekolah.sch.id ')).toBe(true);
    expect(isEmail('budi@')).toBe(false);
    expect(isEmail('budi example.com')).toBe(false);
    expect(isEmail('')).toBe(false);
    expect(isEmail(42)).toBe(false);
  });
});

describe('buildEmail', () => {
  it('renders subject, plain and HTML bodies from the same templates', () => {
    const email = buildEmail('id', 'budi@example.com', defaultEmailTemplates('id', 'bill'), ROW);
    expect(email.to).toBe('budi@example.com');
    expect(email.subject).toBe('Tagihan sebesar Rp250.000');
    expect(email.text).toMatch(/^Halo Kak Budi <script>,\n/);
    expect(email.html).toContain('Halo Kak Budi &#60;script&#62;,<br>');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('<a href="https://mayar.link/pay/abc">');
  });

  it('keeps the subject on one clipped line', () => {
    const email = buildEmail('en', 'a@b.co', { subject: 'Bill\nfor {name}', body: 'x' }, { ...ROW, name: 'N'.repeat(400) });
    expect(email.subject).not.toMatch(/\n/);
    expect(email.subject.startsWith('Bill for NNN')).toBe(true);
    expect(email.subject.length).toBe(200);
    expect(email.subject.endsWith('…')).toBe(true);
  });

  it('has a subject for every kind in both languages', () => {
    for (const locale of ['en', 'id'] as const) {
      for (const kind of ['bill', 'reminderBefore', 'reminderDue', 'thanks'] as const) {
        const email = buildEmail(locale, 'a@b.co', defaultEmailTemplates(locale, kind), { ...ROW, days: 1 });
        expect(email.subject).not.toMatch(/[{}]/);
        expect(email.subject.length).toBeGreaterThan(5);
      }
    }
    expect(buildEmail('en', 'a@b.co', defaultEmailTemplates('en', 'reminderBefore'), ROW).subject).toBe(
      'Reminder: your bill of Rp250.000 is due on 31 December 2026',
    );
  });
});

describe('planEmails', () => {
  const rows = ['r1', 'r2', 'r3', 'r4', 'r5'];

  it('sends what the quota allows today, in order, and leaves the rest', () => {
    expect(planEmails(rows, 3)).toEqual({ today: ['r1', 'r2', 'r3'], later: ['r4', 'r5'], quotaLeft: 0 });
    expect(planEmails(rows, 100)).toEqual({ today: rows, later: [], quotaLeft: 95 });
  });

  it('sends nothing with no quota, and keeps a reserve when asked', () => {
    expect(planEmails(rows, 0)).toEqual({ today: [], later: rows, quotaLeft: 0 });
    expect(planEmails(rows, -1).today).toEqual([]);
    expect(planEmails(rows, 4, 2)).toEqual({ today: ['r1', 'r2'], later: ['r3', 'r4', 'r5'], quotaLeft: 2 });
    expect(planEmails(rows, 1, 5).today).toEqual([]);
  });
});

describe('emailChannel', () => {
  it('hands a valid address to the mailer', () => {
    const sent: Email[] = [];
    const channel = emailChannel((email) => sent.push(email));
    expect(channel.send({ name: 'Budi', email: ' budi@example.com ' }, { subject: 'S', text: 'a\n<b>' })).toEqual({ kind: 'sent' });
    expect(sent).toEqual([{ to: 'budi@example.com', subject: 'S', text: 'a\n<b>', html: 'a<br>\n&#60;b&#62;' }]);
  });

  it('skips rows without a valid address and sends nothing', () => {
    const sent: Email[] = [];
    const channel = emailChannel((email) => sent.push(email));
    expect(channel.send({ name: 'Budi' }, { text: 'x' })).toEqual({ kind: 'skipped', reason: { key: 'channel.noEmail' } });
    expect(channel.send({ name: 'Budi', email: 'budi@' }, { text: 'x' })).toEqual({
      kind: 'skipped',
      reason: { key: 'channel.emailInvalid', params: { value: 'budi@' } },
    });
    expect(sent).toEqual([]);
  });
});

/**
 * Reminders and the thank-you email when things go wrong: a payment that arrives by Mayar's
 * webhook is thanked once by the next hourly pass, however often the webhook comes; a
 * reminder pass killed at any call that changes something never mails a step twice, and
 * never reminds someone who paid.
 */
import { describe, expect, it } from 'vitest';
import { callIndexOf, driveByTriggers, type Execution } from '../../tools/apps-script/gas-runtime';
import { World, type WorldOptions } from '../support/world';
import { killPoints } from './soundness';

const HOUR_MS = 3_600_000;
const JAKARTA_MS = 7 * HOUR_MS;
const HEADER = ['Name', 'Amount', 'Email', 'Expires At', 'Reminders'];
const THANKS = 'Payment received, thank you';

/** The world starts on 2026-11-25 at 10:00 in Jakarta; every bill is due on 2026-12-02. */
function billedWorld(options: Omit<WorldOptions, 'rows'> = {}): World {
  const w = new World({
    ...options,
    rows: [
      HEADER,
      ['Alice', '100000', 'alice@example.com', '2026-12-02 18:00', ''],
      ['Budi', '200000', 'budi@example.com', '2026-12-02 18:00', ''],
      ['Citra', '300000', 'citra@example.com', '2026-12-02 18:00', ''],
    ],
  });
  w.run('createPaymentLinks');
  w.continueToEnd();
  expect(w.column('Status').map(String)).toEqual(['Unpaid', 'Unpaid', 'Unpaid']);
  return w;
}

function idOf(w: World, name: string): string {
  const row = w.rows().find((r) => r.Name === name);
  return String(row?.['Payment ID'] ?? '');
}

function mailsTo(w: World, address: string): { subject: string; at: number }[] {
  return w.runtime.mail.filter((m) => m.to.includes(address)).map((m) => ({ subject: m.subject, at: m.at }));
}

function jakartaDay(at: number): string {
  return new Date(at + JAKARTA_MS).toISOString().slice(0, 10);
}

function isReminder(subject: string): boolean {
  return /^(Reminder|Due today)/.test(subject);
}

/** Runs the triggers up to the given Jakarta wall time. */
function driveUntil(w: World, isoJakarta: string): Execution[] {
  const at = Date.parse(`${isoJakarta}Z`) - JAKARTA_MS;
  const runs = driveByTriggers(w.runtime, at - w.runtime.clock.now());
  if (w.runtime.clock.now() < at) w.runtime.advance(at - w.runtime.clock.now());
  return runs;
}

function webhookToken(world: World): string {
  const settings = world.run('getSettings').value as { webhookUrl: string | null };
  expect(settings.webhookUrl).toMatch(/[?&]token=/);
  return new URL(settings.webhookUrl as string).searchParams.get('token') as string;
}

function postWebhook(world: World, token: string, paymentId: string): Record<string, unknown> {
  const execution = world.runtime.post({ token }, world.sim.webhookBody(paymentId));
  expect(execution.error).toBeUndefined();
  const output = execution.value as { getContent(): string };
  return JSON.parse(output.getContent()) as Record<string, unknown>;
}

/** Lets time pass until the next trigger has fired; returns what ran. */
function fireNextTrigger(world: World): Execution[] {
  const at = world.runtime.nextTriggerAt();
  if (at === null) throw new Error('no trigger is set');
  return world.runtime.advance(Math.max(0, at - world.runtime.clock.now()));
}

describe('the thank-you email after a webhook', () => {
  it('a row turned Paid by the webhook gets one thank-you at the next hourly pass; a second pass and a repeated webhook send none', () => {
    const w = billedWorld();
    const saved = w.run('saveDeliverySettings', [{ thankYou: true }]);
    expect(saved.value).toMatchObject({ ok: true });
    expect(w.runtime.triggers.map((t) => t.handler)).toContain('hourlyTick');
    const token = webhookToken(w);
    const budi = idOf(w, 'Budi');

    w.sim.pay(budi);
    w.runtime.advance(30_000);
    expect(postWebhook(w, token, budi)).toMatchObject({ ok: true, confirmed: true });
    expect(w.column('Status').map(String)).toEqual(['Unpaid', 'Paid', 'Unpaid']);
    // The webhook itself sends nothing: the hourly pass does.
    expect(w.runtime.mail).toEqual([]);

    const firstPass = fireNextTrigger(w);
    expect(firstPass.map((r) => r.fn)).toContain('hourlyTick');
    expect(mailsTo(w, 'budi@example.com').map((m) => m.subject)).toEqual([THANKS]);
    expect(w.runtime.mail).toHaveLength(1);

    // Mayar delivers the same event again, then more hours pass.
    w.runtime.advance(5 * 60_000);
    expect(postWebhook(w, token, budi)).toMatchObject({ ok: true, confirmed: true, repeat: true });
    fireNextTrigger(w);
    fireNextTrigger(w);
    expect(mailsTo(w, 'budi@example.com').map((m) => m.subject)).toEqual([THANKS]);
    expect(w.runtime.mail).toHaveLength(1);
  });
});

describe('the thank-you email in an add-on', () => {
  it('goes out at the next hourly pass even while a long run is in progress', () => {
    const w = billedWorld({ runtime: { installation: 'addon' } });
    expect(w.run('saveDeliverySettings', [{ thankYou: true }]).value).toMatchObject({ ok: true });
    // An add-on has no webhook: Budi's payment is found by Refresh payment status.
    w.sim.pay(idOf(w, 'Budi'));
    w.run('refreshPaymentStatus');
    w.continueToEnd();
    expect(w.column('Status').map(String)).toEqual(['Unpaid', 'Paid', 'Unpaid']);
    // Then a 90-row run starts on another sheet, and the sidebar is closed.
    const big = [HEADER, ...Array.from({ length: 90 }, (_, i) => [`Pelanggan ${i + 1}`, String(50_000 + i * 100), '', '2026-12-31', ''])];
    w.runtime.spreadsheet.typeRows('Big', big);
    w.runtime.spreadsheet.setActiveSheet('Big');
    w.run('createPaymentLinks');
    expect(w.runtime.mail).toEqual([]);

    const pass = fireNextTrigger(w);

    expect(pass.map((r) => [r.fn, r.error])).toEqual([['hourlyTick', undefined]]);
    expect(mailsTo(w, 'budi@example.com').map((m) => m.subject)).toEqual([THANKS]);
    // The same pass carried the run on, and it goes on.
    expect(w.column('Payment Link', 'Big').filter((l) => String(l) !== '').length).toBeGreaterThan(20);
  });
});

/** Reminders on for H-3, H-1 and H; Citra pays early, before any reminder is due. */
function remindingWorld(): World {
  const w = billedWorld();
  w.sim.pay(idOf(w, 'Citra'));
  // Reminders turned on just before the day of H-3: the first passes that mail come soon.
  driveUntil(w, '2026-11-29T06:30:00');
  expect(w.run('saveDeliverySettings', [{ reminders: true, reminderDays: [-3, -1, 0], thankYou: false }]).value).toMatchObject({ ok: true });
  expect(w.runtime.mail.filter((m) => isReminder(m.subject))).toEqual([]);
  return w;
}

/** The hourly passes until the bills are long due; Budi pays between H-3 and H-1. */
function carryOnDays(w: World): void {
  driveUntil(w, '2026-11-30T13:00:00');
  w.sim.pay(idOf(w, 'Budi'));
  // The end of the due day: every step has had its day.
  driveUntil(w, '2026-12-02T21:00:00');
}

/** No customer got a reminder step twice; Citra (paid before any step) and Budi (after he paid) got none. */
function expectNoRepeatNoPaid(w: World, where: string): void {
  const budiPaidAt = Date.parse('2026-11-30T13:00:00Z') - JAKARTA_MS;
  try {
    for (const address of ['alice@example.com', 'budi@example.com', 'citra@example.com']) {
      const days = mailsTo(w, address)
        .filter((m) => isReminder(m.subject))
        .map((m) => jakartaDay(m.at));
      // Each step has its own day (H-3 on 29 Nov, H-1 on 1 Dec, H on 2 Dec): a day twice is a step twice.
      expect(days, address).toEqual([...new Set(days)]);
      for (const day of days) expect(['2026-11-29', '2026-12-01', '2026-12-02'], `${address} on ${day}`).toContain(day);
    }
    expect(mailsTo(w, 'citra@example.com').filter((m) => isReminder(m.subject))).toEqual([]);
    expect(mailsTo(w, 'budi@example.com').filter((m) => isReminder(m.subject) && m.at >= budiPaidAt)).toEqual([]);
  } catch (error) {
    if (error instanceof Error) error.message = `killed ${where}: ${error.message}`;
    throw error;
  }
}

describe('a reminder pass killed at any call that changes something', () => {
  it('then the hourly passes carry on: no step twice to anyone, no reminder to who paid', () => {
    // Find the first pass that mails reminders, and what it calls; keep the world just before it.
    const baseline = remindingWorld();
    let mailing: Execution | undefined;
    let beforeMailing = baseline.clone();
    for (let i = 0; i < 30 && !mailing; i++) {
      const mailsBefore = baseline.runtime.mail.length;
      beforeMailing = baseline.clone();
      const runs = fireNextTrigger(baseline);
      const reminderRun = runs.find((r) => r.fn === 'hourlyTick');
      if (reminderRun && baseline.runtime.mail.length > mailsBefore) mailing = reminderRun;
    }
    if (!mailing) throw new Error('no reminder pass mailed on the day of H-3');
    expect(mailing.callLog).toContain('MailApp.sendEmail');
    carryOnDays(baseline);
    expectNoRepeatNoPaid(baseline, 'nowhere');
    // Without a kill: Alice gets all three, Budi H-3 only.
    expect(
      mailsTo(baseline, 'alice@example.com')
        .filter((m) => isReminder(m.subject))
        .map((m) => jakartaDay(m.at)),
    ).toEqual(['2026-11-29', '2026-12-01', '2026-12-02']);

    const points = killPoints(mailing.callLog);
    expect(points.filter((p) => mailing.callLog[p.atCall - 1] === 'MailApp.sendEmail').length).toBeGreaterThanOrEqual(2);
    for (const kill of points) {
      // Each kill starts from a copy of the world just before that pass, not a replay of the days before.
      const w = beforeMailing.clone();
      w.runtime.killNext('hourlyTick', kill);
      const killedRun = fireNextTrigger(w).find((r) => r.fn === 'hourlyTick');
      const where = `${kill.phase} call ${kill.atCall} (${mailing.callLog[kill.atCall - 1] ?? ''})`;
      expect(killedRun?.killed, where).toBe(true);
      carryOnDays(w);
      expectNoRepeatNoPaid(w, where);
    }
  }, 600_000);

  // A pass killed after it saved the refresh that confirms the due rows, before that refresh
  // ends or sets its continuation trigger: the next hourly pass carries the check on.
  it('a pass killed during its confirming refresh: the later steps still go out', () => {
    const baseline = remindingWorld();
    let passesBefore = 0;
    let mailing: Execution | undefined;
    for (let i = 0; i < 30 && !mailing; i++) {
      const mailsBefore = baseline.runtime.mail.length;
      const reminderRun = fireNextTrigger(baseline).find((r) => r.fn === 'hourlyTick');
      if (reminderRun && baseline.runtime.mail.length > mailsBefore) mailing = reminderRun;
      else if (reminderRun) passesBefore++;
    }
    if (!mailing) throw new Error('no reminder pass mailed on the day of H-3');

    const w = remindingWorld();
    for (let done = 0; done < passesBefore;) {
      if (fireNextTrigger(w).some((r) => r.fn === 'hourlyTick')) done++;
    }
    // Killed right after the refresh's first read of Mayar.
    w.runtime.killNext('hourlyTick', { atCall: callIndexOf(mailing, 'UrlFetchApp.fetchAll'), phase: 'after' });
    expect(fireNextTrigger(w).find((r) => r.fn === 'hourlyTick')?.killed).toBe(true);
    carryOnDays(w);
    const alice = mailsTo(w, 'alice@example.com').filter((m) => isReminder(m.subject));
    expect(alice.map((m) => jakartaDay(m.at))).toEqual(expect.arrayContaining(['2026-12-01', '2026-12-02']));
  });
});

/**
 * Google Form responses billed as they land: the built bundle's onFormResponse, called by the
 * fake's onFormSubmit trigger with the event Google documents, against the Mayar simulator.
 */
import { describe, expect, it } from 'vitest';
import { customers, SHEET, World } from '../support/world';

const RESPONSES = 'Form Responses 1';
const LINK = /^https:\/\/mayarsheets\.myr\.lat\/pl\/\w+$/;

function formWorld(headers = ['Timestamp', 'Nama Lengkap', 'Alamat email', 'No WhatsApp', 'Jumlah'], settings: Record<string, unknown> = {}): World {
  const world = new World();
  world.runtime.spreadsheet.addSheet(RESPONSES, [headers]);
  world.run('saveSettings', [{ billFormResponses: true, ...settings }]);
  return world;
}

describe('bills from Google Form responses', () => {
  it('turning it on installs one onFormSubmit trigger; turning it off removes it', () => {
    const world = formWorld();
    world.run('saveSettings', [{ billFormResponses: true }]);
    const form = world.runtime.triggers.filter((t) => t.schedule === 'formSubmit');
    expect(form.map((t) => [t.handler, t.owner])).toEqual([['onFormResponse', world.user]]);
    world.run('saveSettings', [{ billFormResponses: false }]);
    expect(world.runtime.triggers.filter((t) => t.schedule === 'formSubmit')).toHaveLength(0);
  });

  it('in an add-on, the trigger is made by and runs as whoever turned it on', () => {
    const world = new World({ runtime: { installation: 'addon' } });
    world.runtime.spreadsheet.addSheet(RESPONSES, [['Timestamp', 'Nama Lengkap', 'Alamat email', 'No WhatsApp', 'Jumlah']]);
    world.run('saveSettings', [{ billFormResponses: true }]);
    const [trigger] = world.runtime.triggers.filter((t) => t.schedule === 'formSubmit');
    expect(trigger?.owner).toBe(world.user);
    const runs = world.runtime.submitForm(RESPONSES, ['Budi Santoso', 'budi@example.com', '081234567890', '150000']);
    expect(runs.map((r) => [r.fn, r.user, r.context])).toEqual([['onFormResponse', world.user, 'trigger']]);
    expect(world.column('Payment Link', RESPONSES)[0]).toMatch(LINK);
  });

  it('a new response gets its link in its own row within 2 minutes', () => {
    const world = formWorld();
    const submittedAt = world.runtime.clock.now();
    world.runtime.submitForm(RESPONSES, ['Budi Santoso', 'budi@example.com', '0812-3456-7890', 'Rp 150.000']);
    const row = world.rows(RESPONSES)[0];
    expect(row?.['Payment Link']).toMatch(LINK);
    expect(row?.['Status']).toBe('Unpaid');
    expect(row?.['Error']).toBe('');
    const payment = world.sim.payment(String(row?.['Payment ID']));
    expect(payment).toMatchObject({ name: 'Budi Santoso', amount: 150_000, email: 'budi@example.com', mobile: '081234567890' });
    expect((payment?.createdAt ?? Infinity) - submittedAt).toBeLessThan(2 * 60_000);
  });

  it('the double fire of onFormSubmit (same values, or blank) makes one payment', () => {
    const world = formWorld();
    world.runtime.submitForm(RESPONSES, ['Budi Santoso', 'budi@example.com', '081234567890', '150000'], { twice: 'same', afterMs: 3_000 });
    world.runtime.submitForm(RESPONSES, ['Siti Rahayu', 'siti@example.com', '081322223333', '200000'], { twice: 'blank', afterMs: 1_000 });
    world.runtime.advance(5 * 60_000);
    expect(world.sim.createCount()).toBe(2);
    expect(world.column('Payment Link', RESPONSES).every((link) => LINK.test(String(link)))).toBe(true);
  });

  it('a burst of 30 responses in one minute is linked within 6 minutes at Mayar pace, none twice', () => {
    const world = formWorld();
    const start = world.runtime.clock.now();
    for (let i = 1; i <= 30; i++) {
      world.runtime.submitForm(RESPONSES, [`Peserta ${i}`, `peserta${i}@example.com`, `0812000000${String(i).padStart(2, '0')}`, String(100_000 + i * 1_000)], {
        ...(i % 5 === 0 ? { twice: 'same' as const, afterMs: 500 } : {}),
      });
      world.runtime.advance(2_000);
    }
    let linkedAt = Infinity;
    for (let t = 0; t < 10 * 60; t += 5) {
      if (world.column('Payment Link', RESPONSES).every((link) => LINK.test(String(link)))) {
        linkedAt = world.runtime.clock.now();
        break;
      }
      world.runtime.advance(5_000);
    }
    expect(linkedAt - start).toBeLessThanOrEqual(6 * 60_000);
    expect(world.sim.createCount()).toBe(30);
    expect([...world.sim.createsByContent().values()].every((n) => n === 1)).toBe(true);
    expect(world.sim.tooManyRequestsSent).toBe(0);
  });

  it('a response whose amount cannot be read gets an Error naming the amount, nothing sent', () => {
    const world = formWorld();
    world.runtime.submitForm(RESPONSES, ['Rina', 'rina@example.com', '081299998888', 'gratis']);
    expect(world.column('Error', RESPONSES)).toEqual(['Jumlah: "gratis" is not a rupiah amount']);
    expect(world.sim.createCount()).toBe(0);
  });

  it('a form without an amount question bills the default amount from Settings, shown in its own column', () => {
    const world = formWorld(['Timestamp', 'Email Address', 'Nama Lengkap', 'No WhatsApp'], { formAmount: 75_000 });
    world.runtime.submitForm(RESPONSES, ['andi@example.com', 'Andi Wijaya', '081211112222']);
    const row = world.rows(RESPONSES)[0];
    expect(row?.['Total']).toBe(75_000);
    expect(world.sim.payment(String(row?.['Payment ID']))).toMatchObject({ name: 'Andi Wijaya', amount: 75_000, email: 'andi@example.com' });
  });

  it('does nothing when the setting is off (a trigger left by another editor)', () => {
    const world = formWorld();
    world.run('saveSettings', [{ billFormResponses: false }]);
    expect(world.runtime.submitForm(RESPONSES, ['Budi', 'budi@example.com', '081234567890', '150000'])).toHaveLength(0);
    expect(world.sim.createCount()).toBe(0);
  });

  it('a response that lands during another run is kept and billed once that run has ended', () => {
    const world = new World({ rows: customers(30) });
    world.runtime.spreadsheet.addSheet(RESPONSES, [['Timestamp', 'Nama Lengkap', 'Alamat email', 'No WhatsApp', 'Jumlah']]);
    world.run('saveSettings', [{ billFormResponses: true }]);
    world.runtime.spreadsheet.setActiveSheet(SHEET);
    world.run('createPaymentLinks');
    world.runtime.submitForm(RESPONSES, ['Budi Santoso', 'budi@example.com', '081234567890', '150000']);
    expect(world.column('Payment Link', RESPONSES)[0] ?? '').toBe('');
    // The create carries on by its triggers; the kept response is looked at again every minute.
    world.runtime.advance(5 * 60_000);
    expect(world.column('Payment Link', SHEET).every((link) => link !== '')).toBe(true);
    expect(world.column('Payment Link', RESPONSES)[0]).toMatch(LINK);
    expect(world.sim.createCount()).toBe(31);
  });

  it('in an add-on, a burst is sent from the form trigger itself at Mayar pace (no minute triggers)', () => {
    // 10 a minute: the responses outrun the rate, so some must wait for a later window.
    const world = new World({ runtime: { installation: 'addon' }, ratePerMinute: 10, serverRatePerMinute: 10 });
    world.runtime.spreadsheet.addSheet(RESPONSES, [['Timestamp', 'Nama Lengkap', 'Alamat email', 'No WhatsApp', 'Jumlah']]);
    world.run('saveSettings', [{ billFormResponses: true }]);
    const start = world.runtime.clock.now();
    for (let i = 1; i <= 30; i++) {
      world.runtime.submitForm(RESPONSES, [`Peserta ${i}`, `peserta${i}@example.com`, `0812000000${String(i).padStart(2, '0')}`, String(100_000 + i * 1_000)]);
      // (no wait between them: each trigger's own execution takes a few seconds)
    }
    world.runtime.advance(3 * 60_000);
    expect(world.column('Payment Link', RESPONSES).every((link) => LINK.test(String(link)))).toBe(true);
    expect(world.runtime.clock.now() - start).toBeLessThanOrEqual(6 * 60_000);
    expect(world.sim.createCount()).toBe(30);
    expect(world.sim.tooManyRequestsSent).toBe(0);
  });

  describe('Settings → email each new form response its bill', () => {
    const HEADERS = ['Timestamp', 'Nama Lengkap', 'Alamat email', 'No WhatsApp', 'Jumlah'];

    function mailsTo(world: World, address: string): number {
      return world.runtime.mail.filter((m) => m.to.includes(address)).length;
    }

    it('emails each newly linked response once, with its link, and writes Emailed At; never a row billed before or without a link', () => {
      const world = formWorld(HEADERS);
      // A response billed before the setting was on is not emailed when it is turned on.
      world.runtime.submitForm(RESPONSES, ['Andi', 'andi@example.com', '081211112222', '100000']);
      world.run('saveSettings', [{ emailFormResponses: true }]);
      world.runtime.submitForm(RESPONSES, ['Budi Santoso', 'budi@example.com', '081234567890', '150000']);
      world.runtime.submitForm(RESPONSES, ['Rina', 'rina@example.com', '081299998888', 'gratis']);
      world.runtime.advance(2 * 60_000);
      const [andi, budi, rina] = world.rows(RESPONSES);
      expect(world.runtime.mail.map((m) => m.to.join())).toEqual(['budi@example.com']);
      expect(world.runtime.mail[0]?.body).toContain(String(budi?.['Payment Link']));
      expect(budi?.['Emailed At']).toBeInstanceOf(Date);
      expect(andi?.['Emailed At'] ?? '').toBe('');
      expect(rina?.['Emailed At'] ?? '').toBe('');
      // The next response: only it is emailed; Budi never twice.
      world.runtime.submitForm(RESPONSES, ['Siti', 'siti@example.com', '081322223333', '200000']);
      world.runtime.advance(2 * 60_000);
      expect(world.runtime.mail.map((m) => m.to.join())).toEqual(['budi@example.com', 'siti@example.com']);
      expect(world.sim.createCount()).toBe(3);
      // The same rows wait in the WhatsApp queue like any billed row.
      world.runtime.spreadsheet.setActiveSheet(RESPONSES);
      world.run('showWhatsApp');
      const queue = world.run('getWhatsAppQueue').value as { items: { name: string }[] };
      expect(queue.items.map((i) => i.name)).toEqual(['Andi', 'Budi Santoso', 'Siti']);
    });

    it('in an add-on, the form trigger itself sends the email', () => {
      const world = new World({ runtime: { installation: 'addon' } });
      world.runtime.spreadsheet.addSheet(RESPONSES, [HEADERS]);
      world.run('saveSettings', [{ billFormResponses: true, emailFormResponses: true }]);
      world.runtime.submitForm(RESPONSES, ['Budi Santoso', 'budi@example.com', '081234567890', '150000']);
      expect(world.runtime.mail.map((m) => m.to.join())).toEqual(['budi@example.com']);
      expect(world.rows(RESPONSES)[0]?.['Emailed At']).toBeInstanceOf(Date);
    });

    it('sends nothing by email when the setting is off', () => {
      const world = formWorld(HEADERS);
      world.runtime.submitForm(RESPONSES, ['Budi Santoso', 'budi@example.com', '081234567890', '150000']);
      world.runtime.advance(2 * 60_000);
      expect(world.column('Payment Link', RESPONSES)[0]).toMatch(LINK);
      expect(world.runtime.mail).toHaveLength(0);
    });

    it('respects the daily mail quota: what does not fit goes out the next day', () => {
      const world = new World({ runtime: { mailDailyQuota: 1 } });
      world.runtime.spreadsheet.addSheet(RESPONSES, [HEADERS]);
      world.run('saveSettings', [{ billFormResponses: true, emailFormResponses: true }]);
      world.runtime.submitForm(RESPONSES, ['Budi Santoso', 'budi@example.com', '081234567890', '150000']);
      world.runtime.submitForm(RESPONSES, ['Siti', 'siti@example.com', '081322223333', '200000']);
      world.runtime.advance(2 * 60_000);
      expect(world.runtime.mail).toHaveLength(1);
      world.runtime.advance(26 * 60 * 60_000);
      expect(world.runtime.mail.map((m) => m.to.join()).sort()).toEqual(['budi@example.com', 'siti@example.com']);
      expect(world.rows(RESPONSES).every((r) => r['Emailed At'] instanceof Date)).toBe(true);
    });

    it('a form trigger killed at its email never emails twice; an email that may have gone out says so', () => {
      const baseline = formWorld(HEADERS, { emailFormResponses: true });
      const [run] = baseline.runtime.submitForm(RESPONSES, ['Budi Santoso', 'budi@example.com', '081234567890', '150000']);
      const at = (run?.callLog ?? []).indexOf('MailApp.sendEmail') + 1;
      expect(at).toBeGreaterThan(0);
      for (const kill of [
        { atCall: at, phase: 'before' as const },
        { atCall: at, phase: 'after' as const },
        { atCall: at + 1, phase: 'before' as const },
      ]) {
        const world = formWorld(HEADERS, { emailFormResponses: true });
        world.runtime.killNext('onFormResponse', kill);
        const [killed] = world.runtime.submitForm(RESPONSES, ['Budi Santoso', 'budi@example.com', '081234567890', '150000']);
        expect(killed?.killed).toBe(true);
        world.runtime.advance(15 * 60_000);
        const sent = mailsTo(world, 'budi@example.com');
        const [row] = world.rows(RESPONSES);
        expect(sent, JSON.stringify(kill)).toBeLessThanOrEqual(1);
        expect(row?.['Emailed At']).toBeInstanceOf(Date);
        if (sent === 0) expect(String(row?.['Error'])).toMatch(/may have been emailed at .*check your Sent folder/i);
        expect(world.sim.createCount()).toBe(1);
      }
    });
  });
});

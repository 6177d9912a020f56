/** The WhatsApp Link column and the Send by WhatsApp queue, on the built bundle. */
import { describe, expect, it } from 'vitest';
import { World } from '../support/world';

const HEADER = ['Name', 'Amount', 'No HP', 'Email', 'Expires At', 'Payment Link', 'Payment ID', 'Status'];

function rows(): string[][] {
  return [
    HEADER,
    ['Budi', '1500000', '0812-3456-7890', '', '2026-12-31', 'https://pay.example/1', 'pay-1', 'Unpaid'],
    // Typed with an apostrophe, as Sheets needs for a leading +.
    ['Sari', '250000', "'+62 812 3456 7891", '', '2026-12-31', 'https://pay.example/2', 'pay-2', 'Unpaid'],
    ['Andi', '99000', '6281234567892', '', '2026-12-31', 'https://pay.example/3', 'pay-3', 'Unpaid'],
    // Typed without its leading 0, Sheets keeps it as a number.
    ['Dewi', '50000', '81234567893', '', '2026-12-31', 'https://pay.example/4', 'pay-4', 'Unpaid'],
    ['Eka', '50000', 'call me', '', '2026-12-31', 'https://pay.example/5', 'pay-5', 'Unpaid'],
    ['Fajar', '50000', '081234567894', '', '2026-12-31', 'https://pay.example/6', 'pay-6', 'Paid'],
    ['Gita', '50000', '', '', '2026-12-31', 'https://pay.example/7', 'pay-7', 'Unpaid'],
  ];
}

interface Queue {
  items: { paymentId: string; name: string; mobile: string; amount: string; kind: string; text: string; url: string }[];
  message: string;
  reason?: string;
}

describe('Send by WhatsApp', () => {
  it('writes wa.me links for usable numbers (08…, +62 …, 62…, a number cell), none for the rest, and walks the unsent, open rows', () => {
    const world = new World({ rows: rows() });
    expect(typeof world.values()[4]?.[2]).toBe('number');
    world.run('showWhatsApp');
    const queue = world.run('getWhatsAppQueue').value as Queue;
    const links = world.column('WhatsApp Link').map(String);
    expect(links.slice(0, 4).map((l) => l.slice(0, l.indexOf('?')))).toEqual([
      'https://wa.me/6281234567890',
      'https://wa.me/6281234567891',
      'https://wa.me/6281234567892',
      'https://wa.me/6281234567893',
    ]);
    // No usable number: no link, and no error.
    expect(links[4]).toBe('');
    expect(links[6]).toBe('');
    expect(world.alerts()).toEqual([]);
    const text = decodeURIComponent(links[0]!.slice(links[0]!.indexOf('?text=') + 6));
    expect(text).toContain('Rp1.500.000');
    expect(text).toContain('31 December 2026');
    expect(text).toContain('https://pay.example/1');
    expect(queue.items.map((i) => i.name)).toEqual(['Budi', 'Sari', 'Andi', 'Dewi']);
    expect(queue.items[0]?.text).toBe(text);
    // The sidebar shows whom it goes to: the number as the sheet has it, and the amount.
    expect(queue.items.map((i) => [i.mobile, i.amount])).toEqual([
      ['0812-3456-7890', 'Rp1.500.000'],
      ['+62 812 3456 7891', 'Rp250.000'],
      ['6281234567892', 'Rp99.000'],
      ['81234567893', 'Rp50.000'],
    ]);

    const next = world.run('markWhatsAppSent', ['pay-1', 'bill']).value as Queue;
    expect(next.items.map((i) => i.name)).toEqual(['Sari', 'Andi', 'Dewi']);
    expect(world.rows()[0]?.['WhatsApp Sent At']).toBeInstanceOf(Date);
    // Opening the sidebar again: Budi is not offered twice.
    expect((world.run('getWhatsAppQueue').value as Queue).items.map((i) => i.name)).toEqual(['Sari', 'Andi', 'Dewi']);
  });

  it('a sheet without a mobile column gets no WhatsApp columns', () => {
    const world = new World({ rows: rows().map((r) => r.filter((_, i) => i !== 2)) });
    const queue = world.run('getWhatsAppQueue').value as Queue;
    expect(queue.items).toEqual([]);
    expect(queue.reason).toBe('noMobileColumn');
    expect(queue.message).toContain('no mobile number column');
    expect(world.header()).not.toContain('WhatsApp Link');
  });

  it('an empty queue says why: no payment link yet, or every link sent (in Indonesian too)', () => {
    const noLinks = new World({
      rows: [
        ['Nama', 'Jumlah', 'No HP'],
        ['Budi', '150000', '081234567890'],
      ],
    });
    noLinks.run('saveSettings', [{ language: 'id' }]);
    const none = noLinks.run('getWhatsAppQueue').value as Queue;
    expect(none.reason).toBe('noLinks');
    expect(none.message).toBe('Belum ada link pembayaran untuk dikirim. Buat dulu lewat Mayar → Buat link pembayaran.');

    const world = new World({ rows: rows().slice(0, 2) });
    expect((world.run('getWhatsAppQueue').value as Queue).items).toHaveLength(1);
    const after = world.run('markWhatsAppSent', ['pay-1', 'bill']).value as Queue;
    expect(after.items).toEqual([]);
    expect(after.reason).toBe('allSent');
    expect(after.message).toBe('Every payment link on this sheet has been sent by WhatsApp. Nothing else is waiting.');
  });
});

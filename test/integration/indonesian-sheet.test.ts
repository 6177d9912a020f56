/**
 * An Indonesian admin's own sheet, on the built bundle: Set up this sheet writes headers in
 * the interface language, the columns schools and kos already keep are read without renaming,
 * and the confirmation says which of two amount columns is read.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../support/world';

function indonesian(rows?: string[][]): World {
  const world = new World(rows ? { rows } : {});
  world.run('saveSettings', [{ language: 'id', confirmInSandbox: true }]);
  return world;
}

describe('an Indonesian sheet', () => {
  it('Siapkan sheet ini writes Indonesian headers: the inputs, then the link and Status, the ids last', () => {
    const world = indonesian();
    const sheet = 'Sheet1';
    world.run('setUpSheet');
    expect(world.header(sheet)).toEqual([
      'Nama',
      'Email',
      'No HP',
      'Jumlah',
      'Keterangan',
      'Jatuh Tempo',
      'Catatan',
      'Link Pembayaran',
      'Status',
      'Keterangan Error',
      'Dibayar Pada',
      'ID Pembayaran',
      'ID Transaksi',
    ]);
    // Nothing added on a second set-up or on the first run: every column is found by its Indonesian header.
    world.runtime.spreadsheet.typeRows(sheet, [world.header(sheet), ['Ani', 'ani@example.com', '081234567890', '150000', 'SPP November', '2026-12-31', '']]);
    world.run('createPaymentLinks');
    expect(world.header(sheet)).toHaveLength(13);
    const [row] = world.rows(sheet);
    expect(String(row?.['Link Pembayaran'])).toMatch(/^https:\/\//);
    expect(String(row?.Status)).toMatch(/^Belum/);
    expect(row?.['Keterangan Error']).toBe('');
  });

  it('reads a school sheet without renaming a column: Nama Siswa, Email Wali, No HP Wali, SPP', () => {
    const world = indonesian([
      ['Nama Siswa', 'Kelas', 'Email Wali', 'No HP Wali', 'SPP', 'Total', 'Jatuh Tempo'],
      ['Ani Lestari', '7A', 'wali.ani@example.com', '081234567890', '350000', '700000', '2026-12-10'],
      ['Budi Santoso', '7B', 'wali.budi@example.com', '081298765432', '350000', '350000', '2026-12-10'],
    ]);
    const creates: Record<string, unknown>[] = [];
    world.onRequest((request) => {
      if (request.method === 'POST' && request.url.endsWith('/payments/create')) creates.push(JSON.parse(request.body ?? '{}') as Record<string, unknown>);
    });
    world.run('createPaymentLinks');
    const question = world.runtime.ui.alerts.find((a) => a.buttons === 'YES_NO');
    expect(question?.message).toContain('jumlah tagihan diambil dari kolom "SPP"; sheet ini juga punya kolom "Total"');
    expect(question?.message).toContain('2 link pembayaran');
    expect(creates.map((c) => [c.name, c.amount, c.email, c.mobile])).toEqual([
      ['Ani Lestari', 350000, 'wali.ani@example.com', '081234567890'],
      ['Budi Santoso', 350000, 'wali.budi@example.com', '081298765432'],
    ]);
  });

  it('reads a kos sheet: Nama Penyewa, No WA, Biaya Sewa; one amount column, so nothing to say about it', () => {
    const world = indonesian([
      ['Nama Penyewa', 'Kamar', 'No WA', 'Biaya Sewa', 'Jatuh Tempo'],
      ['Sari', '3', '081234567890', '1500000', '2026-12-05'],
    ]);
    world.run('createPaymentLinks');
    const question = world.runtime.ui.alerts.find((a) => a.buttons === 'YES_NO');
    expect(question?.message).not.toContain('diambil dari kolom');
    expect(world.createRequests()).toBe(1);
  });

  it('says the missing headers with an Indonesian example', () => {
    const world = indonesian([
      ['Kelas', 'Keterangan'],
      ['7A', 'SPP'],
    ]);
    world.run('createPaymentLinks');
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain('Contoh: Nama | Jumlah | Email | Jatuh Tempo');
    expect(world.createRequests()).toBe(0);
  });

  it('never says "nothing to send" beside errors: the rows to fix, in the sheet\'s own column name', () => {
    const world = indonesian([
      ['Nama', 'Jumlah', 'Email', 'Link Pembayaran', 'Status', 'Keterangan Error'],
      ['Ani', 'abc', 'ani@example.com', '', '', ''],
      ['Budi', '1000.5', 'budi@example.com', '', '', ''],
      ['Citra', '150000', 'citra@example.com', 'https://x.myr.lat/pl/c', 'Belum dibayar', ''],
    ]);
    world.run('createPaymentLinks');
    const said = world.runtime.ui.alerts.at(-1)?.message ?? '';
    expect(said).toBe(
      '2 baris perlu diperbaiki (lihat kolom Keterangan Error); tidak ada baris lain yang perlu dikirim. 1 baris sudah punya link atau perlu dicek.',
    );
    expect(said).not.toContain('Tidak ada yang perlu dikirim');
    expect(world.column('Keterangan Error')).toEqual([
      'Jumlah: "abc" bukan jumlah rupiah',
      'Jumlah: "1000.5" ada angka sen di belakang koma. Tulis jumlah rupiah bulat tanpa koma, misalnya 150000',
      '',
    ]);

    world.run('checkRows');
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain('2 bermasalah (lihat kolom Keterangan Error)');
  });

  it('addresses customers as the admin chooses: "Kak" for a shop by default, "Bapak/Ibu" for a school or kos', () => {
    const billed = (): string[][] => [
      ['Nama Siswa', 'Email Wali', 'SPP', 'Jatuh Tempo', 'Link Pembayaran', 'ID Pembayaran', 'Status'],
      ['Ani Lestari', 'wali.ani@example.com', '350000', '2026-12-10', 'https://x.myr.lat/pl/a', 'pay-a', 'Belum dibayar'],
    ];
    const shop = indonesian(billed());
    shop.run('sendPaymentLinksByEmail');
    expect(shop.runtime.mail[0]?.body).toMatch(/^Halo Kak Ani Lestari,/);

    const school = indonesian(billed());
    const saved = school.run('saveDeliverySettings', [{ register: 'formal' }]).value as {
      ok: boolean;
      settings: { defaults: { bill: { body: string } }; register: string };
    };
    expect(saved.ok).toBe(true);
    expect(saved.settings.register).toBe('formal');
    // The sidebar shows the built-in text of the chosen register.
    expect(saved.settings.defaults.bill.body).toMatch(/^Yth\. Bapak\/Ibu,/);
    school.run('sendPaymentLinksByEmail');
    const body = school.runtime.mail[0]?.body ?? '';
    expect(body).toMatch(/^Yth\. Bapak\/Ibu,\n\nBerikut kami sampaikan tagihan untuk Ani Lestari sebesar Rp/);
    expect(body).toContain('https://x.myr.lat/pl/a');
    expect(body).not.toContain('Kak');
  });
});

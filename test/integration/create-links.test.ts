/**
 * Mayar → Create payment links, end to end: the built bundle in the in-memory Apps Script
 * runtime against the Mayar simulator. Each test checks what a user would: cells, dialogs,
 * and the requests Mayar received.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORMULA_VALUE } from '../../tools/apps-script/gas-runtime';
import type { MenuRecord } from '../../tools/apps-script/ui';
import { OUTPUT, sampleRows, SHEET, World } from '../support/world';

const LINK = /^https:\/\/mayarsheets\.myr\.lat\/pl\/\w+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function small(rows: string[][] = []): string[][] {
  return [
    ['Name', 'Amount', 'Email', 'Mobile', 'Description', 'Expires At'],
    ['Budi Santoso', 'Rp 250.000', 'budi@example.com', '0812-3456-7890', 'Katering', '2026-12-31'],
    ['Siti Rahayu', '150000', '', "'+62 813 2222 3333", 'Kue', ''],
    ['Andi Wijaya', '1.250.000', 'andi@example.com', '', 'Tenda', '2026-12-20 17:00'],
    ...rows,
  ];
}

function paymentFor(world: World, row: Record<string, unknown>) {
  return world.sim.payment(String(row['Payment ID']));
}

/** A menu's items depth first, with the path shown (submenu → item). */
function menuItems(menu: MenuRecord | undefined, prefix = ''): { functionName: string; path: string }[] {
  return (menu?.items ?? []).flatMap((i) =>
    i.kind === 'item'
      ? [{ functionName: i.functionName, path: prefix + i.caption }]
      : i.kind === 'submenu'
        ? menuItems(i.menu, `${prefix}${i.menu.title} → `)
        : [],
  );
}

describe('creating payment links', () => {
  it('fills every valid row of the sample sheet and explains every bad one', () => {
    const world = new World({ rows: sampleRows() });
    world.run('createPaymentLinks');
    const { last } = world.driveToEnd();

    expect(world.header().slice(-5)).toEqual([...OUTPUT]);
    const rows = world.rows();
    const errors = Object.fromEntries(rows.filter((r) => r['Error'] !== '').map((r) => [String(r['Nama Pelanggan']), r['Error']]));
    expect(errors).toEqual({
      'Agus Salim': 'Jumlah: "abc" is not a rupiah amount',
      'Maya Sari': 'Jumlah: "1000.5" has cents; type the amount in whole rupiah, without a decimal part (e.g. 150000)',
      'Hendra Gunawan': 'Email: "hendra.gunawan@example" is not a valid email address',
      'Lina Kusuma': 'No HP: "12345" is not an Indonesian mobile number (use 08…, +62… or 62…)',
      'Fajar Nugroho': 'Jumlah: "-50000" is negative',
      'Wulan Permata': 'Jatuh Tempo: 2020-01-01 is in the past',
      '': 'Nama Pelanggan is required',
      'Sri Wahyuni': 'Jumlah: 400 is below the minimum of Rp 500',
    });
    const created = rows.filter((r) => r['Payment Link'] !== '');
    expect(created).toHaveLength(17);
    for (const row of created) {
      expect(row['Payment Link']).toMatch(LINK);
      expect(row['Payment ID']).toMatch(UUID);
      expect(row['Status']).toBe('Unpaid');
      expect(row['Error']).toBe('');
      const payment = paymentFor(world, row);
      expect(payment?.link).toBe(row['Payment Link']);
    }
    // The blank row stays blank; bad rows sent nothing.
    expect(world.createRequests()).toBe(17);
    expect([...world.createsPerContent().values()].every((n) => n === 1)).toBe(true);
    expect(last.message).toContain('Payment links: 17 created, 8 with an error, 0 to review, 0 skipped.');
  });

  it('finishes a small sheet in one click, with a summary and no sidebar', () => {
    const world = new World({ rows: small() });
    const click = world.run('createPaymentLinks');
    expect((click.value as { done: boolean }).done).toBe(true);
    expect(world.runtime.ui.sidebars).toHaveLength(0);
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain('3 created, 0 with an error');
    expect(world.runtime.ui.toasts.some((t) => t.message.includes('3 of 3 rows done'))).toBe(true);
    expect(world.column('Status')).toEqual(['Unpaid', 'Unpaid', 'Unpaid']);
  });

  it('sends what Mayar expects: whole rupiah, 08… mobiles, end-of-day expiry, a default expiry', () => {
    const world = new World({ rows: small() });
    const clickAt = world.runtime.clock.now();
    world.run('createPaymentLinks');
    const [budi, siti, andi] = world.rows().map((r) => paymentFor(world, r));
    expect(budi).toMatchObject({ name: 'Budi Santoso', amount: 250000, email: 'budi@example.com', mobile: '081234567890' });
    // 2026-12-31 without a time: the end of that day in Jakarta (UTC+7).
    expect(new Date(budi?.expiredAt ?? 0).toISOString()).toBe('2026-12-31T16:59:59.000Z');
    expect(new Date(andi?.expiredAt ?? 0).toISOString()).toBe('2026-12-20T10:00:00.000Z');
    expect(siti).toMatchObject({ amount: 150000, email: null, mobile: '081322223333' });
    // Blank expiry: seven days from the click, never Mayar's one-hour default.
    expect(Math.abs((siti?.expiredAt ?? 0) - (clickAt + 7 * 86_400_000))).toBeLessThan(60_000);
    // Without an email Mayar makes no transaction: the cell stays empty.
    expect(world.column('Transaction ID')[1]).toBe('');
    expect(world.column('Transaction ID')[0]).toMatch(UUID);
  });

  it('never sends a done row again, and retries a fixed error row', () => {
    const world = new World({ rows: small([['Dewi', 'abc', '', '', '', '']]) });
    world.run('createPaymentLinks');
    expect(world.createRequests()).toBe(3);
    expect(world.column('Error')[3]).toBe('Amount: "abc" is not a rupiah amount');

    world.runtime.spreadsheet.typeRows(SHEET, [['Dewi', '75000']], 5);
    world.runtime.advance(120_000);
    world.run('createPaymentLinks');
    expect(world.createRequests()).toBe(4);
    const dewi = world.rows()[3] ?? {};
    expect(dewi['Payment Link']).toMatch(LINK);
    expect(dewi['Error']).toBe('');

    world.run('createPaymentLinks');
    expect(world.createRequests()).toBe(4);
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain('There is nothing to send');
  });

  it('says which headers are missing and sends nothing', () => {
    const world = new World({
      rows: [
        ['Customer', 'Email'],
        ['Budi', 'budi@example.com'],
      ],
    });
    world.run('createPaymentLinks');
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain('this sheet needs a header row (row 1) with these columns: Amount'.replace('this', 'This'));
    expect(world.sim.requests).toHaveLength(0);
    expect(world.header()).toEqual(['Customer', 'Email']);
  });

  it('asks for an API key before anything else', () => {
    const world = new World({ rows: small() });
    world.run('saveSettings', [{ removeApiKey: true }]);
    world.run('createPaymentLinks');
    expect(world.runtime.ui.alerts.at(-1)?.message).toBe('Add your Mayar API key first: Mayar → Settings. Nothing was sent.');
    expect(world.sim.requests).toHaveLength(0);
  });

  it('stops on a rejected key without per-row errors; rows stay pending', () => {
    // The key is a production key; the settings say sandbox.
    const world = new World({ rows: small(), environment: 'production' });
    world.run('saveSettings', [{ environment: 'sandbox' }]);
    world.run('createPaymentLinks');
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain(
      'Mayar did not accept the API key for sandbox. Copy the key again from the Mayar dashboard and paste it in Mayar → Settings',
    );
    expect(world.column('Error')).toEqual(['', '', '']);
    expect(world.column('Payment Link')).toEqual(['', '', '']);
    const after = world.run('processNextBatch').value as { done: boolean };
    expect(after.done).toBe(true);
  });

  it("shows Mayar's validator messages from an HTTP 200 that says failed", () => {
    const world = new World({ rows: small() });
    world.sim.injectFault({
      type: 'validation-failed',
      match: (r) => (r.body ?? '').includes('Siti'),
      errors: [{ field: 'mobile', message: 'mobile must be a valid phone number' }],
    });
    world.run('createPaymentLinks');
    expect(world.column('Error')).toEqual(['', 'Mayar rejected it: mobile: mobile must be a valid phone number', '']);
    expect(world.column('Payment Link')[1]).toBe('');
    expect(world.column('Status')).toEqual(['Unpaid', '', 'Unpaid']);
  });

  it('keeps text from customers and from Mayar as text, never a formula', () => {
    const world = new World({
      rows: [
        ['Name', 'Amount', 'Payment Link', 'Payment ID', 'Transaction ID', 'Status', 'Error'],
        ['\'=IMPORTXML("http://evil.example","//a")', '50000'],
        ['Done Already', '60000', 'https://x.myr.lat/pl/1', 'id-1', '', 'Unpaid', "'=1+1"],
        ['Rina', '70000'],
      ],
    });
    world.run('createPaymentLinks');
    const rows = world.rows();
    expect(rows[0]?.['Payment Link']).toMatch(LINK);
    // Row 3 sits inside the written block; its text must survive the rewrite.
    expect(rows[1]?.['Error']).toBe('=1+1');
    for (const sheet of [SHEET, 'Mayar Log']) {
      const formulas = world.runtime.spreadsheet
        .formulas(sheet)
        .flat()
        .filter((f) => f !== '');
      expect(formulas).toEqual([]);
      expect(world.values(sheet).flat()).not.toContain(FORMULA_VALUE);
    }
    expect(world.column('Customer', 'Mayar Log')).toContain('=IMPORTXML("http://evil.example","//a")');
  });

  it('never shows the API key: not in cells, document properties, dialogs or logs', () => {
    const world = new World({ rows: small([['Bad', 'x']]) });
    world.run('createPaymentLinks');
    world.run('getSettings');
    world.run('showSettings');
    const settings = world.run('getSettings').value as { hasApiKey: boolean; apiKeyHint: string };
    expect(settings.hasApiKey).toBe(true);
    expect(settings.apiKeyHint).toBe(`…${world.apiKey.slice(-4)}`);
    const everything = JSON.stringify({
      sheets: [world.values(), world.values('Mayar Log')],
      document: world.runtime.properties.document.all(),
      ui: world.runtime.ui,
      logs: world.runtime.executions.map((e) => e.logs),
      values: world.runtime.executions.map((e) => e.value),
    });
    expect(everything).not.toContain(world.apiKey);
    // Kept for this user only.
    expect(Object.values(world.runtime.properties.user(world.user).all())).toContain(world.apiKey);
  });

  it('sends only the selected rows with "for selected rows"', () => {
    const world = new World({ rows: small() });
    world.runtime.spreadsheet.setSelection(SHEET, 'B3:C4');
    world.run('createPaymentLinksForSelection');
    expect(world.column('Payment Link').map((l) => l !== '')).toEqual([false, true, true]);
    expect(world.createRequests()).toBe(2);
  });

  it('speaks Indonesian to an Indonesian user', () => {
    const world = new World({ rows: small([['Dewi', 'abc']]) });
    world.runtime.run('createPaymentLinks', [], { userLocale: 'id' });
    // The output columns it adds are named in Indonesian.
    expect(world.header().slice(-5)).toEqual(['Link Pembayaran', 'ID Pembayaran', 'ID Transaksi', 'Status', 'Keterangan Error']);
    expect(world.column('Status').slice(0, 3)).toEqual(['Belum dibayar', 'Belum dibayar', 'Belum dibayar']);
    expect(world.column('Keterangan Error')[3]).toBe('Amount: "abc" bukan jumlah rupiah');
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain('Link pembayaran: 3 dibuat, 1 error');
  });

  it('writes the Mayar Log in Indonesian for an Indonesian user, a refused row included', () => {
    // Indonesian from the start: the log is made (in the user's language) when the key is saved.
    const world = new World({ rows: small(), runtime: { userLocale: 'id' } });
    world.sim.injectFault({ type: 'validation-failed', match: (request) => request.body?.includes('"Budi Santoso"') === true });
    world.runtime.run('createPaymentLinks', [], { userLocale: 'id' });
    const [header, ...entries] = world.values('Mayar Log');
    expect(header).toEqual(['Waktu', 'Pengguna', 'Sheet', 'Baris', 'Pelanggan', 'Jumlah', 'Tindakan', 'Hasil', 'ID Pembayaran', 'Link Pembayaran', 'Rincian']);
    expect(entries.map((row) => [row[4], row[6], row[7]])).toContainEqual(['Budi Santoso', 'buat', 'Gagal']);
  });

  it('follows the language setting over the Google locale, for this user only', () => {
    const world = new World({ rows: small() });
    world.run('saveSettings', [{ language: 'id' }]);
    world.runtime.open({ authMode: 'FULL' });
    const items = menuItems(world.runtime.ui.menus.at(-1)).map((i) => i.path);
    expect(items[0]).toBe('Buat link pembayaran');
    expect((world.run('getSettings').value as { locale: string }).locale).toBe('id');
    // A teammate with an English locale still gets English.
    const teammate = world.runtime.run('getProgress', [], { user: 'staff@example.com' }).value as { locale: string };
    expect(teammate.locale).toBe('en');
  });

  it('validates settings with the same schema as the sidebar and stores nothing on error', () => {
    const world = new World();
    const result = world.run('saveSettings', [{ apiKey: 'not a kéy', defaultExpiryDays: 0 }]).value as { ok: boolean; errors: Record<string, string> };
    expect(result.ok).toBe(false);
    expect(Object.keys(result.errors).sort()).toEqual(['apiKey', 'defaultExpiryDays']);
    const settings = world.run('getSettings').value as { defaultExpiryDays: number; apiKeyHint: string };
    expect(settings.defaultExpiryDays).toBe(7);
    expect(settings.apiKeyHint).toBe(`…${world.apiKey.slice(-4)}`);
  });

  it('builds the Mayar menu: its own in a bound script, under Extensions in an add-on, also before the add-on is authorised', () => {
    const ITEMS = [
      'createPaymentLinks',
      'createPaymentLinksForSelection',
      'sendPaymentLinksByEmail',
      'showWhatsApp',
      'refreshPaymentStatus',
      'closeSelectedPaymentLinks',
      'renewExpiredLinks',
      'updateSummary',
      'billNextPeriod',
      'showProgress',
      'setUpSheet',
      'checkRows',
      'showDiagnostics',
      'showSettings',
    ];
    const itemsOf = (world: World) => menuItems(world.runtime.ui.menus.at(-1)).map((i) => i.functionName);
    const bound = new World();
    expect(bound.runtime.open({ authMode: 'FULL' }).error).toBeUndefined();
    expect(bound.runtime.ui.menus.at(-1)?.title).toBe('Mayar');
    expect(itemsOf(bound)).toEqual(ITEMS);
    // Only an add-on's onOpen runs in AuthMode.NONE: its items go under Extensions.
    for (const world of [new World({ runtime: { installation: 'addon' } }), bound]) {
      for (const authMode of ['NONE', 'FULL'] as const) {
        if (world === bound && authMode === 'FULL') continue;
        expect(world.runtime.open({ authMode }).error).toBeUndefined();
        expect(world.runtime.ui.menus.at(-1)?.title).not.toBe('Mayar');
        expect(itemsOf(world)).toEqual(ITEMS);
      }
    }
  });

  it("is one short menu in the user's language: at most 8 entries, Create payment links first, the rest in submenus", () => {
    const world = new World({ rows: small() });
    world.run('saveSettings', [{ language: 'id' }]);
    world.runtime.open({ authMode: 'FULL' });
    const menu = world.runtime.ui.menus.at(-1);
    const top = (menu?.items ?? []).filter((i) => i.kind !== 'separator');
    expect(top.length).toBeLessThanOrEqual(8);
    expect(top.map((i) => (i.kind === 'item' ? i.caption : i.kind === 'submenu' ? `${i.menu.title} ▸` : ''))).toEqual([
      'Buat link pembayaran',
      'Buat link untuk baris terpilih',
      'Kirim tagihan ▸',
      'Status ▸',
      'Tagih periode berikutnya',
      'Lihat progres',
      'Lainnya ▸',
      'Pengaturan',
    ]);
    const captions = Object.fromEntries(menuItems(menu).map((i) => [i.functionName, i.path]));
    expect(captions).toMatchObject({
      sendPaymentLinksByEmail: 'Kirim tagihan → Lewat email',
      showWhatsApp: 'Kirim tagihan → Lewat WhatsApp',
      refreshPaymentStatus: 'Status → Perbarui status pembayaran',
      closeSelectedPaymentLinks: 'Status → Tutup link terpilih',
      renewExpiredLinks: 'Status → Perbarui link kedaluwarsa',
      setUpSheet: 'Lainnya → Siapkan sheet ini',
      checkRows: 'Lainnya → Periksa baris',
      showDiagnostics: 'Lainnya → Diagnostik',
    });
    // Every item is an entry point the bundle exposes, and clicking it runs.
    for (const item of menuItems(menu)) {
      const clicked = new World({ rows: small() });
      const run = clicked.runtime.run(item.functionName, [], { userLocale: 'id' });
      expect(run.error, item.functionName).toBeUndefined();
    }
  });

  it('is one Apps Script file whose entry points are top-level functions', () => {
    const code = readFileSync(new URL('../../dist/Code.js', import.meta.url), 'utf8');
    const names = [
      'onOpen',
      'onInstall',
      'createPaymentLinks',
      'createPaymentLinksForSelection',
      'processNextBatch',
      'saveSettings',
      'getSettings',
      'showSettings',
      'refreshPaymentStatus',
      'doPost',
    ];
    for (const name of names) expect(code).toMatch(new RegExp(`^function ${name}\\(`, 'm'));
    expect(code).not.toMatch(/^\s*export\s/m);
    const manifest = JSON.parse(readFileSync(new URL('../../dist/appsscript.json', import.meta.url), 'utf8'));
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest.timeZone).toBe('Asia/Jakarta');
    // Both sandbox hosts Mayar's docs name.
    expect(manifest.urlFetchWhitelist).toEqual(['https://api.mayar.id/', 'https://api.mayar.club/', 'https://api.mayar.io/']);
  });
});

describe('checking and setting up a sheet', () => {
  it('Check rows marks what would fail and sends nothing', () => {
    const world = new World({ rows: small([['Dewi', 'abc']]) });
    world.run('checkRows');
    expect(world.sim.requests).toHaveLength(0);
    expect(world.column('Error')).toEqual(['', '', '', 'Amount: "abc" is not a rupiah amount']);
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain('3 rows are ready to send, 1 have a problem');
  });

  it('Set up this sheet adds headers, freezes row 1 and formats the columns', () => {
    const world = new World();
    world.runtime.spreadsheet.typeRows(SHEET, [['']]);
    world.run('setUpSheet');
    // The inputs, then what a person reads (the link, Status, Error, Paid At), the ids last.
    expect(world.header()).toEqual([
      'Name',
      'Email',
      'Mobile',
      'Amount',
      'Description',
      'Expires At',
      'Notes',
      'Payment Link',
      'Status',
      'Error',
      'Paid At',
      'Payment ID',
      'Transaction ID',
    ]);
    expect([...OUTPUT].every((header) => world.header().includes(header))).toBe(true);
    const sheet = world.runtime.spreadsheet.sheet(SHEET);
    expect(sheet?.frozenRows).toBe(1);
    expect(sheet?.format(2, 4)).toBe('"Rp "#,##0');
    expect(sheet?.format(2, 3)).toBe('@');
  });
});

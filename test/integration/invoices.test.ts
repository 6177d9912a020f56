/**
 * Bills with line items: a sheet with "Rincian: <item>" columns bills each row as a Mayar
 * invoice, on the built bundle against the simulator. What a bendahara checks: the invoice Mayar
 * got (items, total, contact), the link in the row, errors naming the column, nothing twice.
 */
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../tools/mayar/mayar-simulator';
import { World } from '../support/world';

const INVOICE_LINK = /^https:\/\/mayarsheets\.myr\.lat\/invoices\/\w+$/;

function spp(extra: string[][] = []): string[][] {
  return [
    ['Nama', 'Email', 'No HP', 'Rincian: SPP', 'Rincian: Buku', 'Item: Seragam', 'Jatuh Tempo'],
    ['Budi Santoso', 'budi@example.com', '0812-3456-7890', 'Rp 350.000', '75000', '', '2026-12-31'],
    ['Siti Rahayu', 'siti@example.com', '081322223333', '350000', '0', 'Rp 200.000', '2026-12-31'],
    ...extra,
  ];
}

function invoiceCreates(world: World): HttpRequest[] {
  return world.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/invoices/create')) as unknown as HttpRequest[];
}

describe('bills with line items (Mayar invoices)', () => {
  it('creates one invoice per row with its items, and writes link, id and transaction id', () => {
    const world = new World({ rows: spp() });
    world.run('createPaymentLinks');
    world.driveToEnd();
    const invoices = world.sim.invoiceBook.invoices();
    expect(invoices.map((i) => ({ name: i.name, email: i.email, mobile: i.mobile, items: i.items, amount: i.amount }))).toEqual([
      {
        name: 'Budi Santoso',
        email: 'budi@example.com',
        mobile: '081234567890',
        items: [
          { description: 'SPP', quantity: 1, rate: 350_000 },
          { description: 'Buku', quantity: 1, rate: 75_000 },
        ],
        amount: 425_000,
      },
      {
        name: 'Siti Rahayu',
        email: 'siti@example.com',
        mobile: '081322223333',
        items: [
          { description: 'SPP', quantity: 1, rate: 350_000 },
          { description: 'Seragam', quantity: 1, rate: 200_000 },
        ],
        amount: 550_000,
      },
    ]);
    // The expiry as for payment links: the end of the due day in the sheet's zone; extraData for reconciliation.
    expect(new Date(invoices[0]?.expiredAt ?? 0).toISOString()).toBe('2026-12-31T16:59:59.000Z');
    expect(invoices[0]?.extraData.sheetRowKey).toMatch(/^\w+\.0\.1$/);
    const rows = world.rows();
    rows.forEach((row, i) => {
      expect(row['Payment Link']).toMatch(INVOICE_LINK);
      expect(row['Payment ID']).toBe(invoices[i]?.id);
      expect(row['Transaction ID']).toBe(invoices[i]?.transactionId);
      expect(row['Status']).toBe('Unpaid');
      expect(row['Error']).toBe('');
    });
    // No payment request was made for an itemised sheet.
    expect(world.createRequests()).toBe(0);
  });

  it('asks first with the totals per item (production)', () => {
    const world = new World({ rows: spp(), environment: 'production' });
    world.runtime.ui.answers.push('YES');
    world.run('createPaymentLinks');
    const question = world.runtime.ui.alerts.find((a) => a.title === 'Create invoices?');
    expect(question?.title).toBe('Create invoices?');
    expect(question?.message).toContain('You are about to create 2 invoices for a total of Rp 975.000.');
    expect(question?.message).toContain('Items: SPP Rp 700.000 · Buku Rp 75.000 · Seragam Rp 200.000.');
  });

  it('a row error names the column: missing email or mobile, an Amount that is not the items total, no items', () => {
    const world = new World({
      rows: [
        ['Nama', 'Email', 'No HP', 'Jumlah', 'Rincian: Sewa', 'Rincian: Listrik'],
        ['Andi', '', '081234567890', '', '1.500.000', 'Rp 250.000'],
        ['Rina', 'rina@example.com', '', '', '1.500.000', ''],
        ['Dewi', 'dewi@example.com', '081298765432', '1.700.000', '1.500.000', 'Rp 250.000'],
        ['Joko', 'joko@example.com', '081277778888', '', '', '0'],
        ['Tono', 'tono@example.com', '081255556666', '1.750.000', '1.500.000', 'Rp 250.000'],
      ],
    });
    world.run('createPaymentLinks');
    world.driveToEnd();
    expect(world.column('Error')).toEqual([
      'Email is required',
      'No HP is required',
      'Jumlah Rp1.700.000 is not the total of the items, Rp1.750.000',
      'No item to bill: fill in at least one of Rincian: Sewa, Rincian: Listrik',
      '',
    ]);
    expect(world.sim.invoiceBook.invoices().map((i) => i.name)).toEqual(['Tono']);
  });

  it('a lost reply is found in the invoice list by its extraData: never created twice', () => {
    const world = new World({ rows: spp() });
    world.sim.injectFault({ type: 'lost-reply', match: (r) => r.url.endsWith('/invoices/create') && (r.body ?? '').includes('Siti') });
    world.run('createPaymentLinks');
    world.driveToEnd();
    const invoices = world.sim.invoiceBook.invoices();
    expect(invoices).toHaveLength(2);
    const siti = world.rows()[1];
    expect(siti?.['Payment ID']).toBe(invoices[1]?.id);
    expect(siti?.['Payment Link']).toMatch(INVOICE_LINK);
    expect(invoiceCreates(world)).toHaveLength(2);
    expect(world.sim.requests.some((r) => r.method === 'GET' && r.path.endsWith('/invoices'))).toBe(true);
  });

  it('Refresh reads the invoices: Paid (with Paid At), Closed, Expired past the expiry sent, Unpaid', () => {
    const world = new World({
      rows: spp([
        ['Andi Wijaya', 'andi@example.com', '081211112222', 'Rp 350.000', '', '', '2026-11-26'],
        ['Rina Putri', 'rina@example.com', '081233334444', 'Rp 350.000', 'Rp 75.000', '', '2026-12-31'],
      ]),
    });
    world.run('createPaymentLinks');
    world.driveToEnd();
    const [budi, siti, , rina] = world.sim.invoiceBook.invoices();
    world.runtime.advance(2 * 24 * 3600_000);
    world.sim.invoiceBook.pay(budi?.id ?? '');
    const paidAt = world.runtime.clock.now();
    world.sim.invoiceBook.close(siti?.id ?? '');
    world.run('refreshPaymentStatus');
    world.driveToEnd();
    expect(world.column('Status')).toEqual(['Paid', 'Closed', 'Expired', 'Unpaid']);
    const paid = world.rows()[0]?.['Paid At'];
    expect(paid instanceof Date && Math.abs(paid.getTime() - paidAt) < 5 * 60_000).toBe(true);
    // Read from the invoice list, never as payment requests.
    expect(world.sim.requests.some((r) => r.path.includes('/payments'))).toBe(false);
    expect(world.sim.invoiceBook.invoice(rina?.id ?? '')?.status).toBe('unpaid');
  });

  it('a payment.received webhook for an invoice is confirmed with the invoice and marks its row Paid', () => {
    const world = new World({ rows: spp() });
    world.run('createPaymentLinks');
    world.driveToEnd();
    const settings = world.run('getSettings').value as { webhookUrl: string };
    const token = new URL(settings.webhookUrl).searchParams.get('token') ?? '';
    world.sim.setWebhookUrl('sandbox', settings.webhookUrl);
    const [budi] = world.sim.invoiceBook.invoices();
    world.sim.invoiceBook.pay(budi?.id ?? '');
    const body = world.sim.webhookDeliveries().at(-1)?.payload ?? '';
    const execution = world.runtime.post({ token }, body);
    expect(execution.error).toBeUndefined();
    expect(world.column('Status')).toEqual(['Paid', 'Unpaid']);
    expect(world.sim.requests.at(-1)?.path).toBe(`/hl/v2/invoices/${budi?.id}`);
  });

  it('Refresh catches a webhook that never arrived, from the history', () => {
    const world = new World({ rows: spp() });
    world.run('createPaymentLinks');
    world.driveToEnd();
    world.sim.setWebhookUrl('sandbox', 'https://script.google.com/macros/s/AKfy-test/exec');
    const [budi] = world.sim.invoiceBook.invoices();
    world.sim.invoiceBook.pay(budi?.id ?? '');
    world.runtime.advance(60_000);
    world.run('refreshPaymentStatus');
    world.driveToEnd();
    expect(world.column('Status')).toEqual(['Paid', 'Unpaid']);
  });

  it('Check rows on a sheet with items marks what would fail and sends nothing', () => {
    const world = new World({ rows: spp([['Rina', '', '081233334444', 'Rp 350.000', '', '', '2026-12-31']]) });
    world.run('checkRows');
    expect(world.sim.requests).toHaveLength(0);
    expect(world.column('Error')).toEqual(['', '', 'Email is required']);
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain('2 rows are ready to send, 1 have a problem');
  });
});

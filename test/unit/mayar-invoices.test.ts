/** Mayar's invoices (bills with line items): the requests sent and how each reply is read. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HttpReply } from '../../src/core/http';
import type { InvoiceRequest } from '../../src/core/mayar-invoices';
import { API_BASE } from '../../src/core/settings';

// Each test imports the module anew: the reply schemas are then built for it, as each execution builds them.
beforeEach(() => {
  vi.resetModules();
});
const load = () => import('../../src/core/mayar-invoices');

const T0 = 1_750_000_000_000;

function reply(data: unknown, status = 200, extra: Record<string, unknown> = {}): HttpReply {
  return { status, headers: {}, body: JSON.stringify({ statusCode: status, messages: 'success', data, ...extra }) };
}

describe('invoice requests', () => {
  it('create posts the items as JSON with the key as a bearer token', async () => {
    const { invoiceCreateRequest } = await load();
    const body: InvoiceRequest = {
      name: 'Budi',
      email: 'budi@example.com',
      mobile: '081234567890',
      items: [{ description: 'SPP', quantity: 1, rate: 350_000 }],
      expiredAt: '2026-12-02T03:00:00.000Z',
    };
    const spec = invoiceCreateRequest('sandbox', 'key-1', body);
    expect(spec).toMatchObject({ url: `${API_BASE.sandbox}/invoices/create`, method: 'post' });
    expect(spec.headers['Authorization']).toBe('Bearer key-1');
    expect(JSON.parse(spec.payload ?? '')).toEqual(body);
  });

  it('detail escapes the id; the list asks 50 a page and passes the cursor', async () => {
    const { invoiceDetailRequest, invoiceListRequest } = await load();
    expect(invoiceDetailRequest('production', 'k', 'a/b c')).toMatchObject({ url: `${API_BASE.production}/invoices/a%2Fb%20c`, method: 'get' });
    expect(invoiceListRequest('production', 'k').url).toBe(`${API_BASE.production}/invoices?limit=50`);
    expect(invoiceListRequest('production', 'k', 'inv-9').url).toBe(`${API_BASE.production}/invoices?limit=50&startingAfter=inv-9`);
  });
});

describe('invoice replies', () => {
  it('reads a created invoice with every documented field, and its expiry as ms from text too', async () => {
    const { classifyInvoiceCreate } = await load();
    const data = { id: 'inv-1', transactionId: 't-1', link: 'https://budi.myr.id/invoices/abc', expiredAt: T0 };
    expect(classifyInvoiceCreate(reply(data))).toMatchObject({ ok: true, data });
    expect(classifyInvoiceCreate(reply({ ...data, expiredAt: String(T0) }))).toMatchObject({ ok: true, data });
    expect(classifyInvoiceCreate(reply({ ...data, expiredAt: '2026-12-02T03:00:00.000Z' }))).toMatchObject({
      ok: true,
      data: { expiredAt: Date.UTC(2026, 11, 2, 3) },
    });
  });

  it('does not take a created invoice without an id or with a link that is not a URL', async () => {
    const { classifyInvoiceCreate } = await load();
    for (const data of [
      { id: '', transactionId: 't', link: 'https://x.myr.id/invoices/a' },
      { id: 'inv-1', transactionId: 't', link: 'javascript:alert(1)' },
      { id: 'inv-1', transactionId: 't', link: 'https://x.myr.id/invoices/a', expiredAt: 'soon' },
    ]) {
      expect(classifyInvoiceCreate(reply(data))).toMatchObject({ ok: false, failure: { kind: 'unavailable' } });
    }
  });

  it('reads an invoice detail', async () => {
    const { classifyInvoiceDetail } = await load();
    const data = { id: 'inv-1', amount: 425_000, status: 'paid', expiredAt: T0, paymentUrl: 'https://x.myr.id/invoices/a', transactionId: 't-1' };
    expect(classifyInvoiceDetail(reply(data))).toMatchObject({ ok: true, data });
    expect(classifyInvoiceDetail(reply({ id: 'inv-1' }))).toMatchObject({ ok: true, data: { id: 'inv-1' } });
    expect(classifyInvoiceDetail(reply({ amount: 1 }))).toMatchObject({ ok: false });
  });

  it('reads a list page: the items, and a next page only when Mayar says there is more and gives a cursor', async () => {
    const { classifyInvoiceList } = await load();
    const item = {
      id: 'inv-1',
      amount: 425_000,
      createdAt: T0,
      status: 'active',
      link: 'abc',
      name: 'Budi',
      description: 'SPP',
      transactions: [{ id: 't-1', status: 'unpaid', extraData: { sheetRowKey: 'job1.1.0' } }],
    };
    expect(classifyInvoiceList(reply([item], 200, { hasMore: true, nextStartingAfter: 'inv-1' }))).toMatchObject({
      ok: true,
      data: { items: [item], hasMore: true, next: 'inv-1' },
    });
    expect(classifyInvoiceList(reply([item], 200, { hasMore: true, nextStartingAfter: 42 }))).toMatchObject({ data: { hasMore: true, next: '42' } });
    for (const extra of [{ hasMore: false, nextStartingAfter: 'inv-1' }, { hasMore: true, nextStartingAfter: null }, { hasMore: true }, {}]) {
      expect(classifyInvoiceList(reply([item], 200, extra))).toMatchObject({ ok: true, data: { items: [item], hasMore: false, next: null } });
    }
  });

  it('refuses a list whose items or paging are not what Mayar documents, and passes Mayar’s own failures on', async () => {
    const { classifyInvoiceList } = await load();
    expect(classifyInvoiceList(reply([{ id: 'inv-1' }]))).toMatchObject({ ok: false, failure: { kind: 'unavailable' } });
    expect(classifyInvoiceList(reply([], 200, { hasMore: 'yes' }))).toEqual({
      ok: false,
      failure: { kind: 'unavailable', status: 200, details: ['unexpected list shape'] },
    });
    expect(classifyInvoiceList({ status: 401, headers: {}, body: '{}' })).toEqual({ ok: false, failure: { kind: 'unauthorized' } });
  });

  it('says paid only for "paid", closed for "closed", and unpaid for the rest (the list says active)', async () => {
    const { invoiceStatus } = await load();
    expect(['paid', 'closed', 'active', 'unpaid', 'PAID', null, undefined].map(invoiceStatus)).toEqual([
      'paid',
      'closed',
      'unpaid',
      'unpaid',
      'unpaid',
      'unpaid',
      'unpaid',
    ]);
  });
});

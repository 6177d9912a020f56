/** The simulator's invoices, as Mayar documents them: required fields, the duplicate rule, the cursor list, the detail. */
import { describe, expect, it } from 'vitest';
import { MayarSimulator } from '../../tools/mayar/mayar-simulator';

const KEY = MayarSimulator.makeKey('invoices');
const BODY = {
  name: 'Budi',
  email: 'budi@example.com',
  mobile: '081234567890',
  items: [
    { description: 'Sewa', quantity: 1, rate: 1_500_000 },
    { description: 'Listrik', quantity: 1, rate: 250_000 },
  ],
};

function world() {
  let clock = Date.parse('2026-06-01T00:00:00Z');
  const sim = new MayarSimulator({ now: () => clock, ratePerMinute: 1_000, validationStyle: '400' });
  sim.addKey(KEY, { environment: 'sandbox' });
  const call = (method: string, path: string, body?: unknown) => {
    const outcome = sim.handle({
      method,
      url: `https://api.mayar.io/hl/v2${path}`,
      headers: { Authorization: `Bearer ${KEY}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (outcome.kind !== 'response') throw new Error(outcome.message);
    return { status: outcome.status, body: JSON.parse(outcome.body) as { messages: string; data: never; hasMore?: boolean; nextStartingAfter?: string } };
  };
  return { sim, call, advance: (ms: number) => (clock += ms) };
}

describe('simulated invoices', () => {
  it('require name, email, mobile and at least one item', () => {
    const { call, sim } = world();
    const reply = call('POST', '/invoices/create', { name: 'Budi', items: [] });
    expect(reply.status).toBe(400);
    expect((reply.body.data as { field: string }[]).map((e) => e.field)).toEqual(['email', 'mobile', 'items']);
    expect(call('POST', '/invoices/create', { ...BODY, extraData: { row: 2 } }).body.messages).toBe('extraData Validation Error');
    expect(sim.invoiceBook.invoices()).toHaveLength(0);
  });

  it('total the items, refuse the same customer and total within a minute, and list newest first with a cursor', () => {
    const { call, sim, advance } = world();
    const first = call('POST', '/invoices/create', BODY).body.data as { id: string; link: string };
    expect(first.link).toMatch(/^https:\/\/mayarsheets\.myr\.lat\/invoices\/\w+$/);
    expect(sim.invoiceBook.invoice(first.id)?.amount).toBe(1_750_000);
    expect(call('POST', '/invoices/create', { ...BODY, name: 'Budi S' }).status).toBe(429);
    advance(61_000);
    for (const name of ['Rina', 'Dewi']) {
      call('POST', '/invoices/create', { ...BODY, name, email: `${name}@example.com`, mobile: '081200000000' });
      advance(61_000);
    }
    const page = call('GET', '/invoices?limit=2');
    expect((page.body.data as { name: string }[]).map((i) => i.name)).toEqual(['Dewi', 'Rina']);
    expect(page.body.hasMore).toBe(true);
    const next = call('GET', `/invoices?limit=2&startingAfter=${page.body.nextStartingAfter}`);
    expect((next.body.data as { name: string; status: string }[]).map((i) => [i.name, i.status])).toEqual([['Budi', 'active']]);
    sim.invoiceBook.pay(first.id);
    expect((call('GET', `/invoices/${first.id}`).body.data as { status: string }).status).toBe('paid');
    expect(call('GET', '/invoices/00000000-0000-4000-8000-000000000000').status).toBe(404);
  });
});

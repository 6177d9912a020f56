/**
 * In Chromium: the Send by WhatsApp sidebar walks its queue (the customer's name, number and
 * amount, the message as text, WhatsApp in a new tab, "Sent — next"), says why an empty queue is
 * empty, and offers Try again after a failed call; the settings sidebar previews a template live
 * and flags an unknown placeholder. google.script.run is a stub answered here in Node.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WhatsAppQueue } from '../../src/app/delivery/whatsapp';
import { deliveryView, settingsView, whatsAppItem, XSS } from './fixtures';
import { assertBrowserPresent, type Handlers, openSidebar, serveSidebars, type Sidebar, skipBrowserTests } from './harness';

const queueOf = (items: WhatsAppQueue['items'], extra: Partial<WhatsAppQueue> = {}): WhatsAppQueue => ({
  items,
  sheetName: 'Invoices',
  locale: 'en',
  message: '',
  ...extra,
});

describe.skipIf(skipBrowserTests)('delivery sidebars', { timeout: 30_000 }, () => {
  let served: Awaited<ReturnType<typeof serveSidebars>>;
  let sidebar: Sidebar | undefined;

  beforeAll(async () => {
    assertBrowserPresent();
    served = await serveSidebars();
  });
  afterEach(async () => {
    if (sidebar) {
      expect(sidebar.pageErrors).toEqual([]);
      expect(sidebar.dialogs).toEqual([]);
    }
    await sidebar?.close();
    sidebar = undefined;
  });
  afterAll(async () => {
    await served?.close();
  });

  async function open(page: 'WhatsApp' | 'Settings', handlers: Handlers): Promise<Sidebar> {
    sidebar = await openSidebar(served.url(page), { handlers });
    return sidebar;
  }
  const text = (s: Sidebar, selector: string) => s.page.locator(selector).textContent();
  const visible = (s: Sidebar, selector: string) => s.page.locator(selector).isVisible();

  it('Send by WhatsApp: shows each customer (name, number, amount) and message as text, opens wa.me in a new tab, and moves on once marked sent', async () => {
    let queue = [whatsAppItem('pay-1', XSS), whatsAppItem('pay-2', 'Sari', { sheetRow: 3, mobile: '+62 812 3456 7891', amount: 'Rp250.000' })];
    const s = await open('WhatsApp', {
      getWhatsAppQueue: () => queueOf(queue),
      markWhatsAppSent: (id) => {
        queue = queue.filter((i) => i.paymentId !== id);
        return queueOf(queue, queue.length ? {} : { reason: 'allSent', message: 'Every payment link on this sheet has been sent by WhatsApp.' });
      },
    });
    await expect.poll(() => text(s, '#customer')).toBe(XSS);
    // The name is text: no element was made from it.
    expect(await s.page.locator('#card img').count()).toBe(0);
    expect(await text(s, '#mobile')).toBe('0812-3456-7890');
    expect(await text(s, '#amount')).toBe('Rp1.500.000');
    expect(await text(s, '#row')).toBe('Row 2');
    expect(await text(s, '#meta')).toBe('Sheet: Invoices');
    expect(await text(s, '#message')).toContain('https://pay.example/pay-1');
    expect(await text(s, '#position')).toBe('1 of 2');
    const openLink = s.page.locator('#open');
    expect(await openLink.getAttribute('target')).toBe('_blank');
    expect(await openLink.getAttribute('href')).toMatch(/^https:\/\/wa\.me\/6281234567890\?text=/);

    await s.page.click('#sent');
    await expect.poll(() => text(s, '#customer')).toBe('Sari');
    expect(await text(s, '#mobile')).toBe('+62 812 3456 7891');
    expect(await text(s, '#amount')).toBe('Rp250.000');
    expect(s.callsTo('markWhatsAppSent').map((args) => args.slice(0, 2))).toEqual([['pay-1', 'bill']]);
    expect(await text(s, '#position')).toBe('2 of 2');
    await s.page.click('#sent');
    await expect.poll(() => text(s, '#empty-title')).toBe('All sent');
    expect(await text(s, '#empty-text')).toBe('Every payment link on this sheet has been sent by WhatsApp.');
    expect(await visible(s, '#card')).toBe(false);
    expect(await visible(s, '#position')).toBe(false);
  });

  it('an empty queue says why, and Check again asks the server again', async () => {
    const answers: WhatsAppQueue[] = [
      queueOf([], { reason: 'noMobileColumn', message: 'This sheet has no mobile number column.' }),
      queueOf([], { reason: 'noLinks', message: 'No payment link to send yet. Create them first: Mayar → Create payment links.' }),
      queueOf([whatsAppItem('pay-1', 'Budi')]),
    ];
    const s = await open('WhatsApp', { getWhatsAppQueue: () => answers.shift() ?? queueOf([]) });
    await expect.poll(() => text(s, '#empty-title')).toBe('No mobile number column');
    expect(await text(s, '#empty-text')).toBe('This sheet has no mobile number column.');
    expect(await visible(s, '#card')).toBe(false);
    await s.page.click('#reload');
    await expect.poll(() => text(s, '#empty-title')).toBe('No payment links yet');
    expect(await text(s, '#empty-text')).toContain('Mayar → Create payment links');
    await s.page.click('#reload');
    await expect.poll(() => text(s, '#customer')).toBe('Budi');
    expect(await visible(s, '#empty')).toBe(false);
    // Skipping the last customer: nothing left here, but not "all sent".
    await s.page.click('#skip');
    expect(await text(s, '#empty-title')).toBe('Nothing to send here');
  });

  it('a failed call shows why, with Try again (loading the queue, and marking a customer sent)', async () => {
    let loads = 0;
    let marks = 0;
    const s = await open('WhatsApp', {
      getWhatsAppQueue: () => {
        loads += 1;
        if (loads === 1) throw new Error('Exceeded maximum execution time');
        return queueOf([whatsAppItem('pay-1', 'Budi'), whatsAppItem('pay-2', 'Sari')]);
      },
      markWhatsAppSent: () => {
        marks += 1;
        if (marks === 1) throw new Error('Service Spreadsheets timed out');
        return queueOf([whatsAppItem('pay-2', 'Sari')]);
      },
    });
    await expect.poll(() => text(s, '#error-text')).toBe('The list could not be loaded: Exceeded maximum execution time');
    expect(await visible(s, '#retry')).toBe(true);
    expect(await visible(s, '#card')).toBe(false);
    await s.page.click('#retry');
    await expect.poll(() => text(s, '#customer')).toBe('Budi');
    expect(await visible(s, '#error')).toBe(false);

    await s.page.click('#sent');
    await expect.poll(() => text(s, '#error-text')).toBe('Not marked as sent: Service Spreadsheets timed out');
    // Still on Budi: nothing was marked.
    expect(await text(s, '#customer')).toBe('Budi');
    await s.page.click('#retry');
    await expect.poll(() => text(s, '#customer')).toBe('Sari');
    expect(s.callsTo('markWhatsAppSent').map((args) => args[0])).toEqual(['pay-1', 'pay-1']);
    expect(await visible(s, '#error')).toBe(false);
  });

  it('speaks Indonesian when the queue says so', async () => {
    const s = await open('WhatsApp', {
      getWhatsAppQueue: () => queueOf([], { locale: 'id', reason: 'allSent', message: 'Semua link pembayaran di sheet ini sudah dikirim lewat WhatsApp.' }),
    });
    await expect.poll(() => text(s, '#empty-title')).toBe('Semua sudah terkirim');
    expect(await text(s, '#title')).toBe('Kirim lewat WhatsApp');
    expect(await text(s, '#reload')).toBe('Periksa lagi');
    expect(await s.page.title()).toBe('Kirim lewat WhatsApp');
  });

  it('Settings: the template preview follows typing, and an unknown placeholder is flagged', async () => {
    const s = await open('Settings', {
      getSettings: () => settingsView(),
      getDeliverySettings: () => deliveryView(),
      // The server renders with the first row; here a stand-in that fills two placeholders.
      previewTemplate: (_kind, template) => {
        const text = String(template).replace('{name}', 'Budi').replace('{amount}', 'Rp1.500.000');
        const unknown = [...String(template).matchAll(/\{([^}]+)\}/g)]
          .map((m) => String(m[1]))
          .filter((n) => !['name', 'amount', 'due', 'link', 'Kelas'].includes(n));
        return { text, unknown, note: '' };
      },
    });
    await expect.poll(() => text(s, '#template-preview')).toBe('Hi Budi, Rp1.500.000 due {due}: {link}');
    expect(await visible(s, '#template-unknown')).toBe(false);
    await s.page.fill('#template-body', 'Halo {name}, kelas {Kelas}, {Klas}');
    await expect.poll(() => text(s, '#template-preview')).toBe('Halo Budi, kelas {Kelas}, {Klas}');
    await expect.poll(() => text(s, '#template-unknown')).toBe('Unknown placeholder: {Klas}');
    expect(await visible(s, '#template-unknown')).toBe(true);
    expect(await text(s, '#mayar-note')).toContain('Mayar itself may also email');
    // The greeting of the built-in messages: Kak (shops) or Bapak/Ibu (schools, kos).
    expect(await s.page.locator('#register').inputValue()).toBe('kak');
    expect(await s.page.locator('#register option').allTextContents()).toEqual(['"Kak" (shops)', '"Bapak/Ibu" (schools, kos)']);
  });
});

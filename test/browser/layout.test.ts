/**
 * Every sidebar, in Indonesian and English, at Google's 300 px sidebar width: nothing runs off
 * the right edge, every action is a visible button (a real <button>, or a link dressed as one)
 * whose label fits, and the error and empty states show their way out. The screenshots in docs/
 * are a by-product: `npm run screenshots` runs this file with UPDATE_SCREENSHOTS=1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WhatsAppQueue } from '../../src/app/delivery/whatsapp';
import type { Locale } from '../../src/core/messages';
import type { ProgressView } from '../../src/core/progress';
import { deliveryView, progressView, settingsView, whatsAppItem } from './fixtures';
import { assertBrowserPresent, type Handlers, openSidebar, type PageName, screenshot, serveSidebars, type Sidebar, skipBrowserTests } from './harness';

const WIDTH = 300;

interface Scene {
  name: string;
  page: PageName;
  handlers: (locale: Locale) => Handlers;
  /** Shown once the scene is ready. */
  ready: string;
  /** The actions the user has in this state: each must be a visible button. */
  actions: string[];
  /** Texts that must read so in each language. */
  texts?: Record<Locale, Record<string, string>>;
  fakeClock?: boolean;
  /** Where the screenshot goes in docs/ (with -id or -en), if this scene is one. */
  shot?: string;
  prepare?: (s: Sidebar) => Promise<void>;
}

const CUSTOMERS: Record<Locale, { name: string; label: string; text: string }> = {
  id: {
    name: 'Ibu Ratna Dewi (wali Putri, kelas 5B)',
    label: 'Tagihan',
    text: 'Yth. Bapak/Ibu Ratna Dewi,\nTagihan SPP Desember untuk Putri: Rp350.000, jatuh tempo 10 Desember 2026.\nBayar lewat: https://sdharapan.myr.id/pl/spp-des-5b-07',
  },
  en: {
    name: 'Mrs Ratna Dewi (parent of Putri, class 5B)',
    label: 'Bill',
    text: 'Dear Mrs Ratna Dewi,\nThe December school fee for Putri: Rp350.000, due 10 December 2026.\nPay here: https://sdharapan.myr.id/pl/spp-des-5b-07',
  },
};

function queue(locale: Locale, extra: Partial<WhatsAppQueue> = {}): WhatsAppQueue {
  const c = CUSTOMERS[locale];
  const item = whatsAppItem('pay-7', c.name, { sheetRow: 8, amount: 'Rp350.000', mobile: '0812-7788-9900', label: c.label, text: c.text });
  return { items: [item, whatsAppItem('pay-8', 'Budi'), whatsAppItem('pay-9', 'Sari')], sheetName: 'SPP Desember', locale, message: '', ...extra };
}

const EMPTY_MESSAGE: Record<Locale, string> = {
  id: 'Sheet ini belum punya kolom nomor HP. Tambahkan kolom "No HP" (atau "WhatsApp") berisi nomornya, lalu buka lagi.',
  en: 'This sheet has no mobile number column. Add one named "Mobile" (or "No HP", "WhatsApp") with the numbers, then open this again.',
};

const running = (locale: Locale): ProgressView =>
  progressView({
    locale,
    total: 120,
    created: 64,
    failed: 2,
    needsReview: 1,
    pending: 53,
    waitMs: 12_000,
    etaMs: 53 * 3000,
    sheetName: locale === 'id' ? 'SPP Desember' : 'December fees',
    startedBy: 'bendahara@sdharapan.sch.id',
  });

const finishedWithFailures = (locale: Locale): ProgressView =>
  progressView({
    locale,
    done: true,
    state: 'done',
    total: 120,
    created: 115,
    failed: 4,
    needsReview: 1,
    pending: 0,
    etaMs: 0,
    firstErrorRow: 14,
    sheetName: locale === 'id' ? 'SPP Desember' : 'December fees',
    startedBy: 'bendahara@sdharapan.sch.id',
    message: locale === 'id' ? 'Selesai: SPP Desember.' : 'Finished December fees.',
  });

/** The Messages section as an Indonesian or English school sees it. */
function messagesOf(locale: Locale) {
  if (locale === 'en')
    return deliveryView({ senderName: 'SD Harapan', mayarNote: 'Mayar itself may also email payment reminders to customers who have an email address.' });
  const bill = {
    subject: 'Tagihan {jumlah} dari SD Harapan',
    body: 'Yth. Bapak/Ibu {nama},\ntagihan {jumlah} jatuh tempo {jatuh_tempo}.\nBayar lewat: {link}',
  };
  return deliveryView({
    senderName: 'SD Harapan',
    defaults: { bill, reminderBefore: bill, reminderDue: bill, thanks: bill },
    mayarNote: 'Mayar sendiri juga dapat mengirim email pengingat pembayaran kepada pelanggan yang punya alamat email.',
  });
}

const SCENES: Scene[] = [
  {
    name: 'Settings',
    page: 'Settings',
    handlers: (locale) => ({
      getSettings: () =>
        settingsView({
          locale,
          language: locale,
          hasApiKey: true,
          apiKeyHint: '…9f2c',
          titleTemplate: locale === 'id' ? 'SPP {Bulan} - {nama}' : 'School fee {Month} - {name}',
        }),
      getDeliverySettings: () => messagesOf(locale),
      previewTemplate: () => ({
        text:
          locale === 'id'
            ? 'Yth. Bapak/Ibu Ratna Dewi,\ntagihan Rp350.000 jatuh tempo 10 Desember 2026.\nBayar lewat: https://sdharapan.myr.id/pl/spp-des-5b-07'
            : 'Dear Mrs Ratna Dewi,\nyour bill of Rp350.000 is due 10 December 2026.\nPay here: https://sdharapan.myr.id/pl/spp-des-5b-07',
        unknown: [],
        note: '',
      }),
    }),
    ready: '#messages',
    actions: ['#save', '#test-connection', '#copy-webhook', '#replace-key', '#remove-key', '#test-email'],
    texts: { id: { '#save': 'Simpan', '#advanced > summary': 'Lanjutan' }, en: { '#save': 'Save', '#advanced > summary': 'Advanced' } },
    shot: 'settings',
  },
  {
    name: 'Settings, Advanced unfolded',
    page: 'Settings',
    handlers: (locale) => ({ getSettings: () => settingsView({ locale, language: locale }) }),
    ready: '#settings-form',
    prepare: async (s) => {
      await s.page.click('#advanced > summary');
      await s.page.click('#new-secret');
    },
    actions: ['#save', '#new-secret', '#new-secret-yes', '#new-secret-no'],
  },
  {
    name: 'Settings, not loaded',
    page: 'Settings',
    handlers: () => ({
      getSettings: () => {
        throw new Error('Exceeded maximum execution time');
      },
    }),
    ready: '#load-retry',
    actions: ['#load-retry'],
  },
  {
    name: 'Progress, running',
    page: 'Progress',
    handlers: (locale) => ({ getProgress: () => running(locale) }),
    fakeClock: true,
    ready: '#rate-wait',
    actions: ['#pause', '#cancel'],
    texts: { id: { '#pause': 'Jeda' }, en: { '#pause': 'Pause' } },
    shot: 'progress-running',
  },
  {
    name: 'Progress, finished with failures',
    page: 'Progress',
    handlers: (locale) => ({ getProgress: () => finishedWithFailures(locale) }),
    fakeClock: true,
    ready: '#summary',
    actions: ['#go-to-error', '#next-error'],
    texts: {
      id: { '#summary-title': 'Selesai, ada yang gagal', '#next-error': 'Baris gagal berikutnya' },
      en: { '#summary-title': 'Finished, with errors', '#next-error': 'Next failed row' },
    },
    shot: 'progress-failed',
  },
  {
    name: 'Progress, call failed',
    page: 'Progress',
    handlers: () => ({
      getProgress: () => {
        throw new Error('Service invoked too many times');
      },
    }),
    fakeClock: true,
    ready: '#retry-now',
    actions: ['#retry-now'],
  },
  {
    name: 'Send by WhatsApp, a customer',
    page: 'WhatsApp',
    handlers: (locale) => ({ getWhatsAppQueue: () => queue(locale) }),
    ready: '#card',
    actions: ['#open', '#sent', '#skip'],
    texts: { id: { '#open': 'Buka WhatsApp', '#position': '1 dari 3' }, en: { '#open': 'Open WhatsApp', '#position': '1 of 3' } },
    shot: 'whatsapp',
  },
  {
    name: 'Send by WhatsApp, empty',
    page: 'WhatsApp',
    handlers: (locale) => ({ getWhatsAppQueue: () => queue(locale, { items: [], reason: 'noMobileColumn', message: EMPTY_MESSAGE[locale] }) }),
    ready: '#empty',
    actions: ['#reload'],
    texts: { id: { '#empty-title': 'Belum ada kolom nomor HP' }, en: { '#empty-title': 'No mobile number column' } },
    shot: 'whatsapp-empty',
  },
  {
    name: 'Send by WhatsApp, call failed',
    page: 'WhatsApp',
    handlers: () => ({
      getWhatsAppQueue: () => {
        throw new Error('Exceeded maximum execution time');
      },
    }),
    ready: '#error',
    actions: ['#retry'],
  },
];

/** Everything visible that runs past either side of the sidebar, and every action that is not a button. */
function measure(): { scrollWidth: number; overflowing: string[]; bareLinks: string[] } {
  const width = window.innerWidth;
  const describe = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).replace(/ /g, '.')}` : ''}`;
  const overflowing: string[] = [];
  for (const el of Array.from(document.querySelectorAll('main *'))) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    if (rect.left < -0.5 || rect.right > width + 0.5) overflowing.push(`${describe(el)} [${Math.round(rect.left)}, ${Math.round(rect.right)}]`);
    // Text cut off inside its own box (a label too long for its button).
    if ((el.tagName === 'BUTTON' || el.classList.contains('button')) && el.scrollWidth > el.clientWidth + 1)
      overflowing.push(`${describe(el)} clips its label`);
  }
  const bareLinks = Array.from(document.querySelectorAll('main a'))
    .filter((a) => a.getClientRects().length > 0 && !a.classList.contains('button'))
    .map(describe);
  return { scrollWidth: document.documentElement.scrollWidth, overflowing, bareLinks };
}

describe.skipIf(skipBrowserTests)('sidebar layout at 300 px, in both languages', { timeout: 45_000 }, () => {
  let served: Awaited<ReturnType<typeof serveSidebars>>;
  let sidebar: Sidebar | undefined;

  beforeAll(async () => {
    assertBrowserPresent();
    served = await serveSidebars();
  });
  afterEach(async () => {
    if (sidebar) expect(sidebar.pageErrors).toEqual([]);
    await sidebar?.close();
    sidebar = undefined;
  });
  afterAll(async () => {
    await served?.close();
  });

  const cases = SCENES.flatMap((scene) => (['id', 'en'] as const).map((locale) => ({ scene, locale })));

  it.each(cases)('$scene.name ($locale)', async ({ scene, locale }) => {
    const s = await openSidebar(served.url(scene.page), {
      handlers: scene.handlers(locale),
      locale: locale === 'id' ? 'id-ID' : 'en-US',
      ...(scene.fakeClock ? { fakeClock: true } : {}),
    });
    sidebar = s;
    await s.page.locator(scene.ready).waitFor({ state: 'visible' });
    await scene.prepare?.(s);
    expect(await s.page.evaluate(() => document.documentElement.lang)).toBe(locale);

    const { scrollWidth, overflowing, bareLinks } = await s.page.evaluate(measure);
    expect(scrollWidth).toBeLessThanOrEqual(WIDTH);
    expect(overflowing).toEqual([]);
    expect(bareLinks).toEqual([]);

    for (const selector of scene.actions) {
      const action = s.page.locator(selector);
      expect(await action.isVisible(), `${selector} is visible`).toBe(true);
      const looks = await action.evaluate((el) => {
        const style = getComputedStyle(el);
        return {
          button: el.tagName === 'BUTTON' || el.classList.contains('button'),
          label: (el.textContent ?? '').trim(),
          cursor: style.cursor,
          // Dressed as a button: a border or a fill, not bare text.
          framed: parseFloat(style.borderTopWidth) > 0 || style.backgroundColor !== 'rgba(0, 0, 0, 0)',
        };
      });
      expect(looks.button, `${selector} is a button`).toBe(true);
      expect(looks.label, `${selector} has a label`).not.toBe('');
      expect(looks.cursor, `${selector} looks clickable`).toBe('pointer');
      expect(looks.framed, `${selector} has a border or a fill`).toBe(true);
      const box = await action.boundingBox();
      expect(box && box.height >= 20 && box.width >= 24 && box.x >= 0 && box.x + box.width <= WIDTH, `${selector} fits: ${JSON.stringify(box)}`).toBe(true);
    }
    for (const [selector, expected] of Object.entries(scene.texts?.[locale] ?? {})) {
      expect((await s.page.locator(selector).textContent())?.trim(), selector).toBe(expected);
    }
    if (scene.shot) await screenshot(s.page, `${scene.shot}-${locale}.png`);
  });
});

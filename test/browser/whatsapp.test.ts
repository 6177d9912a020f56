/**
 * In Chromium: the Send by WhatsApp sidebar walks its queue (message as text, the wa.me link
 * in a new tab, "Sent — next"), and the settings sidebar previews a template live and flags
 * an unknown placeholder. google.script.run is a stub answered here in Node.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi } from '../../scripts/build-ui.mjs';
import { settingsView, XSS } from './fixtures';
import { assertBrowserPresent, CHROMIUM, skipBrowserTests } from './harness';

type Handler = (...args: unknown[]) => unknown;

const NAMES = [
  'getSettings',
  'getDeliverySettings',
  'previewTemplate',
  'saveDeliverySettings',
  'sendTestEmail',
  'getWhatsAppQueue',
  'markWhatsAppSent',
  'saveSettings',
  'testConnection',
  'newWebhookSecret',
];

function installStub(names: string[]): void {
  const w = window as unknown as { __call: (name: string, args: unknown[]) => Promise<{ ok: boolean; value: unknown }>; google: unknown };
  type Callback = (value: unknown) => void;
  function runner(onSuccess?: Callback, onFailure?: Callback): Record<string, unknown> {
    const run: Record<string, unknown> = {
      withSuccessHandler: (handler: Callback) => runner(handler, onFailure),
      withFailureHandler: (handler: Callback) => runner(onSuccess, handler),
    };
    for (const name of names) {
      run[name] = (...args: unknown[]) => {
        void w
          .__call(name, JSON.parse(JSON.stringify(args)) as unknown[])
          .then((reply) => (reply.ok ? onSuccess?.(reply.value) : onFailure?.(new Error(String(reply.value)))));
      };
    }
    return run;
  }
  w.google = { script: { run: runner() } };
}

describe.skipIf(skipBrowserTests)('delivery sidebars', { timeout: 30_000 }, () => {
  let dir: string;
  let server: Server;
  let base: string;
  let context: BrowserContext;

  beforeAll(async () => {
    assertBrowserPresent();
    dir = mkdtempSync(join(tmpdir(), 'mayar-ui-'));
    await buildUi(dir);
    server = createServer((request, response) => {
      const name = (request.url ?? '').slice(1);
      if (!['WhatsApp.html', 'Settings.html'].includes(name)) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(join(dir, name), 'utf8'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    context = await chromium
      .launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] })
      .then((b) => b.newContext({ viewport: { width: 300, height: 900 }, locale: 'en-US' }));
  });
  afterAll(async () => {
    await context?.browser()?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(page: string, handlers: Record<string, Handler>): Promise<{ page: Page; calls: [string, unknown[]][]; errors: string[] }> {
    const tab = await context.newPage();
    const calls: [string, unknown[]][] = [];
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('dialog', (dialog) => {
      errors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await tab.exposeFunction('__call', async (name: string, args: unknown[]) => {
      calls.push([name, args]);
      const handler = handlers[name];
      if (!handler) return { ok: false, value: `no handler for ${name}` };
      return { ok: true, value: JSON.parse(JSON.stringify((await handler(...args)) ?? null)) as unknown };
    });
    await tab.addInitScript(installStub, NAMES);
    await tab.goto(`${base}/${page}`);
    return { page: tab, calls, errors };
  }

  const item = (id: string, name: string) => ({
    sheetRow: 2,
    paymentId: id,
    name,
    amount: 'Rp1.500.000',
    kind: 'bill',
    label: 'Bill',
    text: `Hi ${name},\nyour bill of Rp1.500.000: https://pay.example/${id}`,
    url: `https://wa.me/6281234567890?text=${encodeURIComponent(`Hi ${name}`)}`,
  });

  it('Send by WhatsApp: shows each customer and message as text, opens wa.me in a new tab, and moves on once marked sent', async () => {
    let queue = [item('pay-1', XSS), item('pay-2', 'Sari')];
    const s = await open('WhatsApp.html', {
      getWhatsAppQueue: () => ({ items: queue, sheetName: 'Invoices', locale: 'en', message: '' }),
      markWhatsAppSent: (id) => {
        queue = queue.filter((i) => i.paymentId !== id);
        return { items: queue, sheetName: 'Invoices', locale: 'en', message: queue.length ? '' : 'Every message in the queue has been sent.' };
      },
    });
    await expect.poll(() => s.page.locator('#customer').textContent()).toBe(`${XSS} · Rp1.500.000`);
    // The name is text: no element was made from it.
    expect(await s.page.locator('#card img').count()).toBe(0);
    expect(await s.page.locator('#message').textContent()).toContain('https://pay.example/pay-1');
    expect(await s.page.locator('#position').textContent()).toBe('1 of 2');
    const openLink = s.page.locator('#open');
    expect(await openLink.getAttribute('target')).toBe('_blank');
    expect(await openLink.getAttribute('href')).toMatch(/^https:\/\/wa\.me\/6281234567890\?text=/);

    await s.page.click('#sent');
    await expect.poll(() => s.page.locator('#customer').textContent()).toBe('Sari · Rp1.500.000');
    expect(s.calls.filter(([name]) => name === 'markWhatsAppSent').map(([, args]) => args.slice(0, 2))).toEqual([['pay-1', 'bill']]);
    expect(await s.page.locator('#position').textContent()).toBe('2 of 2');
    await s.page.click('#sent');
    await expect.poll(() => s.page.locator('#status').textContent()).toBe('Every message in the queue has been sent.');
    expect(await s.page.locator('#card').isVisible()).toBe(false);
    expect(s.errors).toEqual([]);
    await s.page.close();
  });

  it('Settings: the template preview follows typing, and an unknown placeholder is flagged', async () => {
    const defaults = { subject: 'Your bill of {amount}', body: 'Hi {name}, {amount} due {due}: {link}' };
    const s = await open('Settings.html', {
      getSettings: () => settingsView(),
      getDeliverySettings: () => ({
        senderName: 'Toko Maju',
        templates: {},
        subjects: {},
        reminders: false,
        reminderDays: [-3, -1, 0],
        thankYou: false,
        register: 'kak',
        defaults: { bill: defaults, reminderBefore: defaults, reminderDue: defaults, thanks: defaults },
        mayarNote: 'Mayar itself may also email payment reminders.',
      }),
      // The server renders with the first row; here a stand-in that fills two placeholders.
      previewTemplate: (_kind, template) => {
        const text = String(template).replace('{name}', 'Budi').replace('{amount}', 'Rp1.500.000');
        const unknown = [...String(template).matchAll(/\{([^}]+)\}/g)]
          .map((m) => m[1])
          .filter((n) => !['name', 'amount', 'due', 'link', 'Kelas'].includes(String(n)));
        return { text, unknown, note: '' };
      },
    });
    await expect.poll(() => s.page.locator('#template-preview').textContent()).toBe('Hi Budi, Rp1.500.000 due {due}: {link}');
    expect(await s.page.locator('#template-unknown').isVisible()).toBe(false);
    await s.page.fill('#template-body', 'Halo {name}, kelas {Kelas}, {Klas}');
    await expect.poll(() => s.page.locator('#template-preview').textContent()).toBe('Halo Budi, kelas {Kelas}, {Klas}');
    await expect.poll(() => s.page.locator('#template-unknown').textContent()).toBe('Unknown placeholder: {Klas}');
    expect(await s.page.locator('#template-unknown').isVisible()).toBe(true);
    expect(await s.page.locator('#mayar-note').textContent()).toContain('Mayar itself may also email');
    // The greeting of the built-in messages: Kak (shops) or Bapak/Ibu (schools, kos).
    expect(await s.page.locator('#register').inputValue()).toBe('kak');
    expect(await s.page.locator('#register option').allTextContents()).toEqual(['"Kak" (shops)', '"Bapak/Ibu" (schools, kos)']);
    expect(s.errors).toEqual([]);
    await s.page.close();
  });
});

/**
 * The settings sidebar in Chromium: what it sends to saveSettings/testConnection, that the
 * API key never comes back into the page, zod validation, language and escaping.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keyHint, type SaveResult, type SettingsInput, type SettingsView } from '../../src/core/settings';
import type { DeliverySaveResult } from '../../src/app/delivery/templates-app';
import { deliveryView, settingsView, VALID_KEY, XSS } from './fixtures';
import { assertBrowserPresent, type Handlers, openSidebar, serveSidebars, type Sidebar, skipBrowserTests } from './harness';

/** A stand-in for the server's saveSettings: applies the input, keeps only a hint of the key. */
function fakeSave(current: SettingsView, input: SettingsInput): SettingsView {
  const next: SettingsView = { ...current };
  if (input.environment) next.environment = input.environment;
  if (input.keyScope) next.keyScope = input.keyScope;
  if (input.defaultExpiryDays !== undefined) next.defaultExpiryDays = input.defaultExpiryDays;
  if (input.requestsPerMinute !== undefined) next.requestsPerMinute = input.requestsPerMinute;
  if (input.autoRefresh !== undefined) next.autoRefresh = input.autoRefresh;
  if (input.confirmInSandbox !== undefined) next.confirmInSandbox = input.confirmInSandbox;
  if (input.titleTemplate !== undefined) next.titleTemplate = input.titleTemplate;
  if (input.language) {
    next.language = input.language;
    next.locale = input.language === 'auto' ? 'en' : input.language;
  }
  if (input.apiKey) Object.assign(next, { hasApiKey: true, apiKeyHint: keyHint(input.apiKey) });
  if (input.removeApiKey) Object.assign(next, { hasApiKey: false, apiKeyHint: null });
  return next;
}

describe.skipIf(skipBrowserTests)('settings sidebar', { timeout: 30_000 }, () => {
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

  async function open(initial: SettingsView, extra: Handlers = {}, height?: number): Promise<Sidebar> {
    let current = initial;
    sidebar = await openSidebar(served.url('Settings'), {
      handlers: {
        getSettings: () => current,
        saveSettings: (input) => {
          current = fakeSave(current, input);
          return { ok: true, settings: current, errors: {} };
        },
        ...extra,
      },
      ...(height ? { height } : {}),
    });
    await sidebar.page.locator('#settings-form').waitFor({ state: 'visible' });
    return sidebar;
  }

  const text = (s: Sidebar, selector: string) => s.page.locator(selector).textContent();
  const visible = (s: Sidebar, selector: string) => s.page.locator(selector).isVisible();
  /** Unfolds Advanced (requests per minute, web app URL, new secret). */
  const openAdvanced = async (s: Sidebar) => {
    await s.page.click('#advanced > summary');
    await s.page.locator('#requestsPerMinute').waitFor({ state: 'visible' });
  };

  it('saves the values the user entered, and the key never comes back into the page', async () => {
    const s = await open(settingsView());
    expect(await s.page.inputValue('#defaultExpiryDays')).toBe('7');
    expect(await s.page.inputValue('#requestsPerMinute')).toBe('20');
    expect(await s.page.isChecked('#env-sandbox')).toBe(true);
    expect(await s.page.isChecked('#scope-user')).toBe(true);
    expect(await s.page.getAttribute('#apiKey', 'type')).toBe('password');

    await s.page.fill('#apiKey', `  ${VALID_KEY} `);
    await s.page.check('#env-production');
    expect(await visible(s, '#production-warning')).toBe(true);
    await s.page.check('#scope-document');
    expect(await visible(s, '#scope-document-help')).toBe(true);
    expect(await text(s, '#scope-document-help')).toContain('anyone who opens the script editor');
    await s.page.fill('#defaultExpiryDays', '14');
    // Requests per minute is folded under Advanced.
    expect(await visible(s, '#requestsPerMinute')).toBe(false);
    await openAdvanced(s);
    await s.page.fill('#requestsPerMinute', '30');
    await s.page.selectOption('#language', 'id');
    await s.page.check('#autoRefresh');
    await s.page.check('#billFormResponses');
    await s.page.check('#emailFormResponses');
    await s.page.fill('#formAmount', '75000');
    await s.page.click('#save');

    await expect
      .poll(() => s.callsTo('saveSettings'))
      .toEqual([
        [
          {
            apiKey: VALID_KEY,
            environment: 'production',
            keyScope: 'document',
            defaultExpiryDays: 14,
            requestsPerMinute: 30,
            language: 'id',
            autoRefresh: true,
            billFormResponses: true,
            emailFormResponses: true,
            formAmount: 75000,
            confirmInSandbox: true,
            titleTemplate: '{name}',
          },
        ],
      ]);
    // The server answered in Indonesian: the page switched language.
    await expect.poll(() => text(s, '#status')).toBe('Pengaturan tersimpan.');
    expect(await text(s, '#save')).toBe('Simpan');
    expect(await text(s, '#key-hint')).toBe('Key tersimpan …9f2c');
    expect(await visible(s, '#apiKey')).toBe(false);

    const html = await s.page.content();
    const values = await s.page.$$eval('input, textarea, select', (nodes) => nodes.map((n) => (n as HTMLInputElement).value));
    const secretPart = VALID_KEY.slice(0, 30);
    expect(html).not.toContain(secretPart);
    expect(values.join('\n')).not.toContain(secretPart);
    expect(await s.page.evaluate(() => document.body.innerText)).not.toContain(secretPart);
  });

  it('shows the zod message for invalid input and does not call the server', async () => {
    const s = await open(settingsView());
    await openAdvanced(s);
    await s.page.fill('#apiKey', 'abc');
    await s.page.fill('#defaultExpiryDays', '0');
    await s.page.fill('#requestsPerMinute', '500');
    await s.page.click('#save');
    // An odd key is a warning, not an error: Mayar's own CLI takes any shape.
    expect(await visible(s, '#apiKey-error')).toBe(false);
    expect(await text(s, '#apiKey-warning')).toBe(
      'This does not look like a Mayar API key (they look like xxxxx.yyyyy.zzzzz). It is kept as typed: use Test connection to check it.',
    );
    expect(await text(s, '#defaultExpiryDays-error')).toBe('At least 1 day');
    expect(await text(s, '#requestsPerMinute-error')).toBe('At most 50');
    expect(await text(s, '#status')).toBe('Please fix the marked fields.');
    expect(await s.page.getAttribute('#defaultExpiryDays', 'aria-invalid')).toBe('true');

    await s.page.fill('#apiKey', 'kunci rahasia™');
    await s.page.fill('#defaultExpiryDays', '2.5');
    await s.page.fill('#requestsPerMinute', 'lots');
    await s.page.click('#save');
    expect(await text(s, '#apiKey-error')).toBe('The API key has characters Mayar keys never have (copy it again from Mayar)');
    expect(await s.page.getAttribute('#apiKey', 'aria-invalid')).toBe('true');
    expect(await text(s, '#defaultExpiryDays-error')).toBe('Whole days only');
    expect(await text(s, '#requestsPerMinute-error')).toBe('Enter a number');
    expect(s.callsTo('saveSettings')).toHaveLength(0);

    // Fixing the fields clears the messages and saves.
    await s.page.fill('#apiKey', '');
    await s.page.fill('#defaultExpiryDays', '30');
    await s.page.fill('#requestsPerMinute', '10');
    await s.page.click('#save');
    await expect.poll(() => s.callsTo('saveSettings').length).toBe(1);
    expect(await visible(s, '#defaultExpiryDays-error')).toBe(false);
    expect(s.callsTo('saveSettings')[0]?.[0]).not.toHaveProperty('apiKey');
  });

  it('shows the zod messages in Indonesian for Indonesian users', async () => {
    const s = await open(settingsView({ locale: 'id' }));
    await openAdvanced(s);
    await s.page.fill('#apiKey', 'abc');
    await s.page.fill('#defaultExpiryDays', '0');
    await s.page.fill('#requestsPerMinute', '51');
    await s.page.click('#save');
    expect(await text(s, '#apiKey-warning')).toBe(
      'Ini tidak terlihat seperti API key Mayar (biasanya berbentuk xxxxx.yyyyy.zzzzz). Key tetap disimpan: gunakan Tes koneksi untuk memeriksanya.',
    );
    expect(await text(s, '#defaultExpiryDays-error')).toBe('Minimal 1 hari');
    expect(await text(s, '#requestsPerMinute-error')).toBe('Maksimal 50');
    expect(s.callsTo('saveSettings')).toHaveLength(0);
  });

  it('shows errors the server returns, and failures of the call itself', async () => {
    let attempt = 0;
    const s = await open(settingsView(), {
      saveSettings: (): SaveResult => {
        attempt += 1;
        if (attempt === 1) return { ok: false, settings: settingsView(), errors: { requestsPerMinute: 'At most 50' } };
        if (attempt === 2) return { ok: false, settings: settingsView(), errors: { settings: 'Settings are locked by another editor' } };
        throw new Error('Authorization is required to perform that action.');
      },
    });
    await s.page.click('#save');
    await expect.poll(() => text(s, '#requestsPerMinute-error')).toBe('At most 50');
    expect(await text(s, '#status')).toBe('Please fix the marked fields.');
    await s.page.click('#save');
    await expect.poll(() => text(s, '#status')).toBe('Settings are locked by another editor');
    expect(await visible(s, '#requestsPerMinute-error')).toBe(false);
    await s.page.click('#save');
    await expect.poll(() => text(s, '#status')).toBe('Something went wrong: Authorization is required to perform that action.');
    expect(await s.page.isEnabled('#save')).toBe(true);
  });

  it('tests the connection with the typed key and chosen environment, and shows the result as text', async () => {
    const results = [
      { ok: true, message: 'The key works for Sandbox.' },
      { ok: false, message: `Mayar rejected the key for Production (${XSS})` },
    ];
    const s = await open(settingsView(), { testConnection: () => results.shift() ?? { ok: false, message: 'none left' } });

    await s.page.click('#test-connection');
    expect(await text(s, '#test-result')).toBe('Enter an API key first.');
    expect(s.callsTo('testConnection')).toHaveLength(0);

    await s.page.fill('#apiKey', 'kéy');
    await s.page.click('#test-connection');
    expect(await text(s, '#apiKey-error')).toBe('The API key has characters Mayar keys never have (copy it again from Mayar)');
    expect(s.callsTo('testConnection')).toHaveLength(0);

    await s.page.fill('#apiKey', VALID_KEY);
    await s.page.click('#test-connection');
    await expect.poll(() => text(s, '#test-result')).toBe('The key works for Sandbox.');
    expect(await s.page.getAttribute('#test-result', 'data-tone')).toBe('ok');

    await s.page.check('#env-production');
    await s.page.click('#test-connection');
    await expect.poll(() => text(s, '#test-result')).toBe(`Mayar rejected the key for Production (${XSS})`);
    expect(await s.page.getAttribute('#test-result', 'data-tone')).toBe('error');
    expect(s.callsTo('testConnection')).toEqual([[{ apiKey: VALID_KEY, environment: 'sandbox' }], [{ apiKey: VALID_KEY, environment: 'production' }]]);
    expect(await s.page.locator('img').count()).toBe(0);
    expect(await s.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(s.dialogs).toEqual([]);
  });

  it('with a saved key: shows only its hint, tests the stored key, and can replace or remove it', async () => {
    const s = await open(settingsView({ hasApiKey: true, apiKeyHint: '…9f2c' }), {
      testConnection: () => ({ ok: true, message: 'ok' }),
    });
    expect(await text(s, '#key-hint')).toBe('Saved key …9f2c');
    expect(await visible(s, '#apiKey')).toBe(false);

    await s.page.click('#test-connection');
    await expect.poll(() => s.callsTo('testConnection')).toEqual([[{ environment: 'sandbox' }]]);

    await s.page.click('#remove-key');
    expect(await text(s, '#key-removing')).toContain('The key will be removed when you save.');
    await s.page.click('#keep-key');
    expect(await visible(s, '#key-saved')).toBe(true);
    await s.page.click('#remove-key');
    await s.page.click('#save');
    await expect.poll(() => s.callsTo('saveSettings').length).toBe(1);
    expect(s.callsTo('saveSettings')[0]?.[0]).toMatchObject({ removeApiKey: true });
    expect(s.callsTo('saveSettings')[0]?.[0]).not.toHaveProperty('apiKey');
    await expect.poll(() => visible(s, '#apiKey')).toBe(true);
    expect(await visible(s, '#key-saved')).toBe(false);

    const newKey = VALID_KEY.replace('9f2c', 'ab12');
    await s.page.fill('#apiKey', newKey);
    await s.page.click('#save');
    await expect.poll(() => text(s, '#key-hint')).toBe('Saved key …ab12');
    await s.page.click('#replace-key');
    expect(await s.page.inputValue('#apiKey')).toBe('');
    await s.page.click('#cancel-replace');
    expect(await visible(s, '#apiKey')).toBe(false);
  });

  it('copies the webhook URL and generates a new secret only after confirming', async () => {
    const s = await open(settingsView(), {
      newWebhookSecret: () => settingsView({ webhookUrl: 'https://script.google.com/macros/s/AKfycbx-example/exec?secret=new0001' }),
    });
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(served.url('Settings')).origin });
    expect(await s.page.inputValue('#webhook-url')).toBe(settingsView().webhookUrl);
    await s.page.click('#copy-webhook');
    await expect.poll(() => text(s, '#webhook-status')).toBe('Copied.');
    expect(await s.page.evaluate(() => navigator.clipboard.readText())).toBe(settingsView().webhookUrl);

    await s.page.fill('#defaultExpiryDays', '21');
    await openAdvanced(s);
    await s.page.click('#new-secret');
    expect(await visible(s, '#new-secret-confirm')).toBe(true);
    await s.page.click('#new-secret-no');
    expect(s.callsTo('newWebhookSecret')).toHaveLength(0);
    await s.page.click('#new-secret');
    await s.page.click('#new-secret-yes');
    await expect.poll(() => s.page.inputValue('#webhook-url')).toBe('https://script.google.com/macros/s/AKfycbx-example/exec?secret=new0001');
    expect(await text(s, '#webhook-status')).toBe('New webhook URL ready. Paste it into Mayar.');
    // Unsaved edits elsewhere survive.
    expect(await s.page.inputValue('#defaultExpiryDays')).toBe('21');
  });

  it('explains when there is no webhook URL yet', async () => {
    const s = await open(settingsView({ webhookUrl: null }));
    // A bound script: the setup is there, the add-on note is not.
    expect(await visible(s, '#webhook-addon')).toBe(false);
    expect(await visible(s, '#webhook-setup')).toBe(true);
    expect(await visible(s, '#webhook-row')).toBe(false);
    expect(await visible(s, '#new-secret')).toBe(false);
    expect(await text(s, '#webhook-none')).toBe('No webhook URL yet: the script has to be deployed as a web app first.');
  });

  it('in an add-on, hides the webhook setup and says Status comes from the hourly refresh', async () => {
    const s = await open(settingsView({ webhookUrl: null, addOn: true }));
    expect(await visible(s, '#webhook-setup')).toBe(false);
    expect(await visible(s, '#webapp-field')).toBe(false);
    expect(await text(s, '#webhook-addon')).toContain('Status comes from the hourly refresh');
  });

  it('says what "only me" protects and what it does not', async () => {
    const s = await open(settingsView());
    const limits = await text(s, '#scope-limits');
    expect(limits).toContain('other editors cannot read it or send with it');
    expect(limits).toContain('saving a shared key of their own');
    expect(limits).toContain('changing the script bound to this sheet');
  });

  it('warns about the /dev URL, sends a pasted /exec URL, and warns about an odd saved key', async () => {
    const s = await open(
      settingsView({
        webhookUrl: null,
        webhookProblem: 'dev',
        hasApiKey: true,
        apiKeyHint: '…c0de',
        apiKeyWarning: 'This does not look like a Mayar API key (they look like xxxxx.yyyyy.zzzzz). It is kept as typed: use Test connection to check it.',
      }),
    );
    expect(await visible(s, '#webhook-none')).toBe(false);
    expect(await text(s, '#webhook-dev')).toContain('(ending in /dev), which Mayar cannot call');
    expect(await text(s, '#apiKey-warning')).toContain('does not look like a Mayar API key');

    await openAdvanced(s);
    await s.page.fill('#webAppUrl', 'https://script.google.com/macros/s/AKfy-x/dev');
    await s.page.fill('#titleTemplate', '');
    await s.page.click('#save');
    expect(await text(s, '#webAppUrl-error')).toContain('ending in /dev');
    expect(await visible(s, '#titleTemplate-error')).toBe(true);
    // Two fields in error: the focus goes to the one higher on the page.
    expect(await s.page.evaluate(() => document.activeElement?.id)).toBe('titleTemplate');
    expect(s.callsTo('saveSettings')).toHaveLength(0);
    await s.page.fill('#titleTemplate', '{name}');

    await s.page.fill('#webAppUrl', 'https://script.google.com/macros/s/AKfy-x/exec');
    await s.page.click('#save');
    await expect.poll(() => s.callsTo('saveSettings').length).toBe(1);
    expect(s.callsTo('saveSettings')[0]?.[0]).toMatchObject({ webAppUrl: 'https://script.google.com/macros/s/AKfy-x/exec' });
  });

  it('renders in Indonesian or English, and previews a language picked in the form', async () => {
    const s = await open(settingsView({ locale: 'id', language: 'id', environment: 'production' }));
    expect(await text(s, 'label[for=apiKey]')).toBe('API key');
    expect(await text(s, '#save')).toBe('Simpan');
    expect(await text(s, '#test-connection')).toBe('Tes koneksi');
    expect(await text(s, '#production-warning')).toContain('pelanggan yang membayar benar-benar mengeluarkan uang');
    expect(await s.page.getAttribute('#apiKey', 'placeholder')).toBe('Tempel API key Anda');
    expect(await s.page.title()).toBe('Pengaturan Mayar');

    await s.page.selectOption('#language', 'en');
    expect(await text(s, '#save')).toBe('Save');
    expect(await text(s, '#production-warning')).toContain('customers who pay them spend real money');
    expect(await s.page.getAttribute('#apiKey', 'placeholder')).toBe('Paste your API key');
    expect(s.callsTo('saveSettings')).toHaveLength(0);
  });

  it('shows the load failure and retries on request', async () => {
    let fail = true;
    sidebar = await openSidebar(served.url('Settings'), {
      handlers: {
        getSettings: () => {
          if (fail) {
            fail = false;
            throw new Error('Exceeded maximum execution time');
          }
          return settingsView();
        },
      },
    });
    const s = sidebar;
    await expect.poll(() => text(s, '#load-status')).toBe('Something went wrong: Exceeded maximum execution time');
    await s.page.click('#load-retry');
    await s.page.locator('#settings-form').waitFor({ state: 'visible' });
  });

  it('unfolds Advanced by itself when a field in it is wrong', async () => {
    let attempt = 0;
    const s = await open(settingsView(), {
      saveSettings: (): SaveResult => {
        attempt += 1;
        return { ok: false, settings: settingsView(), errors: { requestsPerMinute: 'At most 50' } };
      },
    });
    expect(await s.page.evaluate(() => (document.getElementById('advanced') as HTMLDetailsElement).open)).toBe(false);
    await s.page.click('#save');
    await expect.poll(() => text(s, '#requestsPerMinute-error')).toBe('At most 50');
    expect(await visible(s, '#requestsPerMinute')).toBe(true);
    expect(attempt).toBe(1);
  });

  it('one Save saves the messages too, only when they changed, and shows their problems', async () => {
    const delivery = deliveryView();
    let refuse = true;
    const s = await open(settingsView(), {
      getDeliverySettings: () => delivery,
      previewTemplate: (_kind, template) => ({ text: String(template), unknown: [], note: '' }),
      saveDeliverySettings: (): DeliverySaveResult =>
        refuse ? { ok: false, settings: delivery, errors: { bill: 'Unknown placeholder: {Klas}' } } : { ok: true, settings: delivery, errors: {} },
    });
    await s.page.locator('#messages').waitFor({ state: 'visible' });
    // No button of its own: the form has one Save.
    expect(await s.page.locator('#messages button').allTextContents()).toEqual(['Send a test to me']);
    await s.page.click('#save');
    await expect.poll(() => text(s, '#status')).toBe('Settings saved.');
    expect(s.callsTo('saveDeliverySettings')).toHaveLength(0);

    await s.page.fill('#template-body', 'Halo {name}, {Klas}');
    await s.page.check('#reminders');
    await s.page.click('#save');
    await expect.poll(() => text(s, '#status')).toBe('Unknown placeholder: {Klas}');
    expect(await s.page.getAttribute('#status', 'data-tone')).toBe('error');
    expect(s.callsTo('saveDeliverySettings')[0]?.[0]).toMatchObject({ templates: { bill: 'Halo {name}, {Klas}' }, reminders: true });
    refuse = false;
    await s.page.fill('#template-body', 'Halo {name}');
    await s.page.click('#save');
    await expect.poll(() => text(s, '#status')).toBe('Settings saved.');
    expect(s.callsTo('saveDeliverySettings')).toHaveLength(2);
    expect(s.callsTo('saveSettings')).toHaveLength(3);
  });
});

/**
 * Which Mayar account links go to, on the built bundle: the sandbox host that accepts the key,
 * the confirmation naming the account and what a teammate changed, settings changes in the
 * Mayar Log, and an add-on's Settings without a webhook.
 */
import { describe, expect, it } from 'vitest';
import { MayarSimulator } from '../../tools/mayar/mayar-simulator';
import { World } from '../support/world';

const ROWS = [
  ['Name', 'Amount', 'Email'],
  ['Ani', '150000', 'ani@example.com'],
  ['Budi', '200000', 'budi@example.com'],
];

const questions = (world: World) => world.runtime.ui.alerts.filter((a) => a.buttons === 'YES_NO');
const hostsOf = (world: World) => world.sim.requests.map((r) => `${r.method} ${r.host}${r.path.replace('/hl/v2', '')} ${r.status}`);

describe('the sandbox host', () => {
  it('is found on the first sandbox call with one read per host, remembered, and shown in Diagnostics', () => {
    // The simulator accepts the key on api.mayar.io only: the add-on tries api.mayar.club first.
    const world = new World({ rows: ROWS, setUp: false });
    world.sim.requests.length = 0;
    world.runtime.ui.answers.push('YES');
    world.run('createPaymentLinks');
    world.driveToEnd();
    expect(hostsOf(world)).toEqual([
      'GET api.mayar.club/payment-channels 401',
      'GET api.mayar.io/payment-channels 200',
      'POST api.mayar.io/payments/create 200',
      'POST api.mayar.io/payments/create 200',
    ]);
    expect(world.column('Payment Link').every((l) => String(l).startsWith('https://'))).toBe(true);

    // Remembered: the next calls go straight to api.mayar.io.
    world.sim.requests.length = 0;
    world.run('showDiagnostics');
    expect(world.runtime.ui.alerts.at(-1)?.message).toContain('sandbox host api.mayar.io');
    expect(hostsOf(world)).toEqual(['GET api.mayar.io/payments 200']);
  });

  it('Test connection says which host took the key; a key on the first host costs one read', () => {
    const world = new World({ sandboxHost: 'api.mayar.club', setUp: false });
    world.sim.requests.length = 0;
    expect(world.run('testConnection', [{}]).value).toEqual({
      ok: true,
      message: 'Connected to Mayar (sandbox) at api.mayar.club: the key works there, and the add-on will use that address.',
    });
    expect(hostsOf(world)).toEqual(['GET api.mayar.club/payment-channels 200']);
  });

  it('a key neither host accepts is said plainly', () => {
    const world = new World({ setUp: false });
    const stranger = MayarSimulator.makeKey('not-a-mayar-key');
    world.sim.requests.length = 0;
    expect(world.run('testConnection', [{ apiKey: stranger }]).value).toMatchObject({ ok: false, message: expect.stringContaining('Neither sandbox address') });
    expect(hostsOf(world)).toEqual(['GET api.mayar.club/payment-channels 401', 'GET api.mayar.io/payment-channels 401']);
  });
});

describe('teammates and the key', () => {
  it('the confirmation names the account: key hint, who saved it and when, environment and host, the link domain', () => {
    const world = new World({ rows: ROWS });
    world.runtime.ui.answers.push('YES');
    world.run('createPaymentLinks');
    world.driveToEnd();
    world.runtime.spreadsheet.typeRows('Invoices', [...ROWS, ['Citra', '250000', 'citra@example.com']]);
    world.runtime.ui.answers.push('NO');
    world.run('createPaymentLinks');
    const text = questions(world).at(-1)?.message ?? '';
    expect(text).toContain(
      `Mayar account: key …${world.apiKey.slice(-4)} (only you), saved by owner@example.com today at 2026-11-25 10:00; sandbox (api.mayar.io); links on mayarsheets.myr.lat.`,
    );
    expect(text.startsWith('⚠')).toBe(false);
  });

  it('says first when a teammate saved a shared key and changed where the key is kept, and logs it without the key', () => {
    const world = new World({ rows: ROWS });
    const mallory = 'mallory@example.com';
    const theirKey = MayarSimulator.makeKey('key-of-mallory');
    world.sim.addKey(theirKey, { environment: 'sandbox' });
    world.runtime.advance(86_400_000);
    world.runtime.run('saveSettings', [{ apiKey: theirKey, keyScope: 'document' }], { user: mallory });
    world.runtime.advance(86_400_000);

    world.runtime.ui.answers.push('NO');
    world.run('createPaymentLinks');
    const text = questions(world).at(-1)?.message ?? '';
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      `⚠ Key …${theirKey.slice(-4)} was saved as the shared key by ${mallory} yesterday (2026-11-26 10:01). Check it is your Mayar account before you send.`,
    );
    expect(lines[1]).toBe(`⚠ The place the API key is kept (only me or shared) was changed by ${mallory} yesterday (2026-11-26 10:01).`);
    expect(text).toContain(`Mayar account: key …${theirKey.slice(-4)} (shared with every editor), saved by ${mallory} yesterday`);
    expect(world.createRequests()).toBe(0);

    const log = world.rows('Mayar Log').filter((r) => r.Action === 'Settings changed');
    expect(log.map((r) => [r.User, r.Details])).toEqual([
      ['owner@example.com', `requestsPerMinute: 50 → 20; API key …${world.apiKey.slice(-4)} saved (only you)`],
      [mallory, `keyScope: "user" → "document"; API key …${theirKey.slice(-4)} saved (shared with every editor)`],
    ]);
    expect(JSON.stringify(world.values('Mayar Log'))).not.toContain(theirKey);
    expect(JSON.stringify(world.values('Mayar Log'))).not.toContain(world.apiKey);
  });

  it("a teammate's own only-me key is no warning to the others", () => {
    const world = new World({ rows: ROWS });
    const theirKey = MayarSimulator.makeKey('key-of-staff');
    world.runtime.run('saveSettings', [{ apiKey: theirKey }], { user: 'staff@example.com' });
    world.runtime.ui.answers.push('NO');
    world.run('createPaymentLinks');
    const text = questions(world).at(-1)?.message ?? '';
    expect(text).not.toContain('⚠');
    expect(text).toContain(`Mayar account: key …${world.apiKey.slice(-4)} (only you), saved by owner@example.com`);
  });

  it('asks even in sandbox without confirmation when a teammate changed the environment', () => {
    const world = new World({ rows: ROWS });
    world.run('saveSettings', [{ confirmInSandbox: false }]);
    world.runtime.run('saveSettings', [{ environment: 'production' }], { user: 'mallory@example.com' });
    world.runtime.run('saveSettings', [{ environment: 'sandbox' }], { user: 'mallory@example.com' });
    world.runtime.ui.answers.push('NO');
    world.run('createPaymentLinks');
    expect(questions(world).at(-1)?.message.split('\n')[0]).toMatch(/^⚠ The environment \(sandbox or production\) was changed by mallory@example.com today/);
    expect(world.createRequests()).toBe(0);
    expect(
      world
        .rows('Mayar Log')
        .filter((r) => r.User === 'mallory@example.com')
        .map((r) => r.Details),
    ).toEqual(['environment: "sandbox" → "production"', 'environment: "production" → "sandbox"']);
  });
});

describe('the settings log', () => {
  it('has a row for a new webhook secret, without the secret', () => {
    const world = new World();
    const before = String((world.run('getSettings').value as { webhookUrl: string }).webhookUrl);
    const after = String((world.run('newWebhookSecret').value as { webhookUrl: string }).webhookUrl);
    expect(after).not.toBe(before);
    const log = world.rows('Mayar Log').filter((r) => r.Action === 'Settings changed');
    expect(log.at(-1)).toMatchObject({ User: 'owner@example.com', Details: 'new webhook secret: the old webhook URL no longer works' });
    const logged = JSON.stringify(world.values('Mayar Log'));
    for (const url of [before, after]) expect(logged).not.toContain(url.split('token=')[1]);
  });
});

describe('Settings in an add-on', () => {
  it('has no webhook URL: status comes from the hourly refresh', () => {
    const addOn = new World({ runtime: { installation: 'addon' } });
    expect(addOn.run('getSettings').value).toMatchObject({ addOn: true, webhookUrl: null });
    const bound = new World();
    expect(bound.run('getSettings').value).toMatchObject({ addOn: false, webhookUrl: expect.stringContaining('/exec?token=') });
  });
});

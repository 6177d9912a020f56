/**
 * The first run in a real Google Sheet: what broke there, on the built bundle. Amounts a
 * non-Indonesian locale stored as another number, the web-app URL Mayar must call, and API
 * keys pasted the way people paste them.
 */
import { describe, expect, it } from 'vitest';
import { MayarSimulator } from '../../tools/mayar/mayar-simulator';
import { SHEET, World } from '../support/world';

const HEADER = ['Name', 'Amount', 'Email', 'Expires At'];

function rowsWith(amounts: string[]): string[][] {
  return [HEADER, ...amounts.map((amount, i) => [`Customer ${i + 1}`, amount, `c${i + 1}@example.com`, '2026-12-31'])];
}

function errorOf(world: World, name: string): string {
  return String(world.rows().find((r) => r['Name'] === name)?.['Error'] ?? '');
}

/** The amounts of the creates Mayar receives from now on. */
function sentAmounts(world: World): number[] {
  const amounts: number[] = [];
  world.onRequest((request) => {
    if (request.method.toUpperCase() === 'POST' && request.url.includes('/payments/create'))
      amounts.push(Number((JSON.parse(request.body ?? '{}') as { amount?: unknown }).amount));
  });
  return amounts;
}

interface View {
  webhookUrl: string | null;
  webhookProblem?: 'dev' | 'unknown' | null;
  apiKeyWarning?: string | null;
  apiKeyHint: string | null;
}

describe('amounts in a sheet whose locale is not Indonesian', () => {
  it('never sends Rp 500 for a 500.000 typed in a United States sheet: the row gets an Amount error that says how to fix it', () => {
    const world = new World({ rows: rowsWith(['500.000', '250000', 'Rp 500.000']), runtime: { spreadsheetLocale: 'en_US' } });
    const sent = sentAmounts(world);
    // What Sheets did with the typing: the first amount is the number 500, shown as "500".
    expect(world.values()[1]?.[1]).toBe(500);
    world.run('createPaymentLinks');
    world.driveToEnd();

    const error = errorOf(world, 'Customer 1');
    expect(error).toMatch(/^Amount: 500 is under Rp 1\.000/);
    expect(error).toContain('en_US');
    expect(error).toContain('File → Settings → Locale');
    expect(error).toContain('500000');
    // Nothing was sent for it; the text amount and the plain digits went out as typed.
    expect([...sent].sort((a, b) => a - b)).toEqual([250000, 500000]);
    expect(world.rows().find((r) => r['Name'] === 'Customer 1')?.['Payment Link']).toBe('');
  });

  it('Check rows shows the same error, and typing the digits fixes the row', () => {
    const world = new World({ rows: rowsWith(['750.000']), runtime: { spreadsheetLocale: 'en_US' } });
    const sent = sentAmounts(world);
    world.run('checkRows');
    expect(errorOf(world, 'Customer 1')).toMatch(/^Amount: 750 is under Rp 1\.000.*type the digits without dots \(750000\)/i);
    expect([...sent]).toEqual([]);

    world.runtime.spreadsheet.typeRows(SHEET, [['Customer 1', '750000', 'c1@example.com', '2026-12-31']], 2);
    world.run('checkRows');
    expect(errorOf(world, 'Customer 1')).toBe('');
  });

  it('reads 500.000 as Rp 500.000 in an Indonesian sheet, where Sheets itself does', () => {
    const world = new World({ rows: rowsWith(['500.000', '750']), runtime: { spreadsheetLocale: 'id_ID' } });
    const sent = sentAmounts(world);
    expect(world.values()[1]?.[1]).toBe(500000);
    world.run('createPaymentLinks');
    world.driveToEnd();
    expect(errorOf(world, 'Customer 1')).toBe('');
    expect(errorOf(world, 'Customer 2')).toBe('');
    expect([...sent].sort((a, b) => a - b)).toEqual([750, 500000]);
  });

  it('refuses an amount whose number format shows something other than what would be sent', () => {
    const world = new World({ rows: rowsWith(['750', '300000']), runtime: { spreadsheetLocale: 'id_ID' } });
    const sent = sentAmounts(world);
    // Thousands written as "rb": the cell shows "750 rb" but holds 750.
    world.runtime.spreadsheet.sheet(SHEET).setNumberFormat('B2', '0" rb"');
    expect(world.runtime.spreadsheet.displayValues(SHEET)[1]?.[1]).toBe('750 rb');
    world.run('createPaymentLinks');
    world.driveToEnd();
    expect(errorOf(world, 'Customer 1')).toBe(
      'Amount: the cell shows "750 rb" but holds the number 750, which is what would be sent. Type the amount as digits without dots (e.g. 750), or set File → Settings → Locale to Indonesia.',
    );
    expect([...sent]).toEqual([300000]);
  });
});

describe('the webhook URL', () => {
  it('shows no URL for the /dev test URL Apps Script gives a sidebar, says why, and uses the /exec URL the user pastes', () => {
    const world = new World({ webAppUrl: 'https://script.google.com/macros/s/AKfy-head-deployment/dev' });
    const before = world.run('getSettings').value as View;
    expect(before.webhookUrl).toBeNull();
    expect(before.webhookProblem).toBe('dev');

    const refused = world.run('saveSettings', [{ webAppUrl: 'https://script.google.com/macros/s/AKfy-head-deployment/dev' }]).value as {
      ok: boolean;
      errors: Record<string, string>;
    };
    expect(refused.ok).toBe(false);
    expect(refused.errors['webAppUrl']).toContain('/exec');

    const saved = world.run('saveSettings', [{ webAppUrl: ' https://script.google.com/macros/s/AKfy-real/exec ' }]).value as { ok: boolean; settings: View };
    expect(saved.ok).toBe(true);
    expect(saved.settings.webhookUrl).toMatch(/^https:\/\/script\.google\.com\/macros\/s\/AKfy-real\/exec\?token=[A-Za-z0-9]{32,}$/);
    expect(saved.settings.webhookProblem).toBeNull();
  });

  it('turns the domain-scoped URL of a Workspace account into the one Mayar can call without signing in', () => {
    const world = new World({ webAppUrl: 'https://script.google.com/a/macros/example.co.id/s/AKfy-test/exec' });
    const view = world.run('getSettings').value as View;
    expect(view.webhookUrl).toMatch(/^https:\/\/script\.google\.com\/macros\/s\/AKfy-test\/exec\?token=/);
  });
});

describe('the API key as people paste it', () => {
  it('strips a pasted "Bearer " prefix and spaces, and the key works', () => {
    const world = new World();
    const key = world.apiKey;
    const pasted = `Bearer ${key.slice(0, 30)} \n${key.slice(30)} `;
    const saved = world.run('saveSettings', [{ apiKey: pasted }]).value as { ok: boolean; settings: View };
    expect(saved.ok).toBe(true);
    expect(saved.settings.apiKeyHint).toBe(`…${key.slice(-4)}`);
    expect(saved.settings.apiKeyWarning).toBeNull();
    expect((world.run('testConnection', [{ apiKey: `Bearer ${key}` }]).value as { ok: boolean }).ok).toBe(true);
    expect((world.run('testConnection').value as { ok: boolean }).ok).toBe(true);
  });

  it('keeps an odd-looking key with a warning instead of refusing it; Test connection is the proof', () => {
    const world = new World();
    const odd = 'mayar_sk_7f3a9c01d2e4';
    world.sim.addKey(odd, { environment: 'sandbox' });
    const saved = world.run('saveSettings', [{ apiKey: odd }]).value as { ok: boolean; settings: View; errors: Record<string, string> };
    expect(saved.errors).toEqual({});
    expect(saved.ok).toBe(true);
    expect(saved.settings.apiKeyWarning).toContain('does not look like a Mayar API key');
    expect((world.run('testConnection').value as { ok: boolean }).ok).toBe(true);
    // A real JWT-shaped key carries no warning.
    world.run('saveSettings', [{ apiKey: MayarSimulator.makeKey('another') }]);
    expect((world.run('getSettings').value as View).apiKeyWarning).toBeNull();
  });
});

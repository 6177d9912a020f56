/**
 * Mayar → Diagnostics on the built bundle: each check reports on its own, in one dialog, and
 * the key check is one read through the document's rate limiter.
 */
import { describe, expect, it } from 'vitest';
import { customers, World } from '../support/world';

interface Line {
  check: string;
  level: 'ok' | 'warn' | 'fail';
  text: string;
}
interface Report {
  lines: Line[];
  text: string;
}

function report(world: World, fn = 'runDiagnostics'): Report {
  return world.run(fn).value as Report;
}

function line(r: Report, check: string): Line {
  const found = r.lines.find((l) => l.check === check);
  if (!found) throw new Error(`no ${check} line in:\n${r.text}`);
  return found;
}

function listReads(world: World): number {
  return world.sim.requests.filter((r) => r.method === 'GET' && /\/payments$/.test(r.path)).length;
}

describe('Mayar → Diagnostics', () => {
  it('is in the Mayar menu and shows every check in one dialog', () => {
    const world = new World();
    world.run('onOpen');
    const items = world.runtime.ui.menus.flatMap((menu) =>
      menu.items.flatMap((item) =>
        item.kind === 'item' ? [item.functionName] : item.kind === 'submenu' ? item.menu.items.map((i) => (i.kind === 'item' ? i.functionName : '')) : [],
      ),
    );
    expect(items).toContain('showDiagnostics');

    const shown = report(world, 'showDiagnostics');
    const dialog = world.runtime.ui.alerts.at(-1);
    expect(dialog?.title).toBe('Mayar diagnostics');
    expect(dialog?.message).toBe(shown.text);
    expect(shown.lines.map((l) => l.check)).toEqual(['scopes', 'installation', 'triggers', 'lock', 'webApp', 'key', 'usage']);
  });

  it('reports a healthy bound script: scopes, installation, lock, /exec URL, a working key with one read', () => {
    const world = new World();
    const readsBefore = listReads(world);
    const r = report(world);
    expect(line(r, 'scopes')).toMatchObject({ level: 'ok' });
    expect(line(r, 'scopes').text).toContain('spreadsheets.currentonly');
    expect(line(r, 'installation').text).toBe('a script bound to this spreadsheet');
    expect(line(r, 'lock')).toEqual({ check: 'lock', level: 'ok', text: 'document lock free; script lock available' });
    expect(line(r, 'webApp')).toMatchObject({ level: 'ok', text: 'https://script.google.com/macros/s/AKfy-test/exec (ends in /exec; Mayar can call it)' });
    expect(line(r, 'key')).toMatchObject({ level: 'ok', text: 'the key works for sandbox (one read: GET /payments?limit=1), sandbox host api.mayar.io' });
    expect(listReads(world) - readsBefore).toBe(1);
    expect(line(r, 'usage').text).toMatch(
      /^1 Mayar calls in the last minute \(pace 20 a minute, at most 20\); no run in progress; UrlFetch calls and trigger time today are counted by Google/,
    );
  });

  it('names a scope the user refused on the consent screen, and still runs every other check', () => {
    const world = new World({ runtime: { refusedScopes: ['https://www.googleapis.com/auth/script.external_request'] } });
    const r = report(world);
    expect(line(r, 'scopes').level).toBe('fail');
    expect(line(r, 'scopes').text).toMatch(/^missing: script\.external_request\. /);
    expect(line(r, 'key').level).toBe('fail');
    expect(line(r, 'key').text).toContain('Could not reach Mayar');
    expect(line(r, 'installation').level).toBe('ok');
    expect(line(r, 'lock').level).toBe('ok');
    expect(line(r, 'webApp').level).toBe('ok');
  });

  it('reports a check that throws as its own line and goes on', () => {
    const world = new World();
    // Reading triggers needs script.scriptapp: refused for this execution, that check throws.
    const r = world.run('runDiagnostics', [], { refusedScopes: ['https://www.googleapis.com/auth/script.scriptapp'] }).value as Report;
    expect(line(r, 'scopes')).toMatchObject({ level: 'fail', text: expect.stringContaining('missing: script.scriptapp') as unknown as string });
    expect(line(r, 'triggers')).toMatchObject({
      level: 'fail',
      text: expect.stringMatching(/^could not be checked: .*script\.scriptapp/) as unknown as string,
    });
    expect(line(r, 'lock').level).toBe('ok');
    expect(line(r, 'webApp').level).toBe('ok');
    expect(line(r, 'key').level).toBe('ok');
    expect(line(r, 'usage').level).toBe('ok');
  });

  it('says so when the script has no document lock (a standalone script)', () => {
    const world = new World({ runtime: { container: false } });
    expect(line(report(world), 'lock')).toMatchObject({ level: 'fail', text: expect.stringContaining('no document lock') as unknown as string });
  });

  it('tells an add-on from a bound script', () => {
    const world = new World({ runtime: { installation: 'addon' } });
    expect(line(report(world), 'installation').text).toBe('an add-on (WEB_STORE_ADD_ON)');
  });

  it('warns about the /dev URL and a key Mayar rejects', () => {
    const world = new World({ webAppUrl: 'https://script.google.com/macros/s/AKfy-head/dev' });
    world.run('saveSettings', [{ apiKey: 'not-a-real-key-at-all' }]);
    const r = report(world);
    expect(line(r, 'webApp')).toMatchObject({ level: 'warn' });
    expect(line(r, 'webApp').text).toContain('/dev');
    expect(line(r, 'key').level).toBe('fail');
    expect(line(r, 'key').text).toContain('Mayar rejected the key for sandbox (401)');
    expect(line(r, 'key').text).toContain('does not look like a Mayar key');
  });

  it('shows the run in progress and its continuation trigger, and never takes a call the run is counting on', () => {
    const world = new World({ rows: customers(60) });
    world.run('createPaymentLinks');
    const reads = listReads(world);
    const r = report(world);
    expect(line(r, 'triggers').text).toContain('processNextBatch ×1');
    expect(line(r, 'triggers').level).toBe('ok');
    expect(line(r, 'usage').text).toMatch(
      /20 Mayar calls in the last minute \(pace 20 a minute, at most 20\); a create run on "Invoices" is running, started by owner@example\.com: 40 of 60 rows left/,
    );
    // The first window is used up by the run: the key is not checked now, rather than a 429 for the run.
    expect(line(r, 'key')).toMatchObject({ level: 'warn', text: expect.stringContaining('not checked') as unknown as string });
    expect(listReads(world)).toBe(reads);
  });

  it('says when a run has lost its continuation trigger', () => {
    const world = new World({ rows: customers(60) });
    world.run('createPaymentLinks');
    // Someone deleted it in the Apps Script editor (Triggers page).
    world.runtime.triggers.splice(0);
    const r = report(world);
    expect(line(r, 'triggers').level).toBe('warn');
    expect(line(r, 'triggers').text).toBe('none; a run is in progress but no processNextBatch trigger exists: keep Show progress open');
  });

  it('in an add-on, counts the hourly trigger as what carries a run on', () => {
    const world = new World({ rows: customers(60), runtime: { installation: 'addon' } });
    world.run('createPaymentLinks');
    const r = report(world);
    expect(line(r, 'triggers')).toEqual({ check: 'triggers', level: 'ok', text: 'hourlyTick ×1' });
  });

  it('says when reminders are on but the hourly trigger is gone', () => {
    const world = new World();
    world.run('saveDeliverySettings', [{ reminders: true }]);
    world.runtime.triggers.splice(0);
    const r = report(world);
    expect(line(r, 'triggers')).toEqual({
      check: 'triggers',
      level: 'warn',
      text: 'none; the automatic refresh, reminders or thank-you emails are on but no hourlyTick trigger exists: save Settings again',
    });
  });
});

/**
 * The built bundle under the platform's rules: every entry point Apps Script can call runs with
 * exactly the scopes appsscript.json asks for, in the context that calls it in production.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Execution, requiredScopes, type RunOptions, SCOPE } from '../../tools/apps-script/gas-runtime';
import { customers, SHEET, World } from '../support/world';

const MANIFEST = JSON.parse(readFileSync(new URL('../../appsscript.json', import.meta.url), 'utf8')) as { oauthScopes: string[] };
/** The entry points the build wrapped as top-level functions: what Apps Script can call. */
const ENTRY_POINTS = (JSON.parse(readFileSync(new URL('../../dist/entry-points.json', import.meta.url), 'utf8')) as string[]).sort();

const PERMISSION = /You do not have permission to call/;
const TRIGGER_EVENT = { authMode: 'FULL', triggerUid: '4711000001' };

function webhookToken(world: World): string {
  const settings = world.runtime.run('getSettings').value as { webhookUrl: string | null };
  return new URL(String(settings.webhookUrl)).searchParams.get('token') ?? '';
}

/** Runs every entry point once, the way production calls it; returns the executions by name. */
function runEveryEntryPoint(world: World): Map<string, Execution[]> {
  const rt = world.runtime;
  const runs = new Map<string, Execution[]>();
  const record = (execution: Execution) => runs.set(execution.fn, [...(runs.get(execution.fn) ?? []), execution]);
  const menu = (fn: string, args: unknown[] = []) => record(rt.run(fn, args, { context: 'menu' }));
  const sidebar = (fn: string, args: unknown[] = [], options: RunOptions = {}) => record(rt.run(fn, args, { context: 'sidebar', ...options }));

  record(rt.open({ authMode: 'NONE' }));
  record(rt.open({ authMode: 'LIMITED' }));
  record(rt.run('onInstall', [{ authMode: 'FULL' }], { context: 'simple-trigger' }));
  menu('setUpSheet');
  menu('checkRows');
  menu('showSettings');
  menu('showDiagnostics');
  sidebar('runDiagnostics');
  sidebar('getSettings');
  sidebar('saveSettings', [{ autoRefresh: true }]);
  sidebar('testConnection', [{}]);
  menu('showProgress');
  menu('createPaymentLinks');
  sidebar('getProgress');
  sidebar('pauseRun');
  sidebar('resumeRun');
  sidebar('processNextBatch');
  record(rt.run('processNextBatch', [TRIGGER_EVENT], { context: 'trigger' }));
  world.driveToEnd();
  sidebar('goToRow', [SHEET, 2]);
  sidebar('goToErrorRow', [SHEET, 0]);
  rt.spreadsheet.setSelection(SHEET, 'A2:A3');
  menu('createPaymentLinksForSelection');
  sidebar('cancelRun');
  menu('refreshPaymentStatus');
  world.driveToEnd();
  record(rt.run('autoRefreshStatus', [TRIGGER_EVENT], { context: 'trigger' }));
  rt.spreadsheet.setSelection(SHEET, 'A2');
  menu('closeSelectedPaymentLinks');
  menu('updateSummary');
  menu('renewExpiredLinks');
  menu('billNextPeriod');
  const ids = world.column('Payment ID').map(String);
  world.sim.markPaid(ids[2] ?? '');
  record(rt.post({ token: webhookToken(world) }, world.sim.webhookBody(ids[2] ?? '')));
  sidebar('newWebhookSecret');
  menu('sendPaymentLinksByEmail');
  world.driveToEnd();
  record(rt.run('resumeEmailing', [TRIGGER_EVENT], { context: 'trigger' }));
  menu('showWhatsApp');
  sidebar('getWhatsAppQueue');
  sidebar('markWhatsAppSent', [ids[0] ?? '', 'bill']);
  sidebar('getDeliverySettings');
  sidebar('saveDeliverySettings', [{}]);
  sidebar('previewTemplate', ['bill', 'Halo {nama}, {jumlah}: {link}']);
  sidebar('sendTestEmail', ['bill']);
  record(rt.run('processWebhookInbox', [TRIGGER_EVENT], { context: 'trigger' }));
  record(rt.run('hourlyTick', [TRIGGER_EVENT], { context: 'trigger' }));
  record(rt.run('sendReminders', [TRIGGER_EVENT], { context: 'trigger' }));
  // forms: the onFormSubmit trigger, made by Settings, fired by a response
  sidebar('saveSettings', [{ billFormResponses: true }]);
  rt.spreadsheet.addSheet('Form Responses 1', [['Timestamp', 'Nama Lengkap', 'Alamat email', 'No WhatsApp', 'Jumlah']]);
  rt.submitForm('Form Responses 1', ['Budi', 'budi@example.com', '081234567890', '150000']).forEach(record);
  record(rt.run('processFormResponses', [TRIGGER_EVENT], { context: 'trigger' }));
  return runs;
}

describe('the built add-on under the platform rules', () => {
  it('runs with the scopes of its own manifest, which asks for userinfo.email', () => {
    const world = new World({ rows: customers(3) });
    expect(world.runtime.manifest?.oauthScopes).toEqual(MANIFEST.oauthScopes);
    expect(MANIFEST.oauthScopes).toContain(SCOPE.userInfoEmail);
  });

  it('calls no entry point into a permission error, in the context each runs in', () => {
    const world = new World({ rows: customers(3) });
    const runs = runEveryEntryPoint(world);

    // A new entry point must get a recipe above.
    expect([...runs.keys()].sort()).toEqual(ENTRY_POINTS);
    for (const [fn, executions] of runs)
      for (const execution of executions) {
        expect(execution.error?.message ?? '', `${fn} (${execution.context})`).not.toMatch(PERMISSION);
        expect(execution.logs.join('\n'), `${fn} logs`).not.toMatch(PERMISSION);
        // Every service method the bundle calls is in the scope table.
        for (const method of execution.callLog) expect(requiredScopes(method), method).toBeDefined();
      }
    const webhook = runs.get('doPost')?.[0];
    const answer = JSON.parse((webhook?.value as { getContent(): string }).getContent()) as Record<string, unknown>;
    expect(answer.ok).toBe(true);
    expect(world.column('Status')[2]).toBe('Paid');
  });

  it('still works where no email can be had: the scope refused, or Google giving ""', () => {
    const manifest = { ...new World().runtime.manifest, oauthScopes: MANIFEST.oauthScopes.filter((s) => s !== SCOPE.userInfoEmail) };
    const world = new World({ rows: customers(2), runtime: { manifest } });
    world.run('createPaymentLinks');
    world.driveToEnd();
    expect(world.column('Payment Link').every((link) => String(link).startsWith('https://'))).toBe(true);
  });

  it('keeps a webhook that arrives while a batch holds the lock (web apps have no document lock), and confirms it later', () => {
    const world = new World({ rows: customers(1) });
    world.run('createPaymentLinks');
    world.driveToEnd();
    const id = String(world.column('Payment ID')[0]);
    world.sim.markPaid(id);
    // The batch holds whichever lock the add-on takes.
    world.runtime.lock.holdSpreadsheetLock('a long batch');

    const execution = world.runtime.post({ token: webhookToken(world) }, world.sim.webhookBody(id));

    const answer = JSON.parse((execution.value as { getContent(): string }).getContent()) as Record<string, unknown>;
    expect(answer).toEqual({ ok: true, queued: true });
    expect(world.column('Status')).toEqual(['Unpaid']);
    world.runtime.lock.releaseSpreadsheetLock();
    world.runtime.advance(2 * 60_000);
    expect(world.column('Status')).toEqual(['Paid']);
  });
});

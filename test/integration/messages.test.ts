/**
 * The messages a person meets when something is in the way: each test provokes one and checks
 * the words they see, and that nothing else happened.
 */
import { describe, expect, it } from 'vitest';
import { customers, SHEET, World } from '../support/world';

const lastAlert = (world: World) => world.runtime.ui.alerts.at(-1)?.message ?? '';

describe('someone else is using the sheet', () => {
  it("tells a teammate that a run uses another person's private key, and changes nothing", () => {
    const world = new World({ rows: customers(45) });
    world.run('createPaymentLinks');
    const requests = world.sim.requests.length;

    const batch = world.runtime.run('processNextBatch', [], { user: 'staff@example.com' });
    expect(batch.value).toMatchObject({ done: false, state: 'busy' });
    expect((batch.value as { message: string }).message).toBe(
      'This run uses the API key of owner@example.com, which is kept for them only. Only owner@example.com can continue or cancel it, or share the key in Mayar → Settings.',
    );
    world.runtime.run('createPaymentLinks', [], { user: 'staff@example.com' });
    expect(lastAlert(world)).toContain(
      'A run is already in progress on this spreadsheet: creating payment links on "Invoices", started by owner@example.com, 20 of 45 rows done.',
    );
    expect(world.sim.requests.length).toBe(requests);
  });

  it('says another action is running when the lock is held and no run exists', () => {
    const world = new World({ rows: customers(3) });
    world.runtime.lock.holdSpreadsheetLock('someone else');
    world.run('createPaymentLinks');
    expect(lastAlert(world)).toBe('Another Mayar action is running on this spreadsheet right now. Try again in a moment.');
    expect(world.sim.requests).toHaveLength(0);
  });
});

describe('a run that cannot go on', () => {
  it('stops when its sheet is deleted, and says where the results are', () => {
    const world = new World({ rows: customers(45) });
    world.run('createPaymentLinks');
    const sheets = world.runtime.spreadsheet.sheets;
    sheets.splice(
      sheets.findIndex((s) => s.name === SHEET),
      1,
    );
    world.runtime.advance(61_000);
    const view = world.run('processNextBatch').value as { done: boolean; state: string; message: string };
    expect(view).toMatchObject({ done: true, state: 'stopped' });
    expect(view.message).toContain('The sheet this run was working on was deleted. The run stopped; results so far are in the Mayar Log sheet.');
    // The header, the settings saved when the sheet was set up, and a row per link.
    expect(world.values('Mayar Log')).toHaveLength(22);
  });

  it('asks for a selection below the header row', () => {
    const world = new World({ rows: customers(3) });
    world.runtime.spreadsheet.setSelection(SHEET, 'A1:C1');
    world.run('createPaymentLinksForSelection');
    expect(lastAlert(world)).toBe('There is nothing to send: select the rows to send first (the header row does not count).');
    expect(world.sim.requests).toHaveLength(0);
  });

  it('counts rows edited during the run as changed and leaves them for the next run', () => {
    const world = new World({ rows: customers(25) });
    world.run('createPaymentLinks');
    // Row 24 (Customer 23) is still waiting; someone corrects its amount.
    world.runtime.spreadsheet.typeRows(SHEET, [['Customer 23', '99000']], 24);
    const { last } = world.driveToEnd();
    expect(last.message).toContain('1 rows changed during the run and were not sent; run again to send them.');
    expect(world.rows()[22]?.['Payment Link']).toBe('');
    world.runtime.advance(120_000);
    world.run('createPaymentLinks');
    expect(world.rows()[22]?.['Payment Link']).not.toBe('');
    expect(
      world.sim
        .payments()
        .filter((p) => p.name === 'Customer 23')
        .map((p) => p.amount),
    ).toEqual([99000]);
  });
});

describe('what Mayar says about one row', () => {
  it('gives up on a row Mayar keeps refusing as a duplicate, and says so', () => {
    const world = new World({ rows: customers(2) });
    world.sim.injectFault({ type: 'duplicate-request', times: Infinity, match: (r) => (r.body ?? '').includes('Customer 2"') });
    world.run('createPaymentLinks');
    const { last } = world.driveToEnd();
    expect(world.column('Error')).toEqual([
      '',
      'Mayar keeps refusing this as a duplicate of a recent payment for the same customer and amount. Check the Mayar dashboard, then run again.',
    ]);
    expect(world.column('Payment Link')[0]).not.toBe('');
    expect(world.sim.createCount()).toBe(1);
    expect(last.message).toContain('1 created, 1 with an error');
  });

  it('marks a 409 "already exist" for review instead of sending it again', () => {
    const world = new World({ rows: customers(2) });
    world.sim.injectFault({ type: 'status-409', match: (r) => (r.body ?? '').includes('Customer 1"') });
    world.run('createPaymentLinks');
    const row = world.rows()[0] ?? {};
    expect(row['Status']).toBe('Needs review');
    expect(row['Error']).toBe('Mayar says this payment already exists (already exist). Check the Mayar dashboard; to send it again, clear Status.');
    world.runtime.advance(120_000);
    world.run('createPaymentLinks');
    expect(world.sim.requests.filter((r) => r.path.endsWith('/payments/create'))).toHaveLength(2);
  });

  it('after three network failures that Mayar confirms never arrived, says nothing was created', () => {
    const world = new World({ rows: customers(1) });
    world.sim.injectFault({ type: 'network-error', times: Infinity, match: (r) => r.url.endsWith('/payments/create') });
    world.run('createPaymentLinks');
    world.driveToEnd();
    expect(world.column('Error')[0]).toMatch(/^Could not reach Mayar 3 times \(.+\); no payment was created\. Run again later\.$/);
    expect(world.sim.createCount()).toBe(0);
  });
});

describe('Test connection', () => {
  it('says whether the key works for the chosen environment', () => {
    const world = new World();
    expect(world.run('testConnection', [{}]).value).toEqual({
      ok: true,
      message: 'Connected to Mayar (sandbox) at api.mayar.io: the key works there, and the add-on will use that address.',
    });
    expect(world.run('testConnection', [{ environment: 'production' }]).value).toEqual({
      ok: false,
      message: 'Mayar rejected this key for production (401). A sandbox key only works in sandbox, a production key only in production.',
    });
    world.sim.injectFault({ type: 'network-error' });
    const down = world.run('testConnection', [{}]).value as { ok: boolean; message: string };
    expect(down.ok).toBe(false);
    expect(down.message).toMatch(/^Could not reach Mayar: /);
    // One read each, and never the key in what comes back.
    expect(world.sim.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    expect(JSON.stringify(world.runtime.executions.map((e) => e.value))).not.toContain(world.apiKey);
  });
});

describe('pause, resume and cancel', () => {
  it('sends nothing while paused, carries on when resumed, and cancels without losing anything', () => {
    const world = new World({ rows: customers(65) });
    world.run('createPaymentLinks');
    const paused = world.run('pauseRun').value as { state: string; message: string };
    expect(paused).toMatchObject({ state: 'paused', message: 'Paused by owner@example.com.' });
    const before = world.sim.requests.length;
    world.runtime.advance(10 * 60_000);
    expect(world.run('processNextBatch').value).toMatchObject({ state: 'paused', done: false });
    expect(world.sim.requests.length).toBe(before);
    expect(world.runtime.triggers.filter((t) => t.handler === 'processNextBatch')).toHaveLength(0);

    const resumed = world.run('resumeRun').value as { created: number };
    expect(resumed.created).toBe(40);
    const cancelled = world.run('cancelRun').value as { done: boolean; state: string; message: string };
    expect(cancelled).toMatchObject({ done: true, state: 'cancelled' });
    expect(cancelled.message).toContain('Cancelled by owner@example.com. Rows not sent yet stay as they are.');
    expect(world.column('Payment Link').filter((l) => l !== '')).toHaveLength(40);
    expect(world.column('Error').every((e) => e === '')).toBe(true);
    // The next click sends the rest, and only the rest.
    world.runtime.advance(61_000);
    world.run('createPaymentLinks');
    world.driveToEnd();
    expect(world.sim.createCount()).toBe(65);
    expect([...world.createsPerContent().values()].every((n) => n === 1)).toBe(true);
  });
});

describe('status, closing and settings messages', () => {
  function withLinks(n: number): World {
    const world = new World({ rows: customers(n) });
    world.run('createPaymentLinks');
    world.runtime.advance(61_000);
    return world;
  }

  it('says a refresh could not read a status after three tries', () => {
    const world = withLinks(1);
    world.sim.injectFault({ type: 'http-500', times: Infinity, match: (r) => r.method === 'GET' });
    world.run('refreshPaymentStatus');
    const { last } = world.driveToEnd();
    expect(world.column('Error')[0]).toBe('Could not read the status from Mayar 3 times (HTTP 500; Error). Try again later.');
    expect(world.column('Status')[0]).toBe('Unpaid');
    expect(last.message).toContain('1 rows could not be checked; see their Error cell.');
  });

  it('tells someone who clicks Refresh while links are being created what is running', () => {
    const world = new World({ rows: customers(45) });
    world.run('createPaymentLinks');
    world.run('refreshPaymentStatus');
    expect(lastAlert(world)).toContain('creating payment links on "Invoices"');
  });

  it('asks for rows with a Payment ID before closing, and reports a close Mayar refused', () => {
    const world = withLinks(2);
    world.runtime.spreadsheet.setSelection(SHEET, 'A1:B1');
    world.run('closeSelectedPaymentLinks');
    expect(lastAlert(world)).toBe('Select rows that have a Payment ID and are not closed yet.');

    world.runtime.spreadsheet.setSelection(SHEET, 'A2:B2');
    world.sim.injectFault({ type: 'http-500', match: (r) => r.url.endsWith('/close') });
    world.runtime.ui.answers.push('YES');
    world.run('closeSelectedPaymentLinks');
    expect(world.column('Error')[0]).toBe('Could not close it: HTTP 500; Error');
    expect(world.column('Status')[0]).toBe('Unpaid');
    expect(lastAlert(world)).toContain('Closed 0. Refused (already paid): 0. Failed: 1.');
  });

  it('reports an error answer to Test connection, says when no run is in progress, and confirms the setup', () => {
    const world = new World();
    world.sim.injectFault({ type: 'http-500' });
    expect(world.run('testConnection', [{}]).value).toEqual({ ok: false, message: 'Mayar answered with an error: HTTP 500; Error' });
    expect(world.run('getProgress').value).toMatchObject({ done: true, state: 'idle', message: 'No run is in progress.' });
    world.runtime.spreadsheet.typeRows(SHEET, [['Name', 'Amount']]);
    world.run('setUpSheet');
    expect(world.runtime.ui.toasts.at(-1)?.message).toBe('The sheet is set up: headers, formats and a frozen header row.');
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  callIndexOf,
  driveByTriggers,
  driveLikeSidebar,
  FORMULA_ERROR_VALUE,
  FORMULA_VALUE,
  GasRuntime,
  type GasRuntimeOptions,
  type HttpOutcome,
  type HttpRequest,
  LOCK_TIMEOUT_MESSAGE,
  sidebarCall,
  TIMEOUT_MESSAGE,
  TOO_MANY_TRIGGERS,
  TRIGGER_RUNTIME_QUOTA_MESSAGE,
  URLFETCH_QUOTA_MESSAGE,
} from '../../tools/apps-script/gas-runtime';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const START = Date.parse('2026-11-25T03:00:00Z');

/** A scripted server: answers by URL, records every request it received. */
function server(routes: Record<string, Partial<Extract<HttpOutcome, { kind: 'response' }>> | Extract<HttpOutcome, { kind: 'network-error' }>> = {}) {
  const received: HttpRequest[] = [];
  const handle = (request: HttpRequest): HttpOutcome => {
    received.push(request);
    const route = routes[request.url];
    if (route && 'kind' in route && route.kind === 'network-error') return route;
    return { kind: 'response', status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}', latencyMs: 100, ...route } as HttpOutcome;
  };
  return { received, handle };
}

const ON_TIME = { minMs: 0, maxMs: 0 };

/** Triggers on time unless a test asks for lateness: these tests time them to the millisecond. */
function runtime(options: Partial<GasRuntimeOptions> = {}) {
  const http = server();
  const rt = new GasRuntime({ http: http.handle, bundleDir: FIXTURES, triggerLateness: ON_TIME, ...options });
  return { rt, http };
}

describe('execution model', () => {
  it('evaluates the bundle afresh for every execution', () => {
    const { rt } = runtime();
    expect(rt.run('bump').value).toBe(1);
    expect(rt.run('bump').value).toBe(1);
    expect(rt.stats.executions).toBe(2);
  });

  it('leaves out the globals Apps Script lacks and keeps the ones it has', () => {
    const { rt } = runtime();
    const globals = rt.run('probeGlobals').value as Record<string, string>;
    for (const name of [
      'URL',
      'URLSearchParams',
      'atob',
      'btoa',
      'TextEncoder',
      'TextDecoder',
      'setTimeout',
      'setInterval',
      'fetch',
      'crypto',
      'process',
      'require',
      'Buffer',
      'structuredClone',
    ])
      expect(globals[name], name).toBe('undefined');
    for (const name of ['Intl', 'JSON', 'console', 'Logger', 'SpreadsheetApp', 'UrlFetchApp']) expect(globals[name], name).toBe('object');
  });

  it('only calls top-level functions, as Apps Script finds them in the source', () => {
    const { rt } = runtime();
    const execution = rt.run('hiddenEntry');
    expect(execution.error?.message).toBe('Script function not found: hiddenEntry');
    expect(rt.run('MayarSheets').error?.message).toBe('Script function not found: MayarSheets');
  });

  it('tells to build when the bundle is missing', () => {
    const rt = new GasRuntime({ http: server().handle, bundleDir: join(FIXTURES, 'nowhere') });
    expect(() => rt.run('onOpen')).toThrow(/npm run build/);
  });

  it('gives the bundle a Date on the virtual clock, local time in the script time zone', () => {
    const { rt } = runtime();
    const info = rt.run('clockInfo').value as Record<string, unknown>;
    expect(info.now).toBe(START);
    expect(info.iso).toBe('2026-11-25T03:00:00.000Z');
    expect(info.hours).toBe(10);
    expect(info.isDate).toBe(true);
    expect(info.localMidnight).toBe('2026-12-30T17:00:00.000Z');
    expect(info.asString).toBe('string');
    expect(info.parsed).toBe(Date.parse('2026-01-02T03:04:05Z'));
    rt.advance(90_000);
    expect((rt.run('clockInfo').value as Record<string, unknown>).now).toBe(START + 90_000);
    expect(process.env.TZ).not.toBe('Asia/Jakarta');
  });

  it('makes Math.random and getUuid deterministic', () => {
    const a = runtime().rt.run('randomness').value;
    const b = runtime().rt.run('randomness').value;
    expect(a).toEqual(b);
    const [uuid, random] = a as [string, number];
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(random).toBeGreaterThanOrEqual(0);
  });

  it('settles an async entry point before the execution ends', () => {
    expect(runtime().rt.run('asyncEntry').value).toBe(21);
  });

  it('records Logger and console lines', () => {
    const execution = runtime().rt.run('logSomething');
    expect(execution.logs).toEqual(['row 1 of 3', 'plain {"a":1}']);
  });

  it('returns service errors as Apps Script shows them', () => {
    const execution = runtime().rt.run('throwsPlain');
    expect(execution.error).toBeInstanceOf(Error);
    expect(execution.error?.name).toBe('Exception');
    expect(execution.error?.message).toBe('The number of rows in the range must be at least 1.');
    expect(execution.killed).toBe(false);
  });
});

describe('cells', () => {
  it('applies the write rules: =formula, apostrophe, numbers, dates, text', () => {
    const { rt } = runtime();
    const execution = rt.run('write', ['A1:G1', [['=HYPERLINK("https://evil")', "'=2", '0812', '+62812', '2026-12-31', 'hello', '+62 812-3456']]]);
    expect(execution.error).toBeUndefined();
    const [row] = rt.spreadsheet.values('Sheet1');
    expect(row).toEqual([FORMULA_VALUE, '=2', 812, 62812, new Date('2026-12-30T17:00:00.000Z'), 'hello', FORMULA_ERROR_VALUE]);
    expect(rt.spreadsheet.formulas('Sheet1')[0]?.[0]).toBe('=HYPERLINK("https://evil")');
    expect(rt.spreadsheet.formulas('Sheet1')[0]?.[6]).toBe('=+62 812-3456');
    expect(rt.spreadsheet.formats('Sheet1')[0]?.[4]).toBe('yyyy-mm-dd');
  });

  it('keeps conditional format rules: setConditionalFormatRules replaces them all, getConditionalFormatRules reads them back', () => {
    const { rt } = runtime();
    expect(rt.run('colourText', ['D2:D10', 'Paid', '#d9ead3']).value).toEqual(['D2:D10']);
    expect(rt.run('colourText', ['E2:E10', 'Expired', '#f4cccc']).value).toEqual(['D2:D10', 'E2:E10']);
    expect(rt.spreadsheet.sheet('Sheet1').conditionalFormatRules.map((r) => [r.textEqualTo, r.background])).toEqual([
      ['Paid', '#d9ead3'],
      ['Expired', '#f4cccc'],
    ]);
    const denied = runtime({
      refusedScopes: ['https://www.googleapis.com/auth/spreadsheets.currentonly', 'https://www.googleapis.com/auth/spreadsheets'],
    }).rt.run('colourText', ['D2:D10', 'Paid', '#d9ead3']);
    expect(denied.error).toBeDefined();
  });

  it('embeds charts built with Sheet.newChart and Charts.ChartType; removeChart takes one out', () => {
    const { rt } = runtime();
    expect(rt.run('drawChart', ['A1:B6']).value).toBe(1);
    expect(rt.run('drawChart', ['A1:B6']).value).toBe(1);
    const [chart] = rt.spreadsheet.sheet('Sheet1').charts;
    expect(chart).toMatchObject({
      type: 'PIE',
      anchorRow: 2,
      anchorColumn: 5,
      options: { title: 'By status' },
      ranges: [{ row: 1, column: 1, numRows: 6, numColumns: 2 }],
    });
  });

  it("stores any string verbatim in a '@' cell", () => {
    const { rt } = runtime();
    const execution = rt.run('formatAndWrite', ['A1:D1', '@', [['=1+1', '0812', '2026-12-31', "'x"]]]);
    expect(execution.value).toEqual([['=1+1', '0812', '2026-12-31', "'x"]]);
    expect(rt.spreadsheet.formulas('Sheet1')).toEqual([['', '', '', '']]);
    expect(rt.spreadsheet.formats('Sheet1')[0]).toEqual(['@', '@', '@', '@']);
  });

  it('stores numbers, booleans and dates as they are; null and "" leave the cell empty', () => {
    const { rt } = runtime();
    rt.run('writeNative', ['A1:E1']);
    expect(rt.spreadsheet.sheet('Sheet1').value(1, 1)).toBe(1.5);
    expect(rt.spreadsheet.sheet('Sheet1').value(1, 2)).toBe(true);
    expect(rt.spreadsheet.sheet('Sheet1').value(1, 3)).toEqual(new Date(Date.UTC(2026, 0, 2)));
    expect(rt.spreadsheet.sheet('Sheet1').value(1, 4)).toBe('');
    expect(rt.spreadsheet.sheet('Sheet1').value(1, 5)).toBe('');
  });

  it('returns getValues as rows of the requested shape, "" for empty cells, Dates from the guest realm', () => {
    const { rt } = runtime();
    rt.spreadsheet.addSheet('Customers', [
      ['Name', 'Amount', 'Due'],
      ['Ani', 150000, new Date('2026-12-30T17:00:00Z')],
    ]);
    const result = rt.run('read', ['A1:D3']).value as { values: unknown[][]; dateCells: number; isArray: boolean; display: string[][] };
    expect(result.values).toEqual([
      ['Name', 'Amount', 'Due', ''],
      ['Ani', 150000, new Date('2026-12-30T17:00:00Z'), ''],
      ['', '', '', ''],
    ]);
    expect(result.dateCells).toBe(1);
    expect(result.isArray).toBe(true);
    expect(result.display[1]).toEqual(['Ani', '150000', '12/31/2026 0:00:00', '']);
    expect(rt.run('readRect', [1, 1, 0, 3]).error?.message).toBe('The number of rows in the range must be at least 1.');
    expect(rt.run('readRect', [1, 1, 1, 0]).error?.message).toBe('The number of columns in the range must be at least 1.');
    expect(rt.run('readRect', [0, 1, 1, 1]).error?.message).toBe('The starting row of the range is too small.');
  });

  it('throws on an empty sheet where Apps Script does (getLastRow() is 0)', () => {
    const { rt } = runtime();
    rt.spreadsheet.addSheet('Empty');
    expect(rt.run('lastRowAndEmptyRead').error?.message).toBe('The number of rows in the range must be at least 1.');
  });

  it('checks setValues dimensions with Apps Script messages', () => {
    const { rt } = runtime();
    expect(rt.run('setValuesMismatch').error?.message).toBe(
      'The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.',
    );
  });

  it('types rows like a person in the spreadsheet locale', () => {
    const { rt } = runtime();
    rt.spreadsheet.typeRows('Customers', [
      ['Name', 'Phone', 'Amount', 'Due', 'Paid'],
      ['Ani', '0812345678', '150,000', '12/31/2026', 'TRUE'],
    ]);
    expect(rt.spreadsheet.values('Customers')[1]).toEqual(['Ani', 812345678, 150000, new Date('2026-12-30T17:00:00Z'), true]);
    const id = runtime({ spreadsheetLocale: 'id_ID' }).rt;
    id.spreadsheet.typeRows('Pelanggan', [['1.500', '1,5', '31/12/2026', '1.5']]);
    expect(id.spreadsheet.values('Pelanggan')[0]).toEqual([1500, 1.5, new Date('2026-12-30T17:00:00Z'), '1.5']);
    expect(id.spreadsheet.displayValues('Pelanggan')[0]?.[1]).toBe('1,5');
  });

  it('shows display values through number formats', () => {
    const { rt } = runtime();
    const sheet = rt.spreadsheet.addSheet('Formats', [[1234.5, 0.25, new Date('2026-12-30T17:00:00Z'), 62812, true]]);
    sheet.setNumberFormat('A1', '#,##0.00');
    sheet.setNumberFormat('B1', '0%');
    sheet.setNumberFormat('C1', 'dd/mm/yyyy');
    sheet.setNumberFormat('D1', '@');
    expect(rt.spreadsheet.displayValues('Formats')).toEqual([['1,234.50', '25%', '31/12/2026', '62812', 'TRUE']]);
  });

  it('appends after the last row and sorts below the frozen rows', () => {
    const { rt } = runtime();
    const sheet = rt.spreadsheet.addSheet('Customers', [['Name', 'Amount']]);
    sheet.frozenRows = 1;
    const result = rt.run('appendAndSort', [
      [
        ['Budi', 300],
        ['Ani', 100],
        ['Cici', ''],
      ],
    ]).value;
    expect(result).toEqual([
      ['Name', 'Amount'],
      ['Ani', 100],
      ['Budi', 300],
      ['Cici', ''],
    ]);
  });

  it('keeps selection and active sheet for UI executions only', () => {
    const { rt } = runtime();
    rt.spreadsheet.addSheet('Customers', [['a']]);
    rt.spreadsheet.addSheet('Other', [['b']]);
    rt.spreadsheet.setSelection('Customers', 'A2:C4');
    expect(rt.spreadsheet.activeSheet.name).toBe('Customers');
    expect(rt.run('read', ['A1']).value).toMatchObject({ values: [['a']] });
    expect(rt.run('read', ['A1'], { trigger: true }).value).toMatchObject({ values: [['']] });
  });
});

describe('UrlFetchApp', () => {
  it('builds the request: upper-case method, Content-Type from contentType, JSON payload', () => {
    const { rt, http } = runtime();
    const execution = rt.run('fetchOne', [
      'https://api.mayar.id/hl/v1/invoice',
      { method: 'post', contentType: 'application/json', payload: '{"a":1}', headers: { Authorization: 'Bearer k' } },
    ]);
    expect(execution.value).toMatchObject({ code: 200, body: '{"ok":true}', headers: { 'Content-Type': 'application/json' } });
    expect(http.received[0]).toMatchObject({
      url: 'https://api.mayar.id/hl/v1/invoice',
      method: 'POST',
      body: '{"a":1}',
      headers: { Authorization: 'Bearer k', 'Content-Type': 'application/json' },
    });
    expect(execution.elapsedMs).toBe(100 + rt.costs.fetchOverheadMs);
  });

  it('throws for a status >= 400 unless muted, with the server answer truncated to 100 chars', () => {
    const { rt } = runtime({ http: server({ 'https://x.test/a': { status: 500, body: 'E'.repeat(150) } }).handle });
    const failed = rt.run('fetchOne', ['https://x.test/a']);
    expect(failed.error?.message).toBe(
      `Request failed for https://x.test/a returned code 500. Truncated server response: ${'E'.repeat(100)} (use muteHttpExceptions option to examine full response)`,
    );
    expect(rt.run('fetchOne', ['https://x.test/a', { muteHttpExceptions: true }]).value).toMatchObject({ code: 500 });
  });

  it('fetchAll sends every request in order, costs the slowest, returns responses in order', () => {
    const urls = ['https://x.test/1', 'https://x.test/2', 'https://x.test/3'];
    const http = server({ 'https://x.test/2': { latencyMs: 900 }, 'https://x.test/3': { status: 429 } });
    const { rt } = runtime({ http: http.handle });
    const execution = rt.run('fetchAll', [urls, true]);
    expect(execution.value).toEqual([200, 200, 429]);
    expect(http.received.map((r) => r.url)).toEqual(urls);
    expect(execution.elapsedMs).toBe(900 + 50);
    expect(execution.fetchRequests).toBe(3);
    expect(rt.stats.urlFetchCalls).toBe(1);
    expect(rt.stats.urlFetchRequests).toBe(3);
  });

  it('fetchAll throws for the whole batch after every request reached the server', () => {
    const urls = ['https://x.test/1', 'https://x.test/2', 'https://x.test/3'];
    const http = server({
      'https://x.test/2': { kind: 'network-error', message: 'Address unavailable: https://x.test/2', latencyMs: 30_000, reachedServer: true },
    });
    const { rt } = runtime({ http: http.handle });
    const execution = rt.run('fetchAll', [urls, true]);
    expect(execution.error?.message).toBe('Address unavailable: https://x.test/2');
    expect(http.received.map((r) => r.url)).toEqual(urls);
    expect(execution.elapsedMs).toBe(30_000 + 50);
    const unmuted = runtime({ http: server({ 'https://x.test/3': { status: 401, body: 'no' } }).handle }).rt.run('fetchAll', [urls, false]);
    expect(unmuted.error?.message).toMatch(/^Request failed for https:\/\/x\.test\/3 returned code 401\./);
  });
});

describe('time limit and kills', () => {
  it('kills an execution at 6 minutes; nothing after the kill runs, even if caught', () => {
    const { rt } = runtime();
    const burned = rt.run('burn');
    expect(burned).toMatchObject({ killed: true, elapsedMs: 360_000 });
    expect(burned.error?.message).toBe(TIMEOUT_MESSAGE);
    const caught = rt.run('burnAndCatch');
    expect(caught.killed).toBe(true);
    expect(caught.value).toBeUndefined();
    expect(rt.properties.document.get('after')).toBeNull();
    expect(rt.stats.killed).toBe(2);
  });

  it('kills at a given service call, before or after it takes effect', () => {
    const url = 'https://x.test/pay';
    const probe = runtime();
    const full = probe.rt.run('writeThenFetch', [url]);
    const setValueAt = callIndexOf(full, 'Range.setValue');
    const fetchAt = callIndexOf(full, 'UrlFetchApp.fetch');
    expect([setValueAt, fetchAt]).toEqual([3, 4]);

    const before = runtime();
    expect(before.rt.run('writeThenFetch', [url], { kill: { atCall: setValueAt } })).toMatchObject({ killed: true });
    expect(before.rt.spreadsheet.cell('Sheet1', 'A1')).toBe('');

    // The write takes effect, but is still pending when the execution dies: it is lost
    // (test/tools/pending-writes.test.ts).
    const after = runtime();
    const afterWrite = after.rt.run('writeThenFetch', [url], { kill: { atCall: setValueAt, phase: 'after' } });
    expect(afterWrite).toMatchObject({ killed: true, lostWrites: 1 });
    expect(after.rt.spreadsheet.cell('Sheet1', 'A1')).toBe('');
    expect(after.http.received).toHaveLength(0);

    const fetchBefore = runtime();
    fetchBefore.rt.run('writeThenFetch', [url], { kill: { atCall: fetchAt } });
    expect(fetchBefore.http.received).toHaveLength(0);

    const fetchAfter = runtime();
    const died = fetchAfter.rt.run('writeThenFetch', [url], { kill: { atCall: fetchAt, phase: 'after' } });
    expect(fetchAfter.http.received).toHaveLength(1);
    expect(died.killed).toBe(true);
    expect(died.value).toBeUndefined();
  });

  it('kills the next execution of a function, whatever starts it', () => {
    const { rt } = runtime();
    rt.run('scheduleAfter', [60_000]);
    rt.killNext('onTick', { atCall: 2, phase: 'after' });
    const [fired] = rt.advance(60_000);
    expect(fired?.killed).toBe(true);
    expect(fired?.callLog).toEqual(['PropertiesService.getScriptProperties', 'Properties.getProperty']);
    expect(rt.properties.script.get('ticks')).toBeNull();
  });

  it('keeps the clock on whole milliseconds', () => {
    const { rt } = runtime({ costs: { perCellReadMs: 0.013 } });
    rt.spreadsheet.addSheet('Data', [[1, 2, 3]]);
    const execution = rt.run('read', ['A1:C1']);
    expect(Number.isInteger(execution.elapsedMs)).toBe(true);
    rt.advance(0.5);
    expect(Number.isInteger(rt.clock.now())).toBe(true);
  });

  it('counts Utilities.sleep and burns execution time with it', () => {
    const { rt } = runtime();
    expect(rt.run('sleepy', [5000]).value).toBe(START + 5000);
    expect(rt.stats).toMatchObject({ sleepCalls: 1, sleepMs: 5000 });
    expect(rt.run('sleepy', [400_000]).killed).toBe(true);
  });
});

describe('quotas', () => {
  it('gives onOpen the 30-second limit of simple triggers', () => {
    const { rt } = runtime({ costs: { uiMs: 40_000 } });
    const opened = rt.open();
    expect(opened.killed).toBe(true);
    expect(opened.elapsedMs).toBe(30_000);
    expect(rt.run('ask').killed).toBe(false);
  });

  it('refuses UrlFetch calls over the daily quota, counting every request of a fetchAll', () => {
    const { rt, http } = runtime({ urlFetchDailyQuota: 4 });
    expect(rt.run('fetchAll', [['https://x.test/1', 'https://x.test/2', 'https://x.test/3'], true]).error).toBeUndefined();
    expect(rt.run('fetchAll', [['https://x.test/4', 'https://x.test/5'], true]).error?.message).toBe(URLFETCH_QUOTA_MESSAGE);
    expect(http.received).toHaveLength(3);
    expect(rt.urlFetchesToday()).toBe(3);
    rt.advance(24 * 3600_000);
    expect(rt.run('fetchOne', ['https://x.test/6']).error).toBeUndefined();
  });

  it('stops running triggers of a user who used up the daily trigger runtime', () => {
    const { rt } = runtime({ triggerRuntimeDailyMs: 100 });
    rt.run('scheduleEvery', [1]);
    const runs = rt.advance(3 * 60_000);
    expect(runs.map((r) => r.error?.message ?? 'ok')).toEqual(['ok', 'ok', TRIGGER_RUNTIME_QUOTA_MESSAGE]);
    expect(rt.triggerRuntimeToday()).toBeGreaterThanOrEqual(100);
  });
});

describe('LockService', () => {
  it('fails while another owner holds the document lock, waiting the timeout', () => {
    const { rt } = runtime();
    rt.lock.holdDocumentLock('execution of another editor');
    const tried = rt.run('tryDocumentLock', [2000]);
    expect(tried.value).toBe(false);
    expect(tried.elapsedMs).toBe(2000 + rt.costs.lockMs);
    expect(rt.run('waitDocumentLock', [1000]).error?.message).toBe(LOCK_TIMEOUT_MESSAGE);
    rt.lock.releaseDocumentLock();
    expect(rt.run('tryDocumentLock', [2000]).value).toBe(true);
    // Apps Script releases the locks of an ended execution.
    expect(rt.lock.holder()).toBeNull();
  });

  it('releases the lock of a killed execution', () => {
    const { rt } = runtime();
    expect(rt.run('lockAndBurn').killed).toBe(true);
    expect(rt.lock.holder()).toBeNull();
    expect(rt.run('tryDocumentLock', [0]).value).toBe(true);
  });
});

describe('triggers', () => {
  it('fires a one-off trigger once, as its creator, when the clock reaches it', () => {
    const { rt } = runtime();
    const id = rt.run('scheduleAfter', [60_000], { user: 'editor@example.com' }).value;
    expect(rt.triggers).toHaveLength(1);
    expect(rt.nextTriggerAt()).toBe(START + 60_000);
    expect(rt.advance(30_000)).toHaveLength(0);
    const fired = rt.advance(60_000);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ fn: 'onTick', user: 'editor@example.com', kind: 'trigger' });
    expect(rt.properties.script.all()).toMatchObject({ ticks: '1', lastUid: id, lastUser: 'editor@example.com' });
    expect(rt.triggers).toHaveLength(0);
    expect(rt.stats.triggersFired).toBe(1);
  });

  it('refires recurring triggers', () => {
    const { rt } = runtime();
    rt.run('scheduleEvery', [5]);
    expect(rt.run('scheduleEvery', [7]).error?.message).toMatch(/everyMinutes/);
    expect(rt.advance(30 * 60_000)).toHaveLength(6);
    expect(rt.triggers).toHaveLength(1);
  });

  it('allows 20 triggers per user and shows each user only their own', () => {
    const { rt } = runtime();
    const tooMany = rt.run('makeTriggers', [21]);
    expect(tooMany.error?.message).toBe(TOO_MANY_TRIGGERS);
    expect(rt.run('countTriggers').value).toBe(20);
    expect(rt.run('makeTriggers', [5], { user: 'other@example.com' }).value).toBe(5);
    expect(rt.run('deleteAllTriggers').value).toBe(0);
    expect(rt.triggers).toHaveLength(5);
  });

  it('has no UI in a trigger execution', () => {
    const { rt } = runtime();
    expect(rt.run('triggerUi', [], { trigger: true }).error?.message).toBe('Cannot call SpreadsheetApp.getUi() from this context.');
  });

  it('drives a trigger chain until no trigger is left', () => {
    const { rt } = runtime();
    rt.run('scheduleAfter', [60_000, 'chainTick']);
    const runs = driveByTriggers(rt, 24 * 3600_000);
    expect(runs.map((r) => r.fn)).toEqual(['chainTick', 'chainTick', 'chainTick']);
    expect(rt.properties.script.get('chain')).toBe('3');
    expect(rt.nextTriggerAt()).toBeNull();
  });
});

describe('PropertiesService', () => {
  it('rejects a value over 9 KB and a store over 500 KB', () => {
    const { rt } = runtime();
    expect(rt.run('setUserProp', ['k', 9000]).value).toBe(1);
    expect(rt.run('setUserProp', ['k', 9300]).error?.message).toBe('Argument too large: value');
    expect(rt.properties.user('owner@example.com').get('k')).toHaveLength(9000);
    expect(rt.properties.user('someone@example.com').keys()).toEqual([]);
    const full = rt.run('fillDocumentProps', [60, 9000]);
    expect(full.error?.message).toBe('You have exceeded the property storage quota. Please remove some properties and try again.');
    expect(rt.properties.document.size()).toBeLessThanOrEqual(500 * 1024);
  });

  it('measures a value in UTF-8 bytes, not characters', () => {
    const { rt } = runtime();
    // 4,000 characters of "é" are 8,000 bytes: they fit; 4,700 are 9,400 bytes: too large.
    expect(rt.run('setUserProp', ['k', 4000, 'é']).error).toBeUndefined();
    expect(rt.run('setUserProp', ['k', 4700, 'é']).error?.message).toBe('Argument too large: value');
    // An emoji is 4 bytes: 2,400 of them (4,800 characters) are 9,600 bytes.
    expect(rt.run('setUserProp', ['k', 2400, '🙏']).error?.message).toBe('Argument too large: value');
    expect(rt.properties.user('owner@example.com').get('k')).toHaveLength(4000);
  });
});

describe('Utilities.formatDate', () => {
  it('formats Java patterns in any time zone', () => {
    const { rt } = runtime();
    const winter = rt.run('formatDates', [START, "yyyy-MM-dd'T'HH:mm:ssXXX"]).value;
    expect(winter).toEqual({ jakarta: '2026-11-25T10:00:00+07:00', newYork: '2026-11-24T22:00:00-05:00', utc: '2026-11-25T03:00:00Z' });
    const summer = rt.run('formatDates', [Date.parse('2026-07-01T12:00:00Z'), 'XXX Z X']).value;
    expect(summer).toEqual({ jakarta: '+07:00 +0700 +07', newYork: '-04:00 -0400 -04', utc: 'Z +0000 Z' });
    const words = rt.run('formatDates', [START + 7, "EEE, d MMM yyyy hh:mm a 'at' SSS yy M dd H ''z''"]).value as Record<string, string>;
    expect(words.jakarta).toBe("Wed, 25 Nov 2026 10:00 AM at 007 26 11 25 10 'WIB'");
    expect(words.newYork).toBe("Tue, 24 Nov 2026 10:00 PM at 007 26 11 24 22 'EST'");
  });
});

describe('UI', () => {
  it('answers alerts and prompts from the scripted queue, defaulting to OK/YES and empty text', () => {
    const { rt } = runtime();
    rt.ui.answers.push('NO', { button: 'OK', text: 'secret-key' });
    expect(rt.run('ask').value).toEqual({ alert: 'NO', alertIsYes: false, text: 'secret-key', button: 'OK' });
    expect(rt.ui.alerts[0]).toMatchObject({ title: 'Create links', message: 'Send 3 rows to Mayar?', buttons: 'YES_NO', answer: 'NO' });
    expect(rt.ui.prompts[0]).toMatchObject({ title: 'API key', buttons: 'OK_CANCEL', text: 'secret-key' });
    expect(rt.run('ask').value).toEqual({ alert: 'YES', alertIsYes: true, text: '', button: 'OK' });
    rt.ui.answers.push('YES', 'CANCEL');
    expect(rt.run('ask').value).toMatchObject({ text: '', button: 'CANCEL' });
  });

  it('records menus built in onOpen, even in AuthMode.NONE, where other services are refused', () => {
    const { rt } = runtime();
    expect(rt.open({ authMode: 'NONE' }).error).toBeUndefined();
    expect(rt.ui.menus).toEqual([
      {
        title: 'Mayar Sheets',
        addon: true,
        items: [
          { kind: 'item', caption: 'Create payment links', functionName: 'startRun' },
          { kind: 'separator' },
          { kind: 'item', caption: 'Settings', functionName: 'showSidebar' },
        ],
      },
    ]);
    expect(rt.run('readSettings', [], { authMode: 'NONE' }).error?.message).toMatch(
      /You do not have permission to call PropertiesService\.getDocumentProperties/,
    );
  });

  it('shows sidebars from HTML files next to the bundle', () => {
    const { rt } = runtime();
    expect(rt.run('showSidebar').error).toBeUndefined();
    expect(rt.ui.sidebars[0]?.title).toBe('Mayar Sheets');
    expect(rt.ui.sidebars[0]?.html).toContain('fixture sidebar');
    expect(rt.run('showSidebar', ['Missing']).error?.message).toBe('No HTML file named Missing was found.');
  });
});

describe('web app and drivers', () => {
  it('runs doPost with the Apps Script event and returns the ContentService output', () => {
    const { rt } = runtime();
    const execution = rt.post({ token: 't0k' }, JSON.stringify({ id: 'pay_1' }));
    const output = execution.value as { getContent(): string; getMimeType(): unknown };
    expect(JSON.parse(output.getContent())).toEqual({ ok: true, id: 'pay_1', token: 't0k', user: '' });
    expect(String(output.getMimeType())).toBe('JSON');
    expect(rt.properties.document.get('webhook')).toBe('pay_1');
    expect(execution.kind).toBe('webapp');
  });

  it('drives processNextBatch like an open sidebar, waiting waitMs between calls', () => {
    const { rt } = runtime();
    rt.run('startJob', [5]);
    const before = rt.clock.now();
    const { steps, result } = driveLikeSidebar(rt);
    expect(steps).toHaveLength(3);
    expect(result).toEqual({ done: true, waitMs: 60000, processed: 1 });
    expect(rt.properties.document.get('done')).toBe('5');
    expect(rt.clock.now() - before).toBeGreaterThanOrEqual(120_000);
  });

  it('passes only plain values through google.script.run', () => {
    const { rt } = runtime();
    expect(sidebarCall(rt, 'returnsDate').value).toBeNull();
    expect(() => sidebarCall(rt, 'secret_')).toThrow(/private/);
    expect(() => sidebarCall(rt, 'bump', [new Date()])).toThrow(/plain values/);
  });
});

/**
 * Pending Sheets writes: Apps Script bundles spreadsheet operations and applies them on
 * SpreadsheetApp.flush(), before a read of the sheet, or at the normal end of the execution
 * (https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app#flush()).
 * The fake holds an execution's writes until then and loses them when the execution is killed.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callIndexOf, GasRuntime, type HttpOutcome, type HttpRequest, TIMEOUT_MESSAGE } from '../../tools/apps-script/gas-runtime';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const URL_ = 'https://x.test/pay';

function runtime() {
  const received: HttpRequest[] = [];
  const rt = new GasRuntime({
    bundleDir: FIXTURES,
    triggerLateness: { minMs: 0, maxMs: 0 },
    http: (request): HttpOutcome => {
      received.push(request);
      return { kind: 'response', status: 200, headers: {}, body: '{}', latencyMs: 100 };
    },
  });
  rt.spreadsheet.addSheet('Sheet1', [['before']]);
  return { rt, received };
}

type Step = (string | number)[];

/** Runs `steps` once to find the call index of the `nth` call named `name`, then again killed there. */
function killedAt(list: Step[], name: string, phase: 'before' | 'after' = 'before', nth = 1) {
  const probe = runtime().rt.run('steps', [list]);
  let at = 0;
  for (let seen = 0; seen < nth; seen++) at = probe.callLog.indexOf(name, at) + 1;
  expect(at).toBeGreaterThan(0);
  const world = runtime();
  const execution = world.rt.run('steps', [list], { kill: { atCall: at, phase } });
  expect(execution.killed).toBe(true);
  return { ...world, execution };
}

describe('pending Sheets writes', () => {
  it('applies the writes at the normal end of the execution', () => {
    const { rt } = runtime();
    const execution = rt.run('steps', [[['set', 'A1', 'written']]]);
    expect(execution).toMatchObject({ killed: false, lostWrites: 0 });
    expect(rt.spreadsheet.cell('Sheet1', 'A1')).toBe('written');
    expect(rt.spreadsheet.pendingCells).toBe(0);
  });

  it('applies them when the execution ends with an error it did not catch', () => {
    const { rt } = runtime();
    const execution = rt.run('steps', [[['set', 'A1', 'written'], ['throw']]]);
    expect(execution.error?.message).toBe('planned failure');
    expect(execution.killed).toBe(false);
    expect(rt.spreadsheet.cell('Sheet1', 'A1')).toBe('written');
  });

  it('loses a write still pending when the execution is killed at the next call', () => {
    const { rt, received, execution } = killedAt(
      [
        ['set', 'A1', 'written'],
        ['fetch', URL_],
      ],
      'UrlFetchApp.fetch',
    );
    expect(execution.lostWrites).toBe(1);
    expect(rt.spreadsheet.cell('Sheet1', 'A1')).toBe('before');
    expect(received).toHaveLength(0);
  });

  it('loses it too when the request went out before the kill: the mark is gone, the side effect is not', () => {
    const { rt, received } = killedAt(
      [
        ['set', 'A1', 'written'],
        ['fetch', URL_],
      ],
      'UrlFetchApp.fetch',
      'after',
    );
    expect(rt.spreadsheet.cell('Sheet1', 'A1')).toBe('before');
    expect(received).toHaveLength(1);
  });

  it('keeps a write flushed before the kill', () => {
    const { rt, received, execution } = killedAt([['set', 'A1', 'written'], ['flush'], ['fetch', URL_]], 'UrlFetchApp.fetch', 'after');
    expect(execution.lostWrites).toBe(0);
    expect(rt.spreadsheet.cell('Sheet1', 'A1')).toBe('written');
    expect(received).toHaveLength(1);
  });

  it('a flush killed before it applies nothing; killed after it, it has applied', () => {
    const list: Step[] = [['set', 'A1', 'written'], ['flush'], ['fetch', URL_]];
    expect(killedAt(list, 'SpreadsheetApp.flush', 'before').rt.spreadsheet.cell('Sheet1', 'A1')).toBe('before');
    expect(killedAt(list, 'SpreadsheetApp.flush', 'after').rt.spreadsheet.cell('Sheet1', 'A1')).toBe('written');
  });

  it('a read of the same sheet sees the pending write and applies it', () => {
    const { rt, execution } = killedAt(
      [
        ['set', 'A1', 'written'],
        ['read', 'A1'],
        ['fetch', URL_],
      ],
      'UrlFetchApp.fetch',
    );
    expect(rt.spreadsheet.cell('Sheet1', 'A1')).toBe('written');
    expect(execution.lostWrites).toBe(0);
    const full = runtime().rt.run('steps', [
      [
        ['set', 'A1', 'written'],
        ['read', 'A1'],
      ],
    ]);
    expect(full.value).toEqual(['written']);
  });

  it('a read of another sheet does not apply the pending write', () => {
    const list: Step[] = [
      ['set', 'A1', 'written'],
      ['readOn', 'Other', 'A1'],
      ['fetch', URL_],
    ];
    const probe = runtime();
    probe.rt.spreadsheet.addSheet('Other', [['x']]);
    probe.rt.spreadsheet.setActiveSheet('Sheet1');
    const at = callIndexOf(probe.rt.run('steps', [list]), 'UrlFetchApp.fetch');
    const { rt } = runtime();
    rt.spreadsheet.addSheet('Other', [['x']]);
    rt.spreadsheet.setActiveSheet('Sheet1');
    const execution = rt.run('steps', [list], { kill: { atCall: at } });
    expect(execution).toMatchObject({ killed: true, lostWrites: 1 });
    expect(rt.spreadsheet.cell('Sheet1', 'A1')).toBe('before');
  });

  it('loses every write since the last flush when the execution hits the 6-minute limit', () => {
    const { rt } = runtime();
    const execution = rt.run('steps', [[['set', 'A1', 'kept'], ['flush'], ['set', 'A1', 'lost'], ['set', 'B2', 'lost too'], ['burn']]]);
    expect(execution.error?.message).toBe(TIMEOUT_MESSAGE);
    expect(execution.lostWrites).toBe(2);
    expect(rt.spreadsheet.cell('Sheet1', 'A1')).toBe('kept');
    expect(rt.spreadsheet.cell('Sheet1', 'B2')).toBe('');
  });

  it('a person’s edit made while the execution runs survives the lost batch', () => {
    const list: Step[] = [
      ['set', 'A1', 'written'],
      ['set', 'B1', 'written'],
      ['fetch', URL_],
    ];
    const at = callIndexOf(runtime().rt.run('steps', [list]), 'UrlFetchApp.fetch');
    let rt: GasRuntime | null = null;
    rt = new GasRuntime({
      bundleDir: FIXTURES,
      http: (): HttpOutcome => {
        // The teammate types into A1 while the request is on its way.
        rt?.spreadsheet.sheet('Sheet1').putRaw(1, 1, 'typed by a teammate');
        return { kind: 'response', status: 200, headers: {}, body: '{}', latencyMs: 100 };
      },
    });
    rt.spreadsheet.addSheet('Sheet1', [['before']]);
    const execution = rt.run('steps', [list], { kill: { atCall: at, phase: 'after' } });
    expect(execution).toMatchObject({ killed: true, lostWrites: 1 });
    expect(rt.spreadsheet.cell('Sheet1', 'A1')).toBe('typed by a teammate');
    expect(rt.spreadsheet.cell('Sheet1', 'B1')).toBe('');
  });
});

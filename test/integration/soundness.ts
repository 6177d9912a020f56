/**
 * What a user would check after a run, as assertions shared by the integration tests: every row
 * ends with its link or a clear status/error, no payment is made twice, nothing is in the sheet
 * twice, nothing made is lost, the Mayar Log has a row for every attempt, and no execution ran
 * into the time limit or slept.
 */
import { expect } from 'vitest';
import { type KillSpec, TIMEOUT_MESSAGE } from '../../tools/apps-script/gas-runtime';
import type { HttpRequest, RequestLogEntry } from '../../tools/mayar/mayar-simulator';
import { SHEET, type World } from '../support/world';

export const LOG = 'Mayar Log';
export const LINK = /^https:\/\/mayarsheets\.myr\.lat\/pl\/[0-9a-z]+$/;

export interface SentCreate {
  at: number;
  name: string;
  amount: number;
  description: string;
  sheetRowKey: string;
}

export function isCreate(request: HttpRequest): boolean {
  return request.method.toUpperCase() === 'POST' && request.url.endsWith('/payments/create');
}

export function isList(request: HttpRequest): boolean {
  return request.method.toUpperCase() === 'GET' && /\/payments\?/.test(request.url);
}

function bodyOf(request: HttpRequest): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(request.body ?? '');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Most requests in any 60-second window (a request at t counts in (t - 60s, t]). */
export function busiestMinute(requests: readonly RequestLogEntry[]): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (const end of times) most = Math.max(most, times.filter((t) => t > end - 60_000 && t <= end).length);
  return most;
}

/** Matches the create request for one customer (by name). */
export function createFor(name: string): (request: HttpRequest) => boolean {
  return (request) => isCreate(request) && bodyOf(request).name === name;
}

/** Records every create request that leaves for Mayar (after those already in `before`, for a copied world). */
export function watchCreates(world: World, before: readonly SentCreate[] = []): SentCreate[] {
  const sent: SentCreate[] = before.map((s) => ({ ...s }));
  world.onRequest((request) => {
    if (!isCreate(request)) return;
    const body = bodyOf(request);
    const extra = body.extraData as Record<string, unknown> | undefined;
    sent.push({
      at: world.runtime.clock.now(),
      name: String(body.name ?? ''),
      amount: Number(body.amount),
      description: String(body.description ?? ''),
      sheetRowKey: String(extra?.sheetRowKey ?? ''),
    });
  });
  return sent;
}

export function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

export function contentOf(row: Record<string, unknown>): string {
  return `${text(row.Name)}|${text(row.Amount)}|${text(row.Description)}`;
}

export interface SoundOptions {
  /** The test kills executions on purpose. */
  killedOnPurpose?: boolean;
  /** Payments Mayar had before the run, made elsewhere: content → how many. */
  preexisting?: Record<string, number>;
  /** Payments whose row was deleted during the run: in the Mayar Log, not in the sheet. */
  unplaced?: number;
  /** Data rows that are not part of any run (added and left alone). */
  untouched?: number;
}

function reviewNames(rows: readonly Record<string, unknown>[]): Set<string> {
  return new Set(rows.filter((r) => r.Status === 'Needs review').map((r) => text(r.Name)));
}

/** Every assertion a user would make by looking at the sheet, the log and Mayar's dashboard. */
export function expectSound(world: World, sent: readonly SentCreate[], options: SoundOptions = {}): void {
  const rows = world.rows();
  const idsInSheet = new Set<string>();
  const linksInSheet = new Set<string>();
  const rowsPerContent = new Map<string, number>();
  let untouched = 0;
  rows.forEach((row, i) => {
    const where = `row ${i + 2} (${text(row.Name)})`;
    if (text(row.Name) === '' && text(row.Amount) === '') return;
    rowsPerContent.set(contentOf(row), (rowsPerContent.get(contentOf(row)) ?? 0) + 1);
    const link = text(row['Payment Link']);
    const id = text(row['Payment ID']);
    const status = text(row.Status);
    const error = text(row.Error);
    if (id !== '' || link !== '') {
      expect(link, where).toMatch(LINK);
      expect(idsInSheet.has(id), `${where}: Payment ID ${id} is in the sheet twice`).toBe(false);
      expect(linksInSheet.has(link), `${where}: link ${link} is in the sheet twice`).toBe(false);
      idsInSheet.add(id);
      linksInSheet.add(link);
      const payment = world.sim.payment(id);
      expect(payment, `${where}: Mayar has no payment ${id}`).toBeDefined();
      expect({ name: payment?.name, amount: payment?.amount, description: payment?.description, link: payment?.link }, where).toEqual({
        name: text(row.Name),
        amount: row.Amount,
        description: text(row.Description),
        link,
      });
      expect(status, where).toBe('Unpaid');
      expect(error, where).toBe('');
    } else if (status === '' && error === '') {
      untouched++;
    } else {
      // No link: a clear error says why, with Status empty (run again) or Needs review.
      expect(error, `${where}: Status without an Error`).not.toBe('');
      expect(['', 'Needs review'], where).toContain(status);
    }
  });
  expect(untouched, 'rows with neither a link nor a status or error').toBe(options.untouched ?? 0);

  // No payment twice: one per row with that content (identical rows are separate invoices).
  const preexisting = options.preexisting ?? {};
  for (const [content, count] of world.sim.createsByContent()) {
    const allowed = Math.max(1, rowsPerContent.get(content) ?? 0) + (preexisting[content] ?? 0);
    expect(count, `payments for ${content}`).toBeLessThanOrEqual(allowed);
    if (!(content in preexisting) && (rowsPerContent.get(content) ?? 0) <= 1) expect(count, `payments for ${content}`).toBe(1);
  }
  // Every attempt key went to Mayar once.
  for (const [key, count] of world.sim.createsBy('sheetRowKey')) expect(count, `payments with attempt key ${key}`).toBe(1);

  // Nothing lost: every payment the run made is in the sheet, or in the log when its row was deleted.
  const log = world.rows(LOG).filter((r) => r.Sheet === SHEET);
  const unplaced = log.filter((r) => text(r.Row) === '' && text(r['Payment ID']) !== '').map((r) => text(r['Payment ID']));
  // A row that Needs review may have a payment in Mayar: the user is asked to look.
  const review = reviewNames(rows);
  const ours = world.sim.payments().filter((p) => p.extraData?.sheetRowKey !== undefined && !review.has(p.name));
  for (const payment of ours) {
    expect(idsInSheet.has(payment.id) || unplaced.includes(payment.id), `payment ${payment.id} (${payment.name}) is neither in the sheet nor in the log`).toBe(
      true,
    );
  }
  expect(ours.filter((p) => !idsInSheet.has(p.id)).length, 'payments whose row was deleted').toBe(options.unplaced ?? 0);

  // The Mayar Log: every payment in the sheet, and a "create" row for every create sent.
  const loggedIds = new Set(log.map((r) => text(r['Payment ID'])));
  for (const id of idsInSheet) expect(loggedIds.has(id), `payment ${id} is not in the Mayar Log`).toBe(true);
  const attempts = new Map<string, number>();
  for (const create of sent) attempts.set(create.name, (attempts.get(create.name) ?? 0) + 1);
  const logged = new Map<string, number>();
  for (const entry of log) if (entry.Action === 'create') logged.set(text(entry.Customer), (logged.get(text(entry.Customer)) ?? 0) + 1);
  if (!options.killedOnPurpose) expect(Object.fromEntries(logged), 'Mayar Log rows for create attempts, by customer').toEqual(Object.fromEntries(attempts));
  else {
    // An execution killed before it could log leaves the attempt to the check that recovers it.
    const named = new Set(log.map((r) => text(r.Customer)));
    expect(
      [...attempts.keys()].filter((name) => !named.has(name)),
      'customers sent to Mayar but not in the log',
    ).toEqual([]);
  }
  const elsewhere = Object.values(preexisting).reduce((a, b) => a + b, 0);
  expect(sent.length, 'create requests seen by Mayar').toBe(world.createRequests() - elsewhere);

  // Executions: none hit the 6-minute limit, none failed unless killed on purpose, none slept.
  const runtime = world.runtime;
  expect(
    runtime.executions.filter((e) => e.error?.message.includes(TIMEOUT_MESSAGE)).map((e) => `#${e.index} ${e.fn}`),
    'executions killed by the time limit',
  ).toEqual([]);
  expect(runtime.executions.filter((e) => e.error && !(options.killedOnPurpose && e.killed)).map((e) => `#${e.index} ${e.fn}: ${e.error?.message}`)).toEqual(
    [],
  );
  if (!options.killedOnPurpose) expect(runtime.stats.killed).toBe(0);
  expect(runtime.stats.sleepCalls, 'Utilities.sleep calls').toBe(0);
  expect(runtime.stats.calls['Utilities.sleep'] ?? 0).toBe(0);
  // The run is over: no continuation trigger is left behind.
  expect(runtime.triggers.filter((t) => t.handler === 'processNextBatch')).toEqual([]);
}

/** The run's final summary, as the sidebar shows it. */
export function summaryOf(view: Record<string, unknown>): string {
  return text(view.message);
}

/** Calls that change nothing: dying after one leaves the same state as dying before the next change. */
function readsOnly(method: string): boolean {
  // newTrigger only starts a builder: nothing exists until its create().
  return /\.(get|has)[A-Z]/.test(method) || method === 'Utilities.formatDate' || method === 'ScriptApp.newTrigger';
}

/**
 * Every distinct point at which an execution can die: before its first call, and after each
 * call that changes something.
 */
export function killPoints(callLog: readonly string[]): KillSpec[] {
  const points: KillSpec[] = [{ atCall: 1, phase: 'before' }];
  callLog.forEach((method, i) => {
    if (!readsOnly(method)) points.push({ atCall: i + 1, phase: 'after' });
  });
  return points;
}

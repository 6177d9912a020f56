/**
 * `npm run bench`: how a big sheet goes, on the virtual clock, against the Mayar simulator at
 * 20 requests a minute. The built add-on (dist/Code.js, driven like the open progress sidebar)
 * beside the naive per-row loop of the usual Apps Script samples (one fetch and one cell write
 * per row, no pacing, run again until every row has its link), both measured by the same
 * in-memory Apps Script runtime. Prints a markdown table. Then refresh payment status: 1,000
 * rows before (one read per row, computed) and after (webhook history, then list pages),
 * 1,000 rows timed by the paid transactions list with no webhook delivered, 120 payments over
 * 3 days whose webhooks all failed, 24 hours of automatic refresh, and how soon a Create
 * clicked during a refresh sends. Then the pace: 1,000 links with Settings as they come (the
 * pace starts at 20 a minute and probes upward) where Mayar allows 50 a minute and where it
 * allows 20. `--refresh` or `--pace` measures only that part.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GasRuntime, type RuntimeStats, TIMEOUT_MESSAGE } from '../tools/apps-script/gas-runtime';
import { MayarSimulator } from '../tools/mayar/mayar-simulator';
import type { RequestLogEntry } from '../tools/mayar/mayar-simulator';
import { customers, SHEET, World } from '../test/support/world';

const RATE = 20;
const SIZES = [100, 1000];
const MINUTE = 60_000;

interface Figures {
  approach: string;
  rows: number;
  totalMs: number;
  runtimeMs: number;
  executions: number;
  killed: number;
  sheetCalls: number;
  urlFetchCalls: number;
  urlFetchRequests: number;
  tooMany: number;
  duplicates: number;
  done: number;
  sleeps: number;
}

type Counters = Pick<RuntimeStats, 'executions' | 'runtimeMs' | 'sheetCalls' | 'urlFetchCalls' | 'urlFetchRequests' | 'killed' | 'sleepCalls'>;

function counters(stats: RuntimeStats): Counters {
  const { executions, runtimeMs, sheetCalls, urlFetchCalls, urlFetchRequests, killed, sleepCalls } = stats;
  return { executions, runtimeMs, sheetCalls, urlFetchCalls, urlFetchRequests, killed, sleepCalls };
}

/** Payments Mayar made beyond one per row content. */
function duplicates(sim: MayarSimulator): number {
  let extra = 0;
  for (const count of sim.createsByContent().values()) extra += count - 1;
  return extra;
}

function tooManyRequests(sim: MayarSimulator): number {
  return sim.requests.filter((r) => r.status === 429).length;
}

function figures(approach: string, rows: number, runtime: GasRuntime, sim: MayarSimulator, before: Counters, startedAt: number, done: number): Figures {
  const after = counters(runtime.stats);
  return {
    approach,
    rows,
    totalMs: runtime.clock.now() - startedAt,
    runtimeMs: after.runtimeMs - before.runtimeMs,
    executions: after.executions - before.executions,
    killed: after.killed - before.killed,
    sheetCalls: after.sheetCalls - before.sheetCalls,
    urlFetchCalls: after.urlFetchCalls - before.urlFetchCalls,
    urlFetchRequests: after.urlFetchRequests - before.urlFetchRequests,
    tooMany: tooManyRequests(sim),
    duplicates: duplicates(sim),
    done,
    sleeps: after.sleepCalls - before.sleepCalls,
  };
}

// ---- The add-on ------------------------------------------------------------------------------

function addOn(rows: number): Figures {
  const world = new World({ rows: customers(rows), ratePerMinute: RATE, serverRatePerMinute: RATE });
  const before = counters(world.runtime.stats);
  const startedAt = world.runtime.clock.now();
  const click = world.run('createPaymentLinks');
  const view = (click.value ?? {}) as { done?: boolean; waitMs?: number };
  if (view.done !== true) {
    // The progress sidebar opens and calls processNextBatch after the wait the click returned.
    world.runtime.advance(view.waitMs ?? 0);
    world.driveToEnd(10_000);
  }
  const done = world.column('Payment Link').filter((link) => typeof link === 'string' && link.startsWith('https://')).length;
  return figures('Mayar Sheets (click + progress sidebar)', rows, world.runtime, world.sim, before, startedAt, done);
}

// ---- The naive loop --------------------------------------------------------------------------

/** What most Apps Script samples do: for each row, fetch, then write the answer into one cell. */
const NAIVE_CODE = `
var API = 'https://api.mayar.club/hl/v2/payments/create';

function createPaymentLinks() {
  var sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('${SHEET}');
  var rows = sheet.getDataRange().getValues();
  var key = PropertiesService.getScriptProperties().getProperty('MAYAR_API_KEY');
  for (var i = 1; i < rows.length; i++) {
    var row = rows[i];
    if (String(row[5]).indexOf('https://') === 0) continue;
    var response = UrlFetchApp.fetch(API, {
      method: 'post',
      contentType: 'application/json',
      headers: { Authorization: 'Bearer ' + key },
      payload: JSON.stringify({ name: row[0], amount: row[1], email: row[2], description: row[3], expiredAt: new Date(row[4]).toISOString() }),
      muteHttpExceptions: true
    });
    var body = JSON.parse(response.getContentText());
    sheet.getRange(i + 1, 6).setValue(body.data && body.data.link ? body.data.link : 'Error: ' + body.messages);
  }
}
`;

/** Runs the naive loop, and runs it again at once whenever it ends, until every row has a link. */
function naive(rows: number, bundleDir: string): Figures {
  let runtime: GasRuntime | null = null;
  const sim = new MayarSimulator({ now: () => (runtime ? runtime.clock.now() : 0), ratePerMinute: RATE, latencyMs: 300 });
  runtime = new GasRuntime({ http: sim.handler, bundleDir });
  const key = MayarSimulator.makeKey('naive');
  sim.addKey(key, { environment: 'sandbox' });
  runtime.properties.script.set('MAYAR_API_KEY', key);
  const data = customers(rows);
  data[0]?.push('Payment Link');
  runtime.spreadsheet.typeRows(SHEET, data);
  const linked = (): number =>
    runtime.spreadsheet
      .values(SHEET)
      .slice(1)
      .filter((r) => String(r[5] ?? '').startsWith('https://')).length;

  const before = counters(runtime.stats);
  const startedAt = runtime.clock.now();
  for (let run = 0; run < 1000 && linked() < rows; run++) {
    const execution = runtime.run('createPaymentLinks');
    if (execution.error && !execution.error.message.includes(TIMEOUT_MESSAGE)) throw execution.error;
  }
  return figures('naive per-row loop (run again until done)', rows, runtime, sim, before, startedAt, linked());
}

// ---- Refresh payment status ------------------------------------------------------------------

const HOUR = 60 * MINUTE;
const REFRESH_ROWS = 1000;
const REFRESH_HEADER = ['Name', 'Amount', 'Email', 'Description', 'Expires At', 'Payment Link', 'Payment ID', 'Transaction ID', 'Status', 'Error'];

/** A sheet of `rows` links an earlier run made (payments made in the simulator directly, 3 s apart). */
function sheetWithLinks(rows: number, expiry: (i: number) => string, webhook: boolean): { world: World; ids: string[] } {
  const world = new World({ ratePerMinute: RATE, serverRatePerMinute: RATE });
  world.sim.setRateLimit(1_000_000);
  if (webhook) world.sim.setWebhookUrl('sandbox', 'https://script.google.com/macros/s/AKfy-bench/exec?token=x');
  const table: string[][] = [REFRESH_HEADER];
  const ids: string[] = [];
  for (let i = 0; i < rows; i++) {
    world.runtime.advance(3_000);
    const amount = 10_000 + (i + 1) * 100;
    const body = {
      name: 'Penagihan',
      amount,
      email: `customer${i + 1}@example.com`,
      description: `Invoice ${i + 1}`,
      expiredAt: `${expiry(i)}T23:59:59+07:00`,
    };
    const outcome = world.sim.handler({
      url: 'https://api.mayar.club/hl/v2/payments/create',
      method: 'POST',
      headers: { Authorization: `Bearer ${world.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (outcome.kind !== 'response') throw new Error('create failed');
    const data = (JSON.parse(outcome.body) as { data: { id: string; transactionId: string; link: string } }).data;
    ids.push(data.id);
    table.push([`Customer ${i + 1}`, String(amount), body.email, body.description, expiry(i), data.link, data.id, data.transactionId, 'Unpaid', '']);
  }
  world.runtime.spreadsheet.typeRows(SHEET, table);
  world.sim.setRateLimit(RATE);
  world.runtime.advance(2 * MINUTE);
  return { world, ids };
}

function refreshToEnd(world: World): void {
  const click = world.run('refreshPaymentStatus').value as { done?: boolean; waitMs?: number };
  if (click.done !== true) {
    world.runtime.advance(click.waitMs ?? 0);
    world.driveToEnd(10_000);
  }
}

function logLines(world: World): number {
  try {
    return world.rows('Mayar Log').length;
  } catch {
    return 0;
  }
}

interface RefreshFigures {
  mayarCalls: number;
  urlFetchCalls: number;
  minutes: number;
  right: number;
}

/** 1,000 rows: 10% paid (webhook FAILED), 10% closed, 10% past their expiry, the rest unpaid. */
function refreshOnce(): RefreshFigures {
  const kind = (i: number): string => ['paid', 'closed', 'expired'][i % 10] ?? 'unpaid';
  const { world, ids } = sheetWithLinks(REFRESH_ROWS, (i) => (kind(i) === 'expired' ? '2026-11-26' : '2026-12-31'), true);
  ids.forEach((id, i) => {
    // Payments a second apart: Mayar's cursor is a millisecond, and no two customers pay in the same one.
    if (kind(i) === 'paid') {
      world.runtime.advance(1_000);
      world.sim.pay(id, { delivery: 'FAILED' });
    }
    if (kind(i) === 'closed') world.sim.closeDirect(id);
  });
  world.runtime.advance(2 * 24 * HOUR);
  const requests = world.sim.requests.length;
  const fetches = world.runtime.stats.urlFetchCalls;
  const startedAt = world.runtime.clock.now();
  refreshToEnd(world);
  const expected: Record<string, string> = { paid: 'Paid', closed: 'Closed', expired: 'Expired', unpaid: 'Unpaid' };
  const right = world.column('Status').filter((s, i) => s === expected[kind(i)]).length;
  return {
    mayarCalls: world.sim.requests.length - requests,
    urlFetchCalls: world.runtime.stats.urlFetchCalls - fetches,
    minutes: (world.runtime.clock.now() - startedAt) / MINUTE,
    right,
  };
}

interface DayFigures {
  urlFetchCalls: number;
  busyMinutes: number;
  logRows: number;
}

/** 24 hours of the hourly refresh over 1,000 unpaid rows, sampled every minute. */
function automaticDay(): DayFigures {
  const { world } = sheetWithLinks(REFRESH_ROWS, () => '2026-12-31', true);
  world.run('saveSettings', [{ autoRefresh: true }]);
  const fetches = world.runtime.stats.urlFetchCalls;
  const log = logLines(world);
  let busy = 0;
  for (let minute = 0; minute < 24 * 60; minute++) {
    world.runtime.advance(MINUTE);
    if (world.runtime.properties.document.all()['mayar.job'] !== undefined) busy++;
  }
  return { urlFetchCalls: world.runtime.stats.urlFetchCalls - fetches, busyMinutes: busy, logRows: logLines(world) - log };
}

/** A refresh of 400 rows, 300 of them paid; Create clicked 2 minutes in. */
function createDuringRefresh(): number {
  const { world, ids } = sheetWithLinks(400, () => '2026-12-31', false);
  for (const id of ids.slice(0, 300)) world.sim.pay(id);
  world.runtime.advance(MINUTE);
  world.run('refreshPaymentStatus');
  world.runtime.advance(2 * MINUTE);
  world.runtime.spreadsheet.typeRows(SHEET, [['New customer', '99000', 'new@example.com', 'New invoice', '2026-12-31']], ids.length + 2);
  const before = world.sim.requests.length;
  const clickedAt = world.runtime.clock.now();
  const click = world.run('createPaymentLinks').value as { done?: boolean };
  if (click.done !== true) world.driveToEnd(10_000);
  const first = world.sim.requests.slice(before).find((r: RequestLogEntry) => r.path.endsWith('/payments/create'));
  return first ? first.at - clickedAt : Infinity;
}

interface PaidListFigures {
  mayarCalls: number;
  urlFetchCalls: number;
  minutes: number;
  right: number;
  /** The largest gap between a payment and the Paid At written for it. */
  worstGapMs: number;
}

/** 1,000 rows: 200 paid, 50 closed, 100 past their expiry, 650 unpaid; no webhook URL at all. */
function refreshWithoutWebhooks(): PaidListFigures {
  const kind = (i: number): string => (i % 5 === 0 ? 'paid' : i % 20 === 1 ? 'closed' : i % 10 === 3 ? 'expired' : 'unpaid');
  const { world, ids } = sheetWithLinks(REFRESH_ROWS, (i) => (kind(i) === 'expired' ? '2026-11-26' : '2026-12-31'), false);
  const paidAt = new Map<number, number>();
  ids.forEach((id, i) => {
    if (kind(i) === 'paid') {
      world.runtime.advance(7_000);
      paidAt.set(i, world.runtime.clock.now());
      world.sim.pay(id);
    }
    if (kind(i) === 'closed') world.sim.closeDirect(id);
  });
  world.runtime.advance(2 * 24 * HOUR);
  const requests = world.sim.requests.length;
  const fetches = world.runtime.stats.urlFetchCalls;
  const startedAt = world.runtime.clock.now();
  refreshToEnd(world);
  const expected: Record<string, string> = { paid: 'Paid', closed: 'Closed', expired: 'Expired', unpaid: 'Unpaid' };
  const right = world.column('Status').filter((s, i) => s === expected[kind(i)]).length;
  const cells = world.column('Paid At');
  let worstGapMs = 0;
  for (const [i, at] of paidAt) {
    const cell = cells[i];
    worstGapMs = Math.max(worstGapMs, cell instanceof Date ? Math.abs(cell.getTime() - at) : Infinity);
  }
  return {
    mayarCalls: world.sim.requests.length - requests,
    urlFetchCalls: world.runtime.stats.urlFetchCalls - fetches,
    minutes: (world.runtime.clock.now() - startedAt) / MINUTE,
    right,
    worstGapMs,
  };
}

/** 120 rows paid over 3 days, every webhook FAILED; one refresh afterwards. */
function refreshAfterFailedWebhooks(): { mayarCalls: number; paid: number } {
  const { world, ids } = sheetWithLinks(120, () => '2026-12-31', true);
  for (const id of ids) {
    world.runtime.advance(36 * MINUTE);
    world.sim.pay(id, { delivery: 'FAILED' });
  }
  world.runtime.advance(HOUR);
  const requests = world.sim.requests.length;
  refreshToEnd(world);
  return { mayarCalls: world.sim.requests.length - requests, paid: world.column('Status').filter((s) => s === 'Paid').length };
}

function refreshReport(): boolean {
  const after = refreshOnce();
  const paidList = refreshWithoutWebhooks();
  const failedWebhooks = refreshAfterFailedWebhooks();
  // Before: one GET /payments/{id} per row, 20 to a fetchAll, at 20 a minute.
  const before = { mayarCalls: REFRESH_ROWS, urlFetchCalls: Math.ceil(REFRESH_ROWS / RATE), minutes: REFRESH_ROWS / RATE };
  const day = automaticDay();
  const delay = createDuringRefresh();

  console.log(
    `\nRefresh payment status, ${REFRESH_ROWS.toLocaleString('en')} rows (10% paid with a failed webhook, 10% closed, 10% past their expiry, 70% unpaid):\n`,
  );
  console.log('| refresh | Mayar calls | UrlFetch calls | minutes | rows read right |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| before: one read per row (computed) | ${before.mayarCalls} | ${before.urlFetchCalls} | ${before.minutes.toFixed(1)} | |`);
  console.log(
    `| after: webhook history, then list pages | ${after.mayarCalls} | ${after.urlFetchCalls} | ${after.minutes.toFixed(1)} | ${after.right} / ${REFRESH_ROWS} |`,
  );
  console.log(
    `| 200 paid of 1,000 (50 closed, 100 expired, 650 unpaid), no webhook delivered: paid transactions list | ${paidList.mayarCalls} | ${paidList.urlFetchCalls} | ${paidList.minutes.toFixed(1)} | ${paidList.right} / ${REFRESH_ROWS} |`,
  );
  console.log(`\nPaid At from the paid transactions list: at most ${(paidList.worstGapMs / 1000).toFixed(0)} s after the payment.`);
  console.log(`120 payments over 3 days, every webhook FAILED: ${failedWebhooks.mayarCalls} Mayar calls, ${failedWebhooks.paid} / 120 rows Paid.`);
  console.log(
    `\n24 hours of automatic refresh over ${REFRESH_ROWS.toLocaleString('en')} unpaid rows: ${day.urlFetchCalls} UrlFetch calls, job slot busy ${day.busyMinutes} minutes, ${day.logRows} log rows added.`,
  );
  console.log(`Create clicked during a refresh: first request sent after ${(delay / 1000).toFixed(1)} s.\n`);
  const misses: string[] = [];
  if (after.mayarCalls > 30) misses.push(`${after.mayarCalls} Mayar calls (target ≤ 30)`);
  if (after.minutes > 3) misses.push(`${after.minutes.toFixed(1)} minutes (target ≤ 3)`);
  if (after.right !== REFRESH_ROWS) misses.push(`${REFRESH_ROWS - after.right} rows read wrong`);
  if (paidList.mayarCalls > 30) misses.push(`${paidList.mayarCalls} Mayar calls without webhooks (target ≤ 30)`);
  if (paidList.minutes > 3) misses.push(`${paidList.minutes.toFixed(1)} minutes without webhooks (target ≤ 3)`);
  if (paidList.right !== REFRESH_ROWS) misses.push(`${REFRESH_ROWS - paidList.right} rows read wrong without webhooks`);
  if (paidList.worstGapMs > MINUTE) misses.push(`a Paid At ${(paidList.worstGapMs / 1000).toFixed(0)} s from its payment (target ≤ 60 s)`);
  if (failedWebhooks.mayarCalls > 15) misses.push(`${failedWebhooks.mayarCalls} Mayar calls after 3 days of failed webhooks (target ≤ 15)`);
  if (failedWebhooks.paid !== 120) misses.push(`${120 - failedWebhooks.paid} of 120 paid rows missed`);
  if (day.urlFetchCalls > 1000) misses.push(`${day.urlFetchCalls} UrlFetch calls in 24 hours (target ≤ 1,000)`);
  if (delay > MINUTE) misses.push(`Create waited ${(delay / 1000).toFixed(1)} s (target ≤ 60 s)`);
  console.log(
    `Refresh: ${misses.length ? `MISSED: ${misses.join('; ')}` : 'all targets met (≤ 30 Mayar calls and ≤ 3 minutes for 1,000 rows, with or without webhooks; Paid At within a minute; ≤ 15 calls after 3 days of failed webhooks; ≤ 1,000 UrlFetch calls a day; a Create sends within a minute)'}`,
  );
  return misses.length > 0;
}

// ---- Pace ------------------------------------------------------------------------------------

const PACE_ROWS = 1000;

interface PaceFigures {
  allowed: number;
  minutes: number;
  floor: number;
  tooMany: number;
  requests: number;
  done: number;
  duplicates: number;
}

/** 1,000 links with Settings as they come, where Mayar allows `allowed` requests a minute. */
function pace(allowed: number): PaceFigures {
  const world = new World({ rows: customers(PACE_ROWS), ratePerMinute: null, serverRatePerMinute: allowed });
  const startedAt = world.runtime.clock.now();
  const click = world.run('createPaymentLinks').value as { done?: boolean; waitMs?: number };
  if (click.done !== true) {
    world.runtime.advance(click.waitMs ?? 0);
    world.driveToEnd(20_000);
  }
  return {
    allowed,
    minutes: (world.runtime.clock.now() - startedAt) / MINUTE,
    floor: PACE_ROWS / allowed,
    tooMany: tooManyRequests(world.sim),
    requests: world.sim.requests.length,
    done: world.column('Payment Link').filter((link) => typeof link === 'string' && link.startsWith('https://')).length,
    duplicates: duplicates(world.sim),
  };
}

function paceReport(): boolean {
  const runs = [pace(50), pace(20)];
  console.log(`\nPace: ${PACE_ROWS.toLocaleString('en')} links with Settings as they come (starts at 20 a minute, probes upward while no 429 comes):\n`);
  console.log('| Mayar allows | total time | floor (total ÷ floor) | requests answered 429 | rows with a link | duplicate payments |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  const misses: string[] = [];
  for (const r of runs) {
    const share = (100 * r.tooMany) / r.requests;
    console.log(
      `| ${r.allowed} a minute | ${r.minutes.toFixed(1)} min | ${r.floor.toFixed(1)} min (${(r.minutes / r.floor).toFixed(2)}×) | ${r.tooMany} of ${r.requests} (${share.toFixed(1)}%) | ${r.done} / ${PACE_ROWS} | ${r.duplicates} |`,
    );
    if (r.minutes > 1.15 * r.floor) misses.push(`${r.allowed} a minute: ${(r.minutes / r.floor).toFixed(2)}× the floor (target ≤ 1.15×)`);
    if (share > 2) misses.push(`${r.allowed} a minute: ${share.toFixed(1)}% answered 429 (target ≤ 2%)`);
    if (r.done !== PACE_ROWS) misses.push(`${r.allowed} a minute: ${PACE_ROWS - r.done} rows without a link`);
    if (r.duplicates > 0) misses.push(`${r.allowed} a minute: ${r.duplicates} duplicate payments`);
  }
  console.log(
    `\nPace: ${misses.length ? `MISSED: ${misses.join('; ')}` : 'all targets met (within 1.15× the floor at 50 and at 20 a minute, at most 2% answered 429)'}`,
  );
  return misses.length > 0;
}

// ---- Report ----------------------------------------------------------------------------------

function minutes(ms: number): string {
  return `${(ms / MINUTE).toFixed(1)} min`;
}

function seconds(ms: number): string {
  return ms >= 10 * MINUTE ? minutes(ms) : `${(ms / 1000).toFixed(1)} s`;
}

function row(f: Figures): string {
  const floor = (f.rows / RATE) * MINUTE;
  return [
    f.rows.toLocaleString('en'),
    f.approach,
    `${f.done.toLocaleString('en')} / ${f.rows.toLocaleString('en')}`,
    minutes(f.totalMs),
    `${minutes(floor)} (${(f.totalMs / floor).toFixed(2)}×)`,
    `${seconds(f.runtimeMs)} (${((100 * f.runtimeMs) / f.totalMs).toFixed(1)}%)`,
    `${f.executions}${f.killed ? ` (${f.killed} killed at 6 min)` : ''}`,
    f.sheetCalls.toLocaleString('en'),
    `${f.urlFetchCalls.toLocaleString('en')} (${f.urlFetchRequests.toLocaleString('en')} requests)`,
    f.tooMany.toLocaleString('en'),
    String(f.duplicates),
  ].join(' | ');
}

function verdict(f: Figures): string[] {
  const floor = (f.rows / RATE) * MINUTE;
  const misses: string[] = [];
  if (f.done !== f.rows) misses.push(`${f.rows - f.done} rows without a link`);
  if (f.totalMs > floor * 1.1) misses.push(`total time ${(f.totalMs / floor).toFixed(2)}× the floor (target ≤ 1.10×)`);
  if (f.runtimeMs >= f.totalMs * 0.05) misses.push(`runtime ${((100 * f.runtimeMs) / f.totalMs).toFixed(1)}% of the total (target < 5%)`);
  if (f.duplicates > 0) misses.push(`${f.duplicates} duplicate payments`);
  if (f.tooMany > 3) misses.push(`${f.tooMany} 429s (target: at most a few)`);
  if (f.killed > 0) misses.push(`${f.killed} executions killed by the time limit`);
  if (f.sleeps > 0) misses.push(`${f.sleeps} Utilities.sleep calls`);
  return misses;
}

function main(): void {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'mayar-naive-'));
  const results: Figures[] = [];
  try {
    writeFileSync(join(dir, 'Code.js'), NAIVE_CODE);
    // `npm run bench -- --refresh` measures only the refresh.
    const only = process.argv.includes('--refresh') || process.argv.includes('--pace');
    for (const size of only ? [] : SIZES) {
      results.push(addOn(size));
      results.push(naive(size, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(`Virtual clock; Mayar simulator allowing ${RATE} requests a minute (300 ms a request); floor = rows ÷ ${RATE} a minute.\n`);
  console.log(
    '| rows | approach | rows with a link | total time | floor (total ÷ floor) | Apps Script runtime (% of total) | executions | Sheets calls | UrlFetch calls | 429s received | duplicate payments |',
  );
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const f of results) console.log(`| ${row(f)} |`);
  console.log('');
  let failed = false;
  for (const f of results.filter((r) => r.approach.startsWith('Mayar Sheets'))) {
    const misses = verdict(f);
    failed ||= misses.length > 0;
    console.log(
      `${f.rows.toLocaleString('en')} rows, Mayar Sheets: ${misses.length ? `MISSED: ${misses.join('; ')}` : 'all targets met (within 10% of the floor, runtime under 5%, no duplicates, at most a few 429s)'}`,
    );
  }
  if (!process.argv.includes('--pace') && refreshReport()) failed = true;
  if (!process.argv.includes('--refresh') && paceReport()) failed = true;
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s real time)`);
  if (failed) process.exitCode = 1;
}

main();

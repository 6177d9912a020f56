/**
 * `npm run bench`: how a big sheet goes, on the virtual clock, against the Mayar simulator at
 * 20 requests a minute. The built add-on (dist/Code.js, driven like the open progress sidebar)
 * beside the naive per-row loop of the usual Apps Script samples (one fetch and one cell write
 * per row, no pacing, run again until every row has its link), both measured by the same
 * in-memory Apps Script runtime. Prints a markdown table. Then refresh payment status: 1,000
 * rows before (one read per row, computed) and after (webhook history, then list pages),
 * 24 hours of automatic refresh, and how soon a Create clicked during a refresh sends.
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
    if (kind(i) === 'paid') world.sim.pay(id, { delivery: 'FAILED' });
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

/** A refresh reading the times of 300 paid rows (15 minutes of reads); Create clicked 2 minutes in. */
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

function refreshReport(): boolean {
  const after = refreshOnce();
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
    `\n24 hours of automatic refresh over ${REFRESH_ROWS.toLocaleString('en')} unpaid rows: ${day.urlFetchCalls} UrlFetch calls, job slot busy ${day.busyMinutes} minutes, ${day.logRows} log rows added.`,
  );
  console.log(`Create clicked during a refresh: first request sent after ${(delay / 1000).toFixed(1)} s.\n`);
  const misses: string[] = [];
  if (after.mayarCalls > 30) misses.push(`${after.mayarCalls} Mayar calls (target ≤ 30)`);
  if (after.minutes > 3) misses.push(`${after.minutes.toFixed(1)} minutes (target ≤ 3)`);
  if (after.right !== REFRESH_ROWS) misses.push(`${REFRESH_ROWS - after.right} rows read wrong`);
  if (day.urlFetchCalls > 1000) misses.push(`${day.urlFetchCalls} UrlFetch calls in 24 hours (target ≤ 1,000)`);
  if (delay > MINUTE) misses.push(`Create waited ${(delay / 1000).toFixed(1)} s (target ≤ 60 s)`);
  console.log(
    `Refresh: ${misses.length ? `MISSED: ${misses.join('; ')}` : 'all targets met (≤ 30 Mayar calls and ≤ 3 minutes for 1,000 rows, ≤ 1,000 UrlFetch calls a day, a Create sends within a minute)'}`,
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
    for (const size of process.argv.includes('--refresh') ? [] : SIZES) {
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
  if (refreshReport()) failed = true;
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s real time)`);
  if (failed) process.exitCode = 1;
}

main();

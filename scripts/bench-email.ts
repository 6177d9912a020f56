/**
 * `npx tsx scripts/bench-email.ts` (after `npm run build`): the email job on 300 rows that
 * already have their links, on the virtual clock, with MailApp taking 1 s per email and a
 * Workspace-sized daily quota (1,500), driven by its triggers alone. Prints a markdown table:
 * emails per minute, executions, and Apps Script runtime.
 */
import { driveByTriggers } from '../tools/apps-script/gas-runtime';
import { World } from '../test/support/world';

const ROWS = 300;
const rows = [['Name', 'Amount', 'Email', 'Expires At', 'Payment Link', 'Payment ID', 'Status']];
for (let i = 1; i <= ROWS; i++)
  rows.push([`Customer ${i}`, String(100_000 + i), `customer${i}@example.com`, '2026-12-31', `https://pay.example/${i}`, `pay-${i}`, 'Unpaid']);

const world = new World({ rows, runtime: { mailDailyQuota: 1_500, costs: { fetchOverheadMs: 1_000 } } });
const start = world.runtime.clock.now();
const before = { ...world.runtime.stats };
world.run('sendPaymentLinksByEmail');
driveByTriggers(world.runtime, 24 * 3_600_000);
const last = world.runtime.mail.at(-1)?.at ?? start;
const minutes = (last - start) / 60_000;
const stats = world.runtime.stats;
console.log('| rows | emails | wall time (min) | emails/min | executions | Apps Script runtime (s) | killed |');
console.log('|---|---|---|---|---|---|---|');
console.log(
  `| ${ROWS} | ${world.runtime.mail.length} | ${minutes.toFixed(1)} | ${(world.runtime.mail.length / Math.max(minutes, 1 / 60)).toFixed(1)} | ${stats.executions - before.executions} | ${((stats.runtimeMs - before.runtimeMs) / 1000).toFixed(0)} | ${stats.killed} |`,
);

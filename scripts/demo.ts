/**
 * npm run demo: the built add-on, on the sample sheet, against the Mayar simulator.
 * Clicks Mayar → Create payment links, lets the progress sidebar drive the run on a virtual
 * clock, prints the resulting sheet and writes it to out/invoices-result.csv.
 * `npm run demo -- --lang id`: the same as an Indonesian admin sees it (menu, columns, summary).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { toCsv } from '../test/support/csv';
import { sampleRows, World } from '../test/support/world';

const langAt = process.argv.indexOf('--lang');
const lang = langAt >= 0 && process.argv[langAt + 1] === 'id' ? 'id' : 'en';
const ID = lang === 'id';
/** The add-on's column and sheet names in the demo's language. */
const names = ID
  ? { link: 'Link Pembayaran', paymentId: 'ID Pembayaran', error: 'Keterangan Error', summary: 'Ringkasan Mayar', log: 'Mayar Log' }
  : { link: 'Payment Link', paymentId: 'Payment ID', error: 'Error', summary: 'Mayar Summary', log: 'Mayar Log' };

const started = Date.now();
const world = new World({ rows: sampleRows() });
if (ID) world.run('saveSettings', [{ language: 'id' }]);
world.runtime.open({ authMode: 'FULL' });
const menu = world.runtime.ui.menus.at(-1);
console.log(
  `Menu ${menu?.title ?? ''}: ${(menu?.items ?? [])
    .flatMap((i) =>
      i.kind === 'item'
        ? [i.caption]
        : i.kind === 'submenu'
          ? [`${i.menu.title} ▸ ${i.menu.items.map((s) => (s.kind === 'item' ? s.caption : '')).join(' / ')}`]
          : [],
    )
    .join(' · ')}\n`,
);
const click = world.run('createPaymentLinks');
const first = click.value as { created: number; done: boolean };
// The question asked before anything was sent (the scripted person answers Yes).
const question = world.runtime.ui.alerts.find((a) => a.buttons === 'YES_NO');
if (question) console.log(`${question.title}\n${question.message.replace(/^/gm, '  ')}\n  → ${question.answer}\n`);
console.log(`Click: ${first.created} links created in the first window${first.done ? '' : '; the progress sidebar continues'}.`);
const { steps, last } = world.driveToEnd();

const values = world.values();
const header = (values[0] ?? []).map(String);
const show = ['Nama Pelanggan', 'Jumlah', names.link, 'Status', names.error];
const columns = show.map((name) => header.indexOf(name));
const width = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text.padEnd(n));
const sizes = [22, 14, 42, 14, 60];
const line = (cells: string[]) => cells.map((c, i) => width(c, sizes[i] ?? 20)).join(' │ ');
console.log('');
console.log(line(show));
console.log(sizes.map((n) => '─'.repeat(n)).join('─┼─'));
for (const row of values.slice(1)) {
  if (row.every((c) => c === '')) continue;
  console.log(line(columns.map((c) => String(row[c] ?? ''))));
}
mkdirSync('out', { recursive: true });
writeFileSync('out/invoices-result.csv', toCsv(values));
const stats = world.runtime.stats;
const minutes = ((world.runtime.clock.now() - click.startedAt) / 60_000).toFixed(1);
console.log('');
console.log(String(last.message));
console.log(
  `Virtual time ${minutes} min, ${stats.executions} executions (${steps} sidebar calls), ${(stats.runtimeMs / 1000).toFixed(1)} s of Apps Script runtime, ${stats.urlFetchRequests} Mayar requests, payments in Mayar: ${world.sim.createCount()}.`,
);
console.log(`Wrote out/invoices-result.csv and the audit log has ${world.values(names.log).length - 1} rows. (${Date.now() - started} ms)`);

// Three customers pay; Mayar → Refresh payment status; the Mayar Summary sheet is rebuilt.
const paymentIds = world.column(names.paymentId).filter((id): id is string => typeof id === 'string' && id !== '');
world.runtime.advance(3 * 3_600_000);
for (const id of paymentIds.slice(0, 3)) world.sim.pay(id);
world.runtime.advance(60_000);
const refresh = world.run('refreshPaymentStatus').value as { done?: boolean } | undefined;
if (refresh && refresh.done === false) world.driveToEnd();
const summaryName = names.summary;
const jakarta = (date: Date, withTime: boolean): string =>
  date.toLocaleString('sv-SE', { timeZone: 'Asia/Jakarta', dateStyle: 'short', ...(withTime ? { timeStyle: 'short' } : {}) });
const cellText = (cell: unknown, column: number): string => {
  if (cell instanceof Date) return jakarta(cell, column > 0);
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell.toLocaleString('id-ID') : `${(cell * 100).toFixed(1)}%`;
  return String(cell ?? '');
};
console.log('');
console.log(`${summaryName} (after 3 payments and a refresh; days without money left out):`);
for (const row of world.values(summaryName)) {
  if (row[0] instanceof Date && row[1] === 0) continue;
  const cells = row.map(cellText);
  while (cells.length > 0 && cells.at(-1) === '') cells.pop();
  console.log(cells.length === 0 ? '' : `  ${cells.join(' | ')}`);
}
console.log(
  `Charts on ${summaryName}: ${world.runtime.spreadsheet
    .sheet(summaryName)
    .charts.map((c) => `${c.type.toLowerCase()} "${String(c.options.title)}"`)
    .join(', ')}.`,
);

// A Google Form linked to the spreadsheet: Settings → bill each new form response; a response
// lands (onFormSubmit fires twice for it, as Apps Script may) and gets its link in its own row.
const responses = 'Form Responses 1';
world.runtime.spreadsheet.addSheet(responses, [['Timestamp', 'Nama Lengkap', 'Alamat email', 'No WhatsApp', 'Jumlah']]);
world.run('saveSettings', [{ billFormResponses: true }]);
const paymentsBefore = world.sim.createCount();
world.runtime.submitForm(responses, ['Rizky Pratama', 'rizky@example.com', '0812-7777-1234', 'Rp 150.000'], { twice: 'same', afterMs: 3_000 });
const response = world.rows(responses)[0] ?? {};
console.log('');
console.log(`A form response in "${responses}" (onFormSubmit fired twice, ${world.sim.createCount() - paymentsBefore} payment made):`);
for (const key of ['Nama Lengkap', 'Jumlah', names.link, 'Status', names.error]) console.log(`  ${key}: ${String(response[key] ?? '')}`);

// A bill with line items: "Rincian: <item>" columns make each row a Mayar invoice.
const itemised = 'Tagihan SPP';
world.runtime.spreadsheet.typeRows(itemised, [
  ['Nama', 'Email', 'No HP', 'Rincian: SPP', 'Rincian: Buku', 'Rincian: Seragam', 'Jatuh Tempo'],
  ['Dimas Saputra', 'dimas@example.com', '081234560001', 'Rp 350.000', 'Rp 125.000', '', '2026-12-10'],
  ['Nadia Putri', 'nadia@example.com', '081234560002', 'Rp 350.000', '', 'Rp 275.000', '2026-12-10'],
]);
world.runtime.spreadsheet.setActiveSheet(itemised);
const alertsBefore = world.runtime.ui.alerts.length;
world.run('createPaymentLinks');
const invoiceQuestion = world.runtime.ui.alerts.slice(alertsBefore).find((a) => a.buttons === 'YES_NO');
console.log('');
if (invoiceQuestion) console.log(`${invoiceQuestion.title}\n${invoiceQuestion.message.replace(/^/gm, '  ')}\n  → ${invoiceQuestion.answer}`);
console.log(`Itemised bills in "${itemised}" (Mayar invoices):`);
for (const row of world.rows(itemised))
  console.log(`  ${String(row['Nama'])}: ${String(row[names.link])} (${String(row['Status'])}${row[names.error] ? `, ${String(row[names.error])}` : ''})`);
for (const invoice of world.sim.invoiceBook.invoices())
  console.log(
    `  ${invoice.name}: ${invoice.items.map((item) => `${item.description} ${item.rate.toLocaleString('id-ID')}`).join(' + ')} = Rp ${invoice.amount.toLocaleString('id-ID')}`,
  );

/**
 * The form kind: bills the responses of a Google Form as they land in its responses sheet. The
 * onFormSubmit trigger keeps each response in a small inbox of document properties (forms.ts)
 * before it waits for the lock; every pass of the job takes the inbox's responses for its sheet
 * in, then sends exactly as Create payment links does (the create kind: in flight before sending,
 * a lost reply looked up in Mayar's list, the duplicate rule, the rate limit). A response already
 * billed or already in the job is never taken twice, so the double fire of onFormSubmit is harmless.
 */
import { cellIsEmpty } from '../../core/cell-text';
import { invoiceKey } from '../../core/fingerprint';
import { hasPayment, pendingRow } from '../../core/job';
import type { JobKindModule } from '../engine/kind';
import type { Pass } from '../engine/pass';
import { ensureAmountColumn } from '../forms/responses';
import { forgetResponses, keptResponses } from '../forms/inbox';
import { emailFormRows, noteFormRows } from '../forms/email';
import { createKind } from './create/advance';

/** Takes the kept responses of the job's sheet into the job; true when any came in. */
export function takeResponses(pass: Pass): boolean {
  const { ctx, job } = pass;
  const kept = keptResponses(ctx).filter((r) => r.sheetId === job.sheetId);
  if (kept.length === 0) return false;
  const data = pass.sheet.readAll();
  // A form without an amount question: its responses are billed the default amount, shown in a column of its own.
  const layout = ensureAmountColumn(
    ctx,
    pass.sheet,
    data,
    kept.map((r) => r.row),
  );
  const known = new Set(job.rows.map((r) => r.sheetRow));
  let uid = job.rows.reduce((max, r) => Math.max(max, r.uid), job.total) + 1;
  const added: number[] = [];
  for (const { row } of kept) {
    const cells = data[row - 1];
    const errorColumn = layout.output.error;
    const blank = !cells || cells.every((cell) => cellIsEmpty(cell));
    if (blank || known.has(row) || hasPayment(cells, layout) || (errorColumn !== undefined && !cellIsEmpty(cells[errorColumn] ?? ''))) continue;
    job.rows.push(pendingRow(uid++, invoiceKey(cells, layout), row));
    known.add(row);
    added.push(row);
  }
  job.total += added.length;
  // The job first: a response forgotten before the job holds it would be lost.
  ctx.store.save({ job, limiter: pass.limiter });
  noteFormRows(ctx, job.sheetId, added);
  forgetResponses(ctx, kept);
  return added.length > 0;
}

export const formKind: JobKindModule = {
  label: 'kind.form',
  extraColumns: [],
  advance(pass) {
    takeResponses(pass);
    if (pass.job.rows.length > 0) createKind.advance(pass);
  },
  locate: createKind.locate,
  toast: createKind.toast,
  summary(ctx, job) {
    const c = job.counts;
    return [ctx.say('summary.form', { created: c.created, failed: c.failed, review: c.review, skipped: c.skipped })];
  },
  // Settings → email each new form response: the email job for the rows this run billed.
  afterDone: emailFormRows,
};

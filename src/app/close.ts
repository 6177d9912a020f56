/**
 * Mayar → Close selected payment links: after a confirmation, closes the selected rows'
 * payment requests so customers can no longer pay them. Paid ones are refused.
 */
import { planWrites, type RowUpdate } from '../core/cells';
import { capacity, recordCalls } from '../core/limiter';
import { classify, closeRequest } from '../core/mayar';
import { parseStatus, statusText } from '../core/status';
import * as z from 'zod';
import { appendLog, type LogEntry } from './audit-log';
import { prepareSheet, withLock } from './commands';
import type { AppContext } from './context';
import { describeFailure, MAX_CHUNK } from './run';

export interface CloseSummary {
  closed: number;
  refused: number;
  failed: number;
  later: number;
}

export function closeSelected(ctx: AppContext): CloseSummary | undefined {
  const apiKey = ctx.store.apiKey(ctx.settings.keyScope);
  if (!apiKey) {
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('dialog.noKey'));
    return undefined;
  }
  const selection = ctx.ports.spreadsheet.selectedRows();
  const sheet = ctx.ports.spreadsheet.activeSheet();
  const prepared = prepareSheet(ctx, sheet);
  if (!prepared) return undefined;
  const { data, layout } = prepared;
  const idColumn = layout.output.paymentId;
  const statusColumn = layout.output.status;
  const errorColumn = layout.output.error;
  const targets: { index: number; id: string }[] = [];
  const paid: number[] = [];
  for (const sheetRow of selection.rows) {
    const index = sheetRow - 1;
    const cells = data[index];
    if (index < 1 || !cells || idColumn === undefined) continue;
    const id = String(cells[idColumn] ?? '').trim();
    if (!id) continue;
    const status = statusColumn === undefined ? null : parseStatus(cells[statusColumn]);
    if (status === 'closed') continue;
    if (status === 'paid') paid.push(index);
    else targets.push({ index, id });
  }
  if (targets.length === 0 && paid.length === 0) {
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('close.nothing'));
    return undefined;
  }
  if (targets.length && !ctx.ports.ui.confirm(ctx.say('app.title'), ctx.say('close.confirm', { count: targets.length }))) return undefined;

  return withLock(ctx, () => {
    const summary: CloseSummary = { closed: 0, refused: paid.length, failed: 0, later: 0 };
    const updates = new Map<number, RowUpdate>();
    const log: LogEntry[] = [];
    const set = (index: number, status: string | null, error: string) => {
      const update: RowUpdate = new Map();
      if (status !== null && statusColumn !== undefined) update.set(statusColumn, status);
      if (errorColumn !== undefined) update.set(errorColumn, error);
      updates.set(index, update);
    };
    for (const index of paid) set(index, null, ctx.say('close.refusedPaid'));

    let limiter = ctx.store.limiter();
    const now = ctx.ports.clock.now();
    const room = Math.min(capacity(limiter, now, ctx.settings.requestsPerMinute).available, MAX_CHUNK);
    const sending = targets.slice(0, room);
    summary.later = targets.length - sending.length;
    if (sending.length) {
      limiter = recordCalls(limiter, now, sending.length);
      ctx.store.save({ limiter });
      const batch = ctx.ports.http.fetchAll(sending.map((t) => closeRequest(ctx.settings.environment, apiKey, t.id)));
      sending.forEach((target, i) => {
        const reply = batch.ok ? batch.replies[i] : undefined;
        const outcome = reply ? classify(reply, z.unknown()) : null;
        const entry = { sheet: sheet.name, row: target.index + 1, customer: '', amount: '' as const, action: ctx.say('log.close'), paymentId: target.id };
        if (outcome?.ok) {
          summary.closed++;
          set(target.index, statusText(ctx.locale, 'closed'), '');
          log.push({ ...entry, outcome: statusText(ctx.locale, 'closed') });
        } else if (outcome && outcome.failure.kind === 'conflict') {
          summary.refused++;
          set(target.index, null, ctx.say('close.refusedPaid'));
          log.push({ ...entry, outcome: 'Error', details: describeFailure(outcome.failure) });
        } else {
          summary.failed++;
          const why = outcome ? describeFailure(outcome.failure) : batch.ok ? 'no reply' : batch.error;
          set(target.index, null, ctx.say('close.failed', { details: why }));
          log.push({ ...entry, outcome: 'Error', details: why });
        }
      });
    }
    for (const block of planWrites(updates, data)) sheet.write(block.row, block.column, block.values);
    appendLog(ctx, log);
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('close.summary', summary as unknown as Record<string, number>));
    return summary;
  });
}

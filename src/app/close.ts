/**
 * Mayar → Close selected payment links: after a confirmation, closes the selected rows'
 * payment requests so customers can no longer pay them. Paid ones are refused.
 */
import { planWrites, type RowUpdate } from '../core/cells';
import { describeFailure } from '../core/failure-text';
import { mapHeaders, type SheetLayout } from '../core/headers';
import { findRowByPaymentId } from '../core/job';
import { classifyClose } from '../core/mayar';
import { isMayarId } from '../core/parse';
import { closeRequest } from '../core/mayar-requests';
import { parseStatus, statusText } from '../core/status';
import type { Cell } from '../core/types';
import { appendLog, type LogEntry } from './audit-log';
import type { AppContext } from './context';
import { withLock } from './control';
import { notAMayarId } from './ids';
import { MAX_CHUNK } from './engine/pass';
import { reserveCalls } from './pacing';
import type { SheetPort } from './ports';
import { prepareSheet } from './sheet-prep';

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
  const targets: string[] = [];
  const paidIds: string[] = [];
  // Ids that are no Mayar id ("..", "a/b"): a row error, never part of a URL.
  const badIds: string[] = [];
  for (const sheetRow of selection.rows) {
    const index = sheetRow - 1;
    const cells = data[index];
    if (index < 1 || !cells || idColumn === undefined) continue;
    const id = String(cells[idColumn] ?? '').trim();
    if (!id || targets.includes(id) || paidIds.includes(id) || badIds.includes(id)) continue;
    if (!isMayarId(id)) {
      badIds.push(id);
      continue;
    }
    const status = statusColumn === undefined ? null : parseStatus(cells[statusColumn]);
    if (status === 'closed') continue;
    if (status === 'paid') paidIds.push(id);
    else targets.push(id);
  }
  if (targets.length === 0 && paidIds.length === 0 && badIds.length === 0) {
    const hidden = selection.hiddenByFilter ? ` ${ctx.say('selection.hiddenSkipped', { count: selection.hiddenByFilter })}` : '';
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('close.nothing') + hidden);
    return undefined;
  }
  if (targets.length && !ctx.ports.ui.confirm(ctx.say('app.title'), ctx.say('close.confirm', { count: targets.length }))) return undefined;

  return withLock(ctx, (ctx) => {
    // The confirmation took a while: the sheet may have been sorted or edited, or a webhook
    // may have marked a row Paid, since it was read. Read it again and find rows by Payment ID.
    const fresh = readSheet(sheet);
    const summary: CloseSummary = { closed: 0, refused: 0, failed: 0, later: 0 };
    const refusedIds = paidIds.filter((id) => rowOf(fresh, id) >= 0);
    const sending: string[] = [];
    for (const id of targets) {
      const index = rowOf(fresh, id);
      if (index < 0) continue;
      const status = fresh.layout.output.status === undefined ? null : parseStatus(fresh.data[index]?.[fresh.layout.output.status]);
      if (status === 'closed') continue;
      if (status === 'paid') refusedIds.push(id);
      else sending.push(id);
    }
    summary.refused = refusedIds.length;

    const outcomes = new Map<string, { status: string | null; error: string; log: LogEntry | null }>();
    for (const id of refusedIds) outcomes.set(id, { status: null, error: ctx.say('close.refusedPaid'), log: null });
    for (const id of badIds) outcomes.set(id, { status: null, error: notAMayarId(ctx, data[0], layout, 'paymentId', id), log: null });
    summary.failed += badIds.length;
    const sent = sending.slice(0, reserveCalls(ctx, Math.min(sending.length, MAX_CHUNK)));
    summary.later = sending.length - sent.length;
    if (sent.length) {
      const batch = ctx.ports.http.fetchAll(sent.map((id) => closeRequest(ctx.settings.environment, apiKey, id)));
      sent.forEach((id, i) => {
        const reply = batch.ok ? batch.replies[i] : undefined;
        const outcome = reply ? classifyClose(reply) : null;
        const entry = { sheet: sheet.name, row: '' as const, customer: '', amount: '' as const, action: ctx.say('log.close'), paymentId: id };
        if (outcome?.ok) {
          summary.closed++;
          outcomes.set(id, { status: statusText(ctx.locale, 'closed'), error: '', log: { ...entry, outcome: statusText(ctx.locale, 'closed') } });
        } else if (outcome && (outcome.failure.kind === 'conflict' || outcome.failure.kind === 'rejected')) {
          // Mayar refuses to close a paid request with HTTP 200 and messages "failed".
          summary.refused++;
          outcomes.set(id, {
            status: null,
            error: ctx.say('close.refusedPaid'),
            log: { ...entry, outcome: ctx.say('log.error'), details: describeFailure(outcome.failure) },
          });
        } else {
          summary.failed++;
          const why = outcome ? describeFailure(outcome.failure) : batch.ok ? ctx.say('http.noReply') : batch.error;
          outcomes.set(id, { status: null, error: ctx.say('close.failed', { details: why }), log: { ...entry, outcome: ctx.say('log.error'), details: why } });
        }
      });
    }

    // And once more after Mayar answered, so each result lands on its own row.
    const after = sent.length ? readSheet(sheet) : fresh;
    const { status: statusColumn, error: errorColumn } = after.layout.output;
    const updates = new Map<number, RowUpdate>();
    const log: LogEntry[] = [];
    for (const [id, result] of outcomes) {
      const index = rowOf(after, id);
      if (result.log)
        log.push({
          ...result.log,
          row: index < 0 ? '' : index + 1,
          details: index < 0 ? [ctx.say('log.unplaced'), result.log.details ?? ''].filter(Boolean).join(': ') : result.log.details,
        });
      if (index < 0) continue;
      const update: RowUpdate = new Map();
      if (result.status !== null && statusColumn !== undefined) update.set(statusColumn, result.status);
      if (errorColumn !== undefined) update.set(errorColumn, result.error);
      updates.set(index, update);
    }
    for (const block of planWrites(updates)) sheet.write(block.row, block.column, block.values);
    appendLog(ctx, log);
    const hidden = selection.hiddenByFilter ? ` ${ctx.say('selection.hiddenSkipped', { count: selection.hiddenByFilter })}` : '';
    ctx.ports.ui.alert(ctx.say('app.title'), ctx.say('close.summary', { ...summary }) + hidden);
    return summary;
  });
}

interface SheetRead {
  data: Cell[][];
  layout: SheetLayout;
}

function readSheet(sheet: SheetPort): SheetRead {
  const data = sheet.readAll();
  return { data, layout: mapHeaders(data[0] ?? []) };
}

function rowOf(read: SheetRead, id: string): number {
  return findRowByPaymentId(read.data, read.layout, { paymentId: id });
}

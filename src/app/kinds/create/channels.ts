/**
 * Payment Method cells against the account's channels (GET /payment-channels), when Create is
 * clicked and in Check rows: a channel the account lacks, or has turned off, is that row's
 * error naming the column, and nothing is sent for it; the other rows go through. The channels
 * are read once per click; when they can't be read the check is skipped and the dialog says so.
 */
import type { RowUpdate } from '../../../core/cells';
import type { ConfirmItem } from '../../../core/confirm';
import { describeFailure } from '../../../core/failure-text';
import type { SheetLayout } from '../../../core/headers';
import type { JobRow } from '../../../core/job';
import { classifyChannels, matchChannel, type PaymentChannel } from '../../../core/mayar';
import { channelsRequest } from '../../../core/mayar-requests';
import type { AppContext } from '../../context';
import { callOnce } from '../../pacing';

/** What one read of the channels gave: nothing asked (no Payment Method in the rows), the list, or why not. */
export type ChannelCheck = { kind: 'none' } | { kind: 'read'; channels: PaymentChannel[] } | { kind: 'skipped'; details: string };

/** The rows a check works on: the requests about to be sent, their job rows, the cells to write. */
export interface ChannelRows {
  rows: JobRow[];
  requests: ConfirmItem[];
  writes: Map<number, RowUpdate>;
  failed: number;
  firstErrorRow: number | null;
}

/** Reads the channels once, only when some row names a payment method. */
export function readChannels(ctx: AppContext, requests: readonly ConfirmItem[]): ChannelCheck {
  const apiKey = ctx.store.apiKey(ctx.settings.keyScope);
  if (!apiKey || !requests.some((item) => item.request.paymentMethod !== undefined)) return { kind: 'none' };
  // Asked for by the click itself: sent even when a run is using the minute's calls.
  const call = callOnce(ctx, channelsRequest(ctx.settings.environment, apiKey), classifyChannels, true);
  if (call.kind === 'reply' && call.result.ok) return { kind: 'read', channels: call.result.data };
  const details =
    call.kind === 'network' ? call.details : call.kind === 'reply' && !call.result.ok ? describeFailure(call.result.failure) : ctx.say('http.noReply');
  return { kind: 'skipped', details };
}

/** Enabled channel codes, for messages. */
function enabledCodes(channels: readonly PaymentChannel[]): string {
  return channels.flatMap((c) => (c.enabled && c.code ? [c.code] : [])).join(', ');
}

/** The row's error for its Payment Method, or null when the account takes it (or nothing was read). */
export function channelError(ctx: AppContext, check: ChannelCheck, method: string | undefined, header: string): string | null {
  if (check.kind !== 'read' || method === undefined) return null;
  const match = matchChannel(check.channels, method);
  if (match.kind === 'ok') return null;
  const codes = enabledCodes(check.channels);
  const text =
    match.kind === 'disabled'
      ? ctx.say('row.paymentMethodDisabled', { value: method, channels: codes })
      : ctx.say('row.paymentMethodUnknown', { value: method, channels: codes });
  return `${header}: ${text}`;
}

/** Marks every row whose channel the account can't take and drops it from what will be sent. */
export function applyChannels(ctx: AppContext, check: ChannelCheck, layout: SheetLayout, examined: ChannelRows): void {
  if (check.kind !== 'read') return;
  const header = layout.headerText.paymentMethod ?? ctx.say('field.paymentMethod');
  const { error: errorColumn } = layout.output;
  const refused = new Set<number>();
  for (const item of examined.requests) {
    const error = channelError(ctx, check, item.request.paymentMethod, header);
    if (error === null) continue;
    refused.add(item.row);
    if (errorColumn !== undefined) examined.writes.set(item.row - 1, new Map([[errorColumn, error]]));
    examined.failed++;
    examined.firstErrorRow = Math.min(examined.firstErrorRow ?? item.row, item.row);
  }
  if (refused.size === 0) return;
  examined.rows = examined.rows.filter((row) => !refused.has(row.sheetRow));
  examined.requests = examined.requests.filter((item) => !refused.has(item.row));
}

/** The dialog's line about channels: the account's list, the rows refused, or that the check was skipped. */
export function channelsLine(ctx: AppContext, check: ChannelCheck): string {
  if (check.kind === 'none') return '';
  if (check.kind === 'skipped') return ctx.say('dialog.channelsUnavailable', { details: check.details });
  const list = check.channels
    .filter((c) => c.enabled && c.code)
    .map((c) => (c.name && c.name !== c.code ? `${c.code} (${c.name})` : (c.code ?? '')))
    .join(', ');
  return ctx.say('dialog.channels', { channels: list });
}

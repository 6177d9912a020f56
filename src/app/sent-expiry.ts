/**
 * The expiry a link was sent with, kept where a person editing Expires At does not change it:
 * a note on the row's Payment ID cell, written with the link ("Sent to Mayar: the link expires
 * 2026-12-31 23:59:59 [2026-12-31T16:59:59.000Z]"). The refresh decides Expired from it
 * (core/expiry.ts decideExpiry); a note moves with its cell when rows are sorted.
 */
import { cellText } from '../core/cell-text';
import { decideExpiry, expiryOf, sentExpiryOf, sentExpiryTag } from '../core/expiry';
import type { SheetLayout } from '../core/headers';
import type { Cell } from '../core/types';
import type { AppContext } from './context';
import type { SheetPort } from './ports';

/** Writes each row's note (0-based data index → the expiry sent), one setNotes per run of consecutive rows. */
export function writeSentExpiries(ctx: AppContext, sheet: SheetPort, layout: SheetLayout, sent: ReadonlyMap<number, number>): void {
  const column = layout.output.paymentId;
  if (column === undefined || sent.size === 0) return;
  const zone = ctx.ports.spreadsheet.zone();
  const text = (at: number): string => `${ctx.say('note.sentExpiry', { expiry: cellText(new Date(at), zone) })} ${sentExpiryTag(at)}`;
  const indexes = [...sent.keys()].sort((a, b) => a - b);
  try {
    for (let i = 0; i < indexes.length;) {
      const first = indexes[i] as number;
      const notes: string[][] = [];
      while (i < indexes.length && indexes[i] === first + notes.length) notes.push([text(sent.get(indexes[i++] as number) as number)]);
      sheet.writeNotes(first + 1, column + 1, notes);
    }
  } catch (error) {
    // The link and its row are written; without the note the Expires At cell decides, as for older links.
    console.warn(`Mayar: expiry notes not written: ${String(error)}`);
  }
}

/** The expiry each row's link was sent with (0-based data index), from the Payment ID notes; one read. */
export function readSentExpiries(sheet: SheetPort, layout: SheetLayout, numRows: number): (number | null)[] {
  const column = layout.output.paymentId;
  if (column === undefined || numRows === 0) return [];
  return sheet.readNotes(column + 1, numRows).map(sentExpiryOf);
}

/**
 * An unpaid row's status by the expiry its link was sent with (else its Expires At cell), and
 * the row's note when Expires At was edited after the link went out (null otherwise).
 */
export function unpaidVerdict(
  ctx: AppContext,
  cells: readonly Cell[] | undefined,
  layout: SheetLayout,
  sentAt: number | null,
): { expired: boolean; note: string | null } {
  const zone = ctx.ports.spreadsheet.zone();
  const cellAt = layout.input.expiry === undefined ? null : expiryOf(cells?.[layout.input.expiry], zone);
  const decision = decideExpiry({ cellAt, sentAt }, ctx.ports.clock.now());
  if (decision.expired) return { expired: true, note: null };
  return { expired: false, note: decision.edited ? ctx.say('expiry.editedAfterSent', { expiry: cellText(new Date(decision.sentAt), zone) }) : null };
}

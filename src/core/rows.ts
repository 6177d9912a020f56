/**
 * One sheet row → what to do with it. The zod schema built here is the single description of
 * a valid row: each field runs its parser and reports problems as issues carrying a Message.
 */
import * as z from 'zod/mini';
import type { SheetLayout } from './headers';
import type { Locale, Message, MessageKey } from './messages';
import { t } from './messages';
import { cellIsEmpty } from './cell-text';
import { amountAsShown, NAME_MAX, parseAmount, parseEmail, parseExpiry, parseMobile, parseName, parseText } from './parse';
import type { ExpiryContext, Parsed } from './parse';
import { renderTemplate } from './templates';
import type { Cell, InputField, PaymentRequest, ZoneInfo } from './types';
import { INPUT_FIELDS } from './types';
import type { SheetField } from './headers';

export interface RowContext {
  zone: ZoneInfo;
  now: Date;
  defaultExpiryDays: number;
  locale: Locale;
  /** getSpreadsheetLocale(): how Sheets read what was typed (en_US stores a typed 500.000 as 500). */
  sheetLocale?: string;
  /** Mayar's title when the row has no Title cell; '{name}' (the default) sends the customer's name. */
  titleTemplate?: string;
  /** The sheet's header row, for {Column} placeholders in the title template. */
  headers?: readonly Cell[];
}

/** Fields of the create call the sheet may fill besides the payment request's own. */
const REQUEST_EXTRAS = ['title', 'paymentMethod', 'cashtag'] as const;
type RequestExtra = (typeof REQUEST_EXTRAS)[number];
/** Every field a row is checked for, named as the sheet's header mapping names them. */
type CheckedField = InputField | RequestExtra;

export type RowVerdict =
  | { kind: 'blank' }
  /** Has a Payment Link or Payment ID already. */
  | { kind: 'done' }
  /** Each error reads "Header: message" (or "Header is required"), in the user's locale. */
  | { kind: 'invalid'; errors: string[] }
  /**
   * expiredAt is always set; optional fields are left out when empty. request.name is Mayar's
   * title: the Title cell, else the title template (the Name cell by default).
   */
  | { kind: 'valid'; request: PaymentRequest };

/** Carries the Message through zod so it can be rendered later with the sheet's header. */
interface MessageIssueParams {
  message: Message;
}

function field<T>(parse: (cell: Cell) => Parsed<T>) {
  return z.pipe(
    z.custom<Cell>(),
    z.transform((cell: Cell, ctx): T => {
      const parsed = parse(cell);
      if (parsed.ok) return parsed.value;
      const params: MessageIssueParams = { message: parsed.message };
      ctx.issues.push({ code: 'custom', message: parsed.message.key, params, input: cell });
      return z.NEVER;
    }),
  );
}

/** The schema of a row's input cells, keyed by field; expiry needs the zone and clock. */
export function rowSchema(ctx: ExpiryContext) {
  return z.object({
    name: field(parseName),
    amount: field(parseAmount),
    email: field(parseEmail),
    mobile: field(parseMobile),
    description: field((cell) => parseText(cell)),
    expiry: field((cell) => parseExpiry(cell, ctx)),
    notes: field((cell) => parseText(cell)),
    title: field(parseTitle),
    paymentMethod: field(parsePaymentMethod),
    cashtag: field(parseCashtag),
  });
}

/** Mayar's name (the title in API v2) allows 255 characters, like a customer's name. */
function parseTitle(cell: Cell): Parsed<string | undefined> {
  return cellIsEmpty(cell) ? { ok: true, value: undefined } : parseName(cell);
}

// Mayar documents no format for paymentMethod; its channel list (GET /payment-channels) shows
// upper-case codes such as QRIS, MANDIRI, QRIS_STATIC. Only text that can't be a code at all is
// refused here; whether the account has the channel is checked against that list.
const PAYMENT_METHOD = /^[A-Z0-9_-]{1,64}$/;
// A Mayar cashtag: letters, digits, dot, dash or underscore, with or without its leading $.
const CASHTAG = /^\$?[A-Za-z0-9._-]{1,64}$/;

/** A payment channel code, written in any case: "qris" → "QRIS", "Mandiri" → "MANDIRI". */
export function parsePaymentMethod(cell: Cell): Parsed<string | undefined> {
  if (cellIsEmpty(cell)) return { ok: true, value: undefined };
  const code = String(cell).trim().toUpperCase();
  if (!PAYMENT_METHOD.test(code)) return { ok: false, message: { key: 'row.paymentMethodInvalid', params: { value: String(cell).trim() } } };
  return { ok: true, value: code };
}

function parseCashtag(cell: Cell): Parsed<string | undefined> {
  if (cellIsEmpty(cell)) return { ok: true, value: undefined };
  const tag = String(cell).trim();
  if (!CASHTAG.test(tag)) return { ok: false, message: { key: 'row.cashtagInvalid', params: { value: tag } } };
  return { ok: true, value: tag.replace(/^\$/, '') };
}

type RowSchema = ReturnType<typeof rowSchema>;

// A sheet is examined row after row with one context: build the schema once for it.
let cache: { ctx: RowContext; schema: RowSchema } | undefined;

function schemaFor(ctx: RowContext): RowSchema {
  if (cache?.ctx !== ctx) cache = { ctx, schema: rowSchema(ctx) };
  return cache.schema;
}

function cellAt(row: readonly Cell[], column: number | undefined): Cell {
  return column === undefined ? '' : (row[column] ?? '');
}

function headerFor(layout: SheetLayout, name: CheckedField, locale: Locale): string {
  return layout.headerText[name] ?? t(locale, `field.${name}` as MessageKey);
}

/** "Header: message", or the template alone when it places the header itself. */
function renderCellError(header: string, message: Message, locale: Locale): string {
  const params = { ...message.params, header };
  const text = t(locale, message.key, params);
  return t(locale, message.key).includes('{header}') ? text : `${header}: ${text}`;
}

function isCheckedField(key: PropertyKey | undefined): key is CheckedField {
  return typeof key === 'string' && ([...INPUT_FIELDS, ...REQUEST_EXTRAS] as readonly string[]).includes(key);
}

function isMessageParams(params: unknown): params is MessageIssueParams {
  return typeof params === 'object' && params !== null && 'message' in params;
}

/**
 * `shown` is the row as getDisplayValues() gives it: an amount the user does not see as it
 * would be sent is an Amount error, never a silent send (see amountAsShown).
 */
export function examineRow(row: readonly Cell[], layout: SheetLayout, ctx: RowContext, shown?: readonly string[]): RowVerdict {
  const { link, paymentId } = layout.output;
  if (!cellIsEmpty(cellAt(row, link)) || !cellIsEmpty(cellAt(row, paymentId))) return { kind: 'done' };

  const columns = INPUT_FIELDS.map((name) => layout.input[name]);
  if (columns.every((column) => cellIsEmpty(cellAt(row, column)))) return { kind: 'blank' };

  const fields: readonly CheckedField[] = [...INPUT_FIELDS, ...REQUEST_EXTRAS];
  const input = Object.fromEntries(fields.map((name) => [name, cellAt(row, layout.input[name as SheetField])]));
  const amountColumn = layout.input.amount;
  const shownAmount = shown && amountColumn !== undefined ? (shown[amountColumn] ?? '') : undefined;
  const amountProblem = amountAsShown(cellAt(row, amountColumn), shownAmount, ctx.sheetLocale);
  const amountError = amountProblem && {
    column: amountColumn ?? -1,
    text: renderCellError(headerFor(layout, 'amount', ctx.locale), amountProblem, ctx.locale),
  };
  const result = schemaFor(ctx).safeParse(input);
  if (!result.success || amountError) {
    const problems: { column: number; text: string }[] = amountError ? [amountError] : [];
    for (const issue of result.error?.issues ?? []) {
      const name = issue.path[0];
      // The locale's reading explains the amount better than "below the minimum".
      if (amountError && name === 'amount') continue;
      if (!isCheckedField(name) || issue.code !== 'custom' || !isMessageParams(issue.params)) {
        // Not expected from these parsers; still worth showing rather than hiding.
        problems.push({ column: -1, text: issue.message });
        continue;
      }
      problems.push({
        // A required column the sheet lacks is reported first.
        column: layout.input[name] ?? -1,
        text: renderCellError(headerFor(layout, name, ctx.locale), issue.params.message, ctx.locale),
      });
    }
    // Left to right, the way the user reads the row.
    problems.sort((a, b) => a.column - b.column);
    return { kind: 'invalid', errors: problems.map((p) => p.text) };
  }

  // Only to narrow the type: a failed parse returned above.
  if (!result.success) return { kind: 'invalid', errors: [] };
  const { name, amount, email, mobile, description, expiry, notes, title, paymentMethod, cashtag } = result.data;
  const template = ctx.titleTemplate ?? '{name}';
  const templated = () =>
    renderTemplate(ctx.locale, template, {
      name,
      amount,
      ...(description !== undefined && { description }),
      due: { instant: new Date(expiry), zone: ctx.zone },
      ...(ctx.headers !== undefined && { headers: ctx.headers }),
      cells: row,
      zone: ctx.zone,
    })
      .trim()
      .slice(0, NAME_MAX);
  const request: PaymentRequest = {
    // An empty rendering (a template of empty columns) falls back to the customer's name.
    name: title ?? (templated() || name),
    amount,
    ...(email !== undefined && { email }),
    ...(mobile !== undefined && { mobile }),
    ...(description !== undefined && { description }),
    ...(notes !== undefined && { notes }),
    ...(paymentMethod !== undefined && { paymentMethod }),
    ...(cashtag !== undefined && { cashtag }),
    expiredAt: expiry,
  };
  return { kind: 'valid', request };
}

/** The text for the Error cell: the row's errors joined with "; ", or "" when there are none. */
export function rowError(verdict: RowVerdict): string {
  return verdict.kind === 'invalid' ? verdict.errors.join('; ') : '';
}

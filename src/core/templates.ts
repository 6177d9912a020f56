/**
 * Message templates for bills, reminders and thank-you notes. A template is plain text with
 * {placeholders}: the row's fields in English or Indonesian ({name}/{nama}, {amount}/{jumlah},
 * {link}, {due}/{jatuh_tempo}, {description}/{deskripsi}, {days}/{hari}, {items}/{rincian}) or any sheet column
 * by its header ({Kelas}), matched ignoring case, spaces and punctuation.
 */
import { normaliseHeader } from './headers';
import { type Locale, type MessageKey, t } from './messages';
import { groupThousands } from './amount';
import { cellText, isDateCell } from './cell-text';
import { itemsOf } from './items';
import { type CalendarDate, calendarDateFromCell, calendarDateOf, formatLongDate } from './periods';
import type { Cell, ZoneInfo } from './types';

export const TEMPLATE_KINDS = ['bill', 'reminderBefore', 'reminderDue', 'thanks'] as const;
/** Which message a template is for. */
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

/** A due date as a calendar day, or as an instant read in the sheet's zone. */
export type DueDate = CalendarDate | { instant: Date; zone: ZoneInfo };

/** What a template can say about one row. */
export interface TemplateValues {
  name: string;
  amount: number;
  link?: string;
  due?: DueDate;
  description?: string;
  /** Days left until the due day, for reminders. */
  days?: number;
  /** The sheet's header row and this row's cells, for {Header} placeholders. */
  headers?: readonly Cell[];
  cells?: readonly Cell[];
  /** The sheet's zone, to show date cells of other columns. */
  zone?: ZoneInfo;
}

type BuiltIn = 'name' | 'amount' | 'link' | 'due' | 'description' | 'days' | 'items';

const BUILT_IN_NAMES: Record<BuiltIn, readonly string[]> = {
  name: ['name', 'nama'],
  amount: ['amount', 'jumlah'],
  link: ['link'],
  due: ['due', 'jatuh_tempo'],
  description: ['description', 'deskripsi'],
  days: ['days', 'hari'],
  // A bill with line items ("Rincian: SPP" columns): one line per item with its amount.
  items: ['items', 'rincian'],
};

const BUILT_IN: ReadonlyMap<string, BuiltIn> = new Map(
  (Object.keys(BUILT_IN_NAMES) as BuiltIn[]).flatMap((field) => BUILT_IN_NAMES[field].map((alias) => [normaliseHeader(alias), field] as const)),
);

// Inside braces: anything but braces and line breaks, so "{ }" in prose is left alone.
const PLACEHOLDER = /\{([^{}\r\n]{1,80})\}/g;

/** "Rp1.500.000", the way a message to a customer writes rupiah. */
export function formatAmount(amount: number): string {
  return `${amount < 0 ? '-' : ''}Rp${groupThousands(Math.round(Math.abs(amount)))}`;
}

/** "31 Desember 2026" / "31 December 2026". */
export function formatDue(locale: Locale, due: DueDate): string {
  return formatLongDate(locale, 'instant' in due ? calendarDateOf(due.instant, due.zone) : due);
}

/** The placeholder names a template uses, as written inside the braces (trimmed), once each. */
export function placeholdersOf(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = (match[1] ?? '').trim();
    if (name !== '' && !names.includes(name)) names.push(name);
  }
  return names;
}

function headerKeys(headers: readonly Cell[] | undefined): Map<string, number> {
  const keys = new Map<string, number>();
  (headers ?? []).forEach((header, column) => {
    const text = typeof header === 'string' ? header : typeof header === 'number' ? String(header) : '';
    const key = normaliseHeader(text);
    if (key !== '' && !keys.has(key)) keys.set(key, column);
  });
  return keys;
}

/** The placeholders that name neither a built-in field nor a column of `headers`, to flag when a template is saved. */
export function validateTemplate(template: string, headers: readonly Cell[]): string[] {
  const columns = headerKeys(headers);
  return placeholdersOf(template).filter((name) => {
    const key = normaliseHeader(name);
    return key === '' || (!BUILT_IN.has(key) && !columns.has(key));
  });
}

/** A rendered piece: template text, or a value that came from the sheet. */
interface Piece {
  text: string;
  fromSheet: boolean;
  isLink?: boolean;
}

function columnText(locale: Locale, cell: Cell | undefined, zone: ZoneInfo | undefined): string {
  if (cell === undefined) return '';
  if (isDateCell(cell) && zone !== undefined) {
    const text = cellText(cell, zone);
    // A date without a time of day reads best written out: "31 Desember 2026".
    const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? calendarDateFromCell(cell, zone) : null;
    return date !== null ? formatLongDate(locale, date) : text;
  }
  return cellText(cell, zone);
}

function builtInText(locale: Locale, field: BuiltIn, values: TemplateValues): string {
  switch (field) {
    case 'name':
      return values.name;
    case 'amount':
      return formatAmount(values.amount);
    case 'link':
      return values.link ?? '';
    case 'due':
      return values.due === undefined ? '' : formatDue(locale, values.due);
    case 'description':
      return values.description ?? '';
    case 'days':
      return values.days === undefined ? '' : String(values.days);
    case 'items':
      return itemsOf(values.headers, values.cells)
        .map((item) => `${item.description}: ${formatAmount(item.rate)}`)
        .join('\n');
  }
}

function pieces(locale: Locale, template: string, values: TemplateValues): Piece[] {
  const columns = headerKeys(values.headers);
  const out: Piece[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const start = match.index ?? 0;
    const key = normaliseHeader(match[1] ?? '');
    const field = BUILT_IN.get(key);
    const column = columns.get(key);
    // Unknown placeholders stay as written, so a typo shows up in the message preview.
    if (key === '' || (field === undefined && column === undefined)) continue;
    out.push({ text: template.slice(last, start), fromSheet: false });
    out.push(
      field !== undefined
        ? { text: builtInText(locale, field, values), fromSheet: true, isLink: field === 'link' }
        : { text: columnText(locale, values.cells?.[column ?? -1], values.zone), fromSheet: true },
    );
    last = start + match[0].length;
  }
  out.push({ text: template.slice(last), fromSheet: false });
  return out;
}

/** The template filled in for a row, as plain text (WhatsApp, plain-text email). */
export function renderTemplate(locale: Locale, template: string, values: TemplateValues): string {
  return pieces(locale, template, values)
    .map((piece) => piece.text)
    .join('');
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const SAFE_LINK = /^https:\/\/[^\s"'<>]+$/;

/**
 * The template filled in for a row, as HTML for an email body: every character is escaped (the
 * template's and the sheet's), line breaks become <br>, and an https {link} becomes clickable.
 */
export function renderTemplateHtml(locale: Locale, template: string, values: TemplateValues): string {
  return pieces(locale, template, values)
    .map((piece) => {
      const escaped = escapeHtml(piece.text);
      return piece.isLink === true && SAFE_LINK.test(piece.text) ? `<a href="${escaped}">${escaped}</a>` : escaped;
    })
    .join('')
    .replace(/\r\n|\r|\n/g, '<br>\n');
}

/** How the built-in messages address the customer: "Kak" (shops) or "Bapak/Ibu" (schools, kos). */
export const REGISTERS = ['kak', 'formal'] as const;
export type Register = (typeof REGISTERS)[number];

const DEFAULT_KEY: Record<Register, Record<TemplateKind, MessageKey>> = {
  kak: {
    bill: 'template.bill',
    reminderBefore: 'template.reminderBefore',
    reminderDue: 'template.reminderDue',
    thanks: 'template.thanks',
  },
  formal: {
    bill: 'template.formal.bill',
    reminderBefore: 'template.formal.reminderBefore',
    reminderDue: 'template.formal.reminderDue',
    thanks: 'template.formal.thanks',
  },
};

/** The built-in template of a kind, in the interface language and the chosen register. */
export function defaultTemplate(locale: Locale, kind: TemplateKind, register: Register = 'kak'): string {
  return t(locale, DEFAULT_KEY[register][kind]);
}

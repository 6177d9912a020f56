/**
 * Header row → column layout. Columns are found by their header text, in English or
 * Indonesian, in any order; the add-on's own output columns are found the same way.
 */
import type { Locale } from './messages';
import type { Cell, InputField, OutputField } from './types';
import { OUTPUT_HEADERS } from './types';
import { cellIsEmpty } from './cell-text';

/** Input columns that are not part of the payment request: messages, recurring bills, reminders. */
export type ExtraInputField = 'title' | 'paymentMethod' | 'cashtag' | 'repeat' | 'reminders';
/** Every input column the add-on reads. */
export type SheetField = InputField | ExtraInputField;

/** Output columns written only by some jobs, added when a job first needs them. */
export type ExtraOutputColumn = 'paidAt' | 'whatsappLink' | 'whatsappSentAt' | 'emailedAt' | 'lastReminder';
export type OutputColumn = OutputField | ExtraOutputColumn;

export interface SheetLayout {
  /** 0-based column index of each input field found. */
  input: Partial<Record<SheetField, number>>;
  /** The header as the sheet spells it (trimmed), for messages. */
  headerText: Partial<Record<SheetField, string>>;
  /** 0-based index of each output column found. */
  output: Partial<Record<OutputColumn, number>>;
  /** Later columns that could have been the field (two amount columns): their headers, for the confirmation. */
  others?: Partial<Record<SheetField, string[]>>;
  /** Index after the last non-empty header cell. */
  width: number;
}

/** The English header of each output column. */
export const OUTPUT_HEADER_TEXT: Record<OutputColumn, string> = {
  ...OUTPUT_HEADERS,
  paidAt: 'Paid At',
  whatsappLink: 'WhatsApp Link',
  whatsappSentAt: 'WhatsApp Sent At',
  emailedAt: 'Emailed At',
  lastReminder: 'Last Reminder',
};

/** The Indonesian header of each output column. */
export const OUTPUT_HEADER_TEXT_ID: Record<OutputColumn, string> = {
  link: 'Link Pembayaran',
  paymentId: 'ID Pembayaran',
  transactionId: 'ID Transaksi',
  status: 'Status',
  error: 'Keterangan Error',
  paidAt: 'Dibayar Pada',
  whatsappLink: 'Link WhatsApp',
  whatsappSentAt: 'WhatsApp Terkirim Pada',
  emailedAt: 'Email Terkirim Pada',
  lastReminder: 'Pengingat Terakhir',
};

/** The header an output column gets when it is added, in the interface language. */
export function outputHeaderText(locale: Locale, column: OutputColumn): string {
  return (locale === 'id' ? OUTPUT_HEADER_TEXT_ID : OUTPUT_HEADER_TEXT)[column];
}

/** Other spellings of output headers people type. */
const OUTPUT_ALIASES: Partial<Record<OutputColumn, readonly string[]>> = {
  error: ['Galat'],
};

/** The order in which missing output columns are appended. */
const OUTPUT_ORDER: readonly OutputField[] = ['link', 'paymentId', 'transactionId', 'status', 'error'];

/** Accepted headers per input field, written loosely: they go through normaliseHeader too. */
const INPUT_ALIASES: Record<SheetField, readonly string[]> = {
  name: [
    'Name',
    'Customer',
    'Customer Name',
    'Full Name',
    'Nama',
    'Nama Pelanggan',
    'Nama Lengkap',
    'Pelanggan',
    'Nama Customer',
    // admin: the names schools and kos already use
    'Nama Siswa',
    'Nama Penyewa',
    'Nama Peserta',
    'Siswa',
    'Penyewa',
    'Peserta',
  ],
  amount: [
    'Amount',
    'Jumlah',
    'Nominal',
    'Total',
    'Tagihan',
    'Price',
    'Harga',
    'Jumlah Tagihan',
    'Total Tagihan',
    'Jumlah Bayar',
    'Total Bayar',
    // admin: fees as schools and kos call them
    'Biaya',
    'Biaya Sewa',
    'Iuran',
    'SPP',
  ],
  email: ['Email', 'E-mail', 'Surel', 'Email Address', 'Alamat Email', 'Email Wali', 'Email Orang Tua', 'Email Ortu'],
  mobile: [
    'No HP Wali',
    'No WA Wali',
    'No HP Orang Tua',
    'Mobile',
    'Phone',
    'WhatsApp',
    'WA',
    'HP',
    'No HP',
    'Nomor HP',
    'Telepon',
    'Phone Number',
    'Mobile Number',
    'Mobile Phone',
    'No WA',
    'Nomor WA',
    'No WhatsApp',
    'Nomor WhatsApp',
    'Handphone',
    'No Handphone',
    'Nomor Handphone',
    'Telp',
    'No Telp',
    'No Telepon',
    'Nomor Telepon',
  ],
  description: ['Description', 'Deskripsi', 'Keterangan'],
  expiry: [
    'Expires At',
    'Expired At',
    'Expiry',
    'Expiry Date',
    'Due Date',
    'Kedaluwarsa',
    'Jatuh Tempo',
    'Batas Bayar',
    'Expires',
    'Expiration',
    'Expiration Date',
    'Tanggal Jatuh Tempo',
    'Batas Pembayaran',
    'Tanggal Kedaluwarsa',
    // Common misspellings of "kedaluwarsa"
    'Kadaluwarsa',
    'Kadaluarsa',
    'Kedaluarsa',
  ],
  notes: ['Notes', 'Note', 'Catatan'],
  title: ['Title', 'Judul', 'Judul Tagihan'],
  paymentMethod: ['Payment Method', 'Metode Pembayaran', 'Metode Bayar', 'Cara Bayar', 'Cara Pembayaran'],
  cashtag: ['Cashtag'],
  repeat: ['Repeat', 'Ulangi', 'Berulang', 'Recurring'],
  reminders: ['Reminders', 'Reminder', 'Pengingat'],
};

/**
 * Lowercase letters and digits only, so "E-mail", "e_mail" and " EMAIL " match, and "No. HP"
 * matches "No HP". A parenthesised remark ("Amount (Rp)", "No HP (WhatsApp)") is dropped first.
 */
export function normaliseHeader(text: string): string {
  const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const withoutRemarks = squash(text.replace(/\([^)]*\)/g, ' '));
  return withoutRemarks !== '' ? withoutRemarks : squash(text);
}

function buildLookup<K extends string>(aliases: Record<K, readonly string[]>): Map<string, K> {
  const lookup = new Map<string, K>();
  for (const field of Object.keys(aliases) as K[]) {
    for (const alias of aliases[field]) lookup.set(normaliseHeader(alias), field);
  }
  return lookup;
}

// Built lazily: Apps Script evaluates the whole bundle on every execution.
let inputLookup: Map<string, SheetField> | undefined;
let outputLookup: Map<string, OutputColumn> | undefined;

function lookups(): { input: Map<string, SheetField>; output: Map<string, OutputColumn> } {
  inputLookup ??= buildLookup(INPUT_ALIASES);
  if (outputLookup === undefined) {
    // Output columns are recognised in both languages, whatever the interface language.
    const aliases = {} as Record<OutputColumn, readonly string[]>;
    for (const column of Object.keys(OUTPUT_HEADER_TEXT) as OutputColumn[]) {
      aliases[column] = [OUTPUT_HEADER_TEXT[column], OUTPUT_HEADER_TEXT_ID[column], ...(OUTPUT_ALIASES[column] ?? [])];
    }
    outputLookup = buildLookup(aliases);
  }
  return { input: inputLookup, output: outputLookup };
}

/** Only text (and numbers) can name a column; any other non-empty cell still takes space. */
function headerString(cell: Cell | undefined): string {
  if (typeof cell === 'string') return cell.trim();
  return typeof cell === 'number' ? String(cell) : '';
}

export function mapHeaders(headerRow: readonly Cell[]): SheetLayout {
  const { input: inputs, output: outputs } = lookups();
  const layout: SheetLayout = { input: {}, headerText: {}, output: {}, width: 0 };
  headerRow.forEach((cell, column) => {
    if (cellIsEmpty(cell)) return;
    // Output columns are appended after this, so nothing the user typed may be overwritten.
    layout.width = column + 1;
    const text = headerString(cell);
    const key = normaliseHeader(text);
    const field = inputs.get(key);
    // The first column of a field wins; later ones are noted, for the confirmation to name.
    if (field !== undefined) {
      if (layout.input[field] === undefined) {
        layout.input[field] = column;
        layout.headerText[field] = text;
      } else {
        layout.others ??= {};
        (layout.others[field] ??= []).push(text);
      }
      return;
    }
    const out = outputs.get(key);
    if (out !== undefined && layout.output[out] === undefined) layout.output[out] = column;
  });
  return layout;
}

/** The header Set up this sheet writes for each input, in each language. */
const INPUT_HEADER_TEXT: Record<Locale, Record<'name' | 'email' | 'mobile' | 'amount' | 'description' | 'expiry' | 'notes', string>> = {
  en: { name: 'Name', email: 'Email', mobile: 'Mobile', amount: 'Amount', description: 'Description', expiry: 'Expires At', notes: 'Notes' },
  id: { name: 'Nama', email: 'Email', mobile: 'No HP', amount: 'Jumlah', description: 'Keterangan', expiry: 'Jatuh Tempo', notes: 'Catatan' },
};

/**
 * The header row Set up this sheet writes on an empty sheet, in the interface language: the
 * inputs, then what a person reads (the link, Status, the error, when paid), the ids last.
 */
export function setupHeaderRow(locale: Locale): string[] {
  const input = INPUT_HEADER_TEXT[locale];
  const inputs = [input.name, input.email, input.mobile, input.amount, input.description, input.expiry, input.notes];
  const outputs: OutputColumn[] = ['link', 'status', 'error', 'paidAt', 'paymentId', 'transactionId'];
  return [...inputs, ...outputs.map((column) => outputHeaderText(locale, column))];
}

/** "Nama | Jumlah | Email | Jatuh Tempo": an example header row for messages. */
export function exampleHeaders(locale: Locale): string {
  const input = INPUT_HEADER_TEXT[locale];
  return [input.name, input.amount, input.email, input.expiry].join(' | ');
}

/** The required input fields the header row lacks, in the order name, amount. */
export function missingRequired(layout: SheetLayout): InputField[] {
  return (['name', 'amount'] as const).filter((field) => layout.input[field] === undefined);
}

/**
 * Adds missing output headers to the right of the last non-empty header, in the order
 * Payment Link, Payment ID, Transaction ID, Status, Error, then the extra ones asked for,
 * named in `locale` (English unless given). Returns the new layout and the header cells to write.
 */
export function planOutputColumns(
  layout: SheetLayout,
  extra: readonly ExtraOutputColumn[] = [],
  locale: Locale = 'en',
): { layout: SheetLayout; added: { column: number; header: string }[] } {
  const output: Partial<Record<OutputColumn, number>> = { ...layout.output };
  const added: { column: number; header: string }[] = [];
  let width = layout.width;
  const wanted: OutputColumn[] = [...OUTPUT_ORDER];
  for (const key of extra) if (!wanted.includes(key)) wanted.push(key);
  for (const key of wanted) {
    if (output[key] !== undefined) continue;
    output[key] = width;
    added.push({ column: width, header: outputHeaderText(locale, key) });
    width += 1;
  }
  return {
    layout: { input: { ...layout.input }, headerText: { ...layout.headerText }, output, width, ...(layout.others ? { others: layout.others } : {}) },
    added,
  };
}

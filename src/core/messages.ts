/**
 * Every user-facing text, in English and Indonesian. Templates use {placeholders}.
 * The Indonesian table must have exactly the English keys (the type checks it).
 */
export type Locale = 'en' | 'id';

const en = {
  // Cell problems (prefixed with the column's header as the sheet spells it)
  'cell.required': 'is required',
  'name.tooLong': 'is longer than {max} characters',
  'amount.notRupiah': '"{value}" is not a rupiah amount',
  'amount.fraction': '"{value}" has a fraction; use whole rupiah',
  'amount.negative': '"{value}" is negative',
  'amount.tooSmall': '{value} is below the minimum of Rp 500',
  'amount.tooLarge': '{value} is above the maximum of Rp {max}',
  'email.invalid': '"{value}" is not a valid email address',
  'mobile.invalid': '"{value}" is not an Indonesian mobile number (use 08…, +62… or 62…)',
  'expiry.invalid': '"{value}" is not a date (use 2026-12-31, 31/12/2026 or 2026-12-31 17:00)',
  'expiry.past': '{value} is in the past',
  // Rendered without the "Header: " prefix because the template names the column itself
  'cell.missing': '{header} is required',
  'text.tooLong': 'is longer than {max} characters',
  // Column labels used when the sheet has no such header to quote
  'field.name': 'Name',
  'field.amount': 'Amount',
  'field.email': 'Email',
  'field.mobile': 'Mobile',
  'field.description': 'Description',
  'field.expiry': 'Expiry',
  'field.notes': 'Notes',
} as const;

export type MessageKey = keyof typeof en;

const id: Record<MessageKey, string> = {
  'cell.required': 'wajib diisi',
  'name.tooLong': 'lebih dari {max} karakter',
  'amount.notRupiah': '"{value}" bukan jumlah rupiah',
  'amount.fraction': '"{value}" memiliki pecahan; gunakan rupiah bulat',
  'amount.negative': '"{value}" bernilai negatif',
  'amount.tooSmall': '{value} di bawah minimum Rp 500',
  'amount.tooLarge': '{value} di atas maksimum Rp {max}',
  'email.invalid': '"{value}" bukan alamat email yang valid',
  'mobile.invalid': '"{value}" bukan nomor HP Indonesia (gunakan 08…, +62… atau 62…)',
  'expiry.invalid': '"{value}" bukan tanggal (gunakan 2026-12-31, 31/12/2026 atau 2026-12-31 17:00)',
  'expiry.past': '{value} sudah lewat',
  'cell.missing': '{header} wajib diisi',
  'text.tooLong': 'lebih dari {max} karakter',
  'field.name': 'Nama',
  'field.amount': 'Jumlah',
  'field.email': 'Email',
  'field.mobile': 'No HP',
  'field.description': 'Deskripsi',
  'field.expiry': 'Kedaluwarsa',
  'field.notes': 'Catatan',
};

const catalogue: Record<Locale, Record<MessageKey, string>> = { en, id };

export type MessageParams = Record<string, string | number>;

/** A message not yet rendered, so the core can decide text without knowing the user's locale. */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

export function t(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogue[locale][key] ?? catalogue.en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function render(locale: Locale, message: Message): string {
  return t(locale, message.key, message.params);
}

/** "id" for Indonesian locales (id, id_ID, in_ID), English otherwise. */
export function localeFrom(tag: string | undefined | null): Locale {
  const lower = (tag ?? '').toLowerCase();
  return lower.startsWith('id') || lower.startsWith('in') ? 'id' : 'en';
}

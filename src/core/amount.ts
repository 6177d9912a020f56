/**
 * Rupiah amounts as text: reading what people type ("Rp 250.000", "250,000"), writing amounts
 * the way rupiah are written, and which spreadsheet locales read "." as a decimal point.
 */
import { plainNumber } from './cell-text';

/** 10000000000 → "10.000.000.000", the way rupiah are written. */
export function groupThousands(n: number): string {
  return plainNumber(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

export type AmountReading = { kind: 'number'; value: number; negative: boolean; fraction: boolean } | { kind: 'notNumber' } | { kind: 'ambiguous' };

/**
 * Reads "Rp 250.000", "250,000", "Rp. 1.250.000", "IDR 250000", "Rp 250.000,-". A separator
 * followed by groups of exactly three digits is a thousands separator (both "." and ","
 * are used in Indonesia); any other separator starts a fraction. A last separator followed by
 * exactly three digits that is not read as a thousands separator ("1.500,000", "1,000.000",
 * "1000,000") could mean a fraction or a mistyped group: it is ambiguous, never guessed.
 */
export function readAmountText(raw: string): AmountReading {
  let s = raw.replace(/\s+/g, '');
  let negative = false;
  const takeSign = (): void => {
    if (/^[-\u2212]/.test(s)) {
      negative = true;
      s = s.slice(1);
    }
  };
  takeSign();
  s = s.replace(/^(?:rp\.?|idr)/i, '');
  takeSign();
  s = s.replace(/(?:idr|rupiah)$/i, '').replace(/[.,]-+$/, '');

  let whole: string;
  let fractionDigits = '';
  let match: RegExpExecArray | null;
  if (/^\d+$/.test(s)) {
    whole = s;
  } else if (/^\d{1,3}(?:\.\d{3})+$/.test(s) || /^\d{1,3}(?:,\d{3})+$/.test(s)) {
    whole = s.replace(/[.,]/g, '');
  } else if ((match = /^(\d{1,3}(?:\.\d{3})+|\d+),(\d+)$/.exec(s)) !== null) {
    whole = (match[1] ?? '').replace(/\./g, '');
    fractionDigits = match[2] ?? '';
  } else if ((match = /^(\d{1,3}(?:,\d{3})+|\d+)\.(\d+)$/.exec(s)) !== null) {
    whole = (match[1] ?? '').replace(/,/g, '');
    fractionDigits = match[2] ?? '';
  } else {
    return { kind: 'notNumber' };
  }
  if (fractionDigits.length === 3) return { kind: 'ambiguous' };
  return {
    kind: 'number',
    value: Number(whole),
    negative,
    fraction: /[1-9]/.test(fractionDigits),
  };
}

/**
 * Languages whose Sheets locales read "," as the decimal point and "." as the thousands
 * separator, as Indonesian does; with the few countries that differ from their language.
 * Any other locale is taken to read "." as a decimal point: the safe side, since that is
 * where a typed 500.000 silently becomes 500.
 */
const COMMA_DECIMAL_LANGUAGES = new Set([
  'id',
  'in',
  'de',
  'nl',
  'da',
  'es',
  'pt',
  'it',
  'tr',
  'el',
  'ro',
  'hr',
  'sl',
  'sr',
  'bs',
  'is',
  'vi',
  'ca',
  'gl',
  'eu',
  'az',
]);
const DOT_DECIMAL_LOCALES = new Set(['es_mx', 'es_us', 'es_pr', 'es_do', 'es_gt', 'es_hn', 'es_ni', 'es_pa', 'es_sv', 'de_ch', 'it_ch']);

/** Whether a spreadsheet locale (getSpreadsheetLocale(): "en_US", "id", "in_ID") reads "." as a decimal point. */
export function readsDotAsDecimal(sheetLocale: string): boolean {
  const tag = sheetLocale.toLowerCase().replace('-', '_');
  if (DOT_DECIMAL_LOCALES.has(tag)) return true;
  return !COMMA_DECIMAL_LANGUAGES.has(tag.split('_')[0] ?? '');
}

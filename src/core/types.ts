/** A cell as Apps Script's getValues() returns it: "" for empty, Date for date cells. */
export type Cell = string | number | boolean | Date;

/** The fields a row can carry, by their canonical name. */
export const INPUT_FIELDS = ['name', 'amount', 'email', 'mobile', 'description', 'expiry', 'notes'] as const;
export type InputField = (typeof INPUT_FIELDS)[number];

/** Columns the add-on writes, with the exact header it creates when missing. */
export const OUTPUT_HEADERS = {
  link: 'Payment Link',
  paymentId: 'Payment ID',
  transactionId: 'Transaction ID',
  status: 'Status',
  error: 'Error',
} as const;
export type OutputField = keyof typeof OUTPUT_HEADERS;

/** Wall-clock facts of the spreadsheet's time zone, answered by Utilities.formatDate in Apps Script. */
export interface ZoneInfo {
  /** IANA name, e.g. "Asia/Jakarta". */
  readonly timeZone: string;
  /** Offset from UTC in minutes at the given instant (Jakarta: +420). */
  offsetMinutes(instant: Date): number;
}

/** The request body of POST /hl/v2/payments/create, as this add-on sends it. */
export interface PaymentRequest {
  name: string;
  amount: number;
  email?: string;
  mobile?: string;
  description?: string;
  notes?: string;
  /** A payment channel code (QRIS, MANDIRI, OVO), upper-case as Mayar lists them: the only way the customer may pay. */
  paymentMethod?: string;
  cashtag?: string;
  /** ISO 8601 in UTC, e.g. 2026-12-31T16:59:59.000Z. */
  expiredAt: string;
  extraData?: Record<string, string>;
}

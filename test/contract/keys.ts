/**
 * Mayar's documented replies (fixtures/*.json) and a comparison of key sets, shared by the
 * contract test (against the simulator) and scripts/contract.ts (against the real sandbox).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Fixture {
  /** Which call answers like this, for people reading the file. */
  request: string;
  note?: string;
  /** HTTP status; absent for the webhook body, which Mayar sends rather than answers. */
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export type FixtureName =
  | 'create-success'
  | 'create-validation-400'
  | 'create-failed-200'
  | 'unauthorized-401'
  | 'conflict-409'
  | 'duplicate-429'
  | 'rate-limit-429'
  | 'error-500'
  | 'payment-detail'
  | 'payment-list'
  | 'transaction'
  | 'close-success'
  | 'close-refused-paid'
  | 'close-unknown-404'
  | 'webhook-history'
  | 'paid-transactions'
  | 'payment-channels'
  // invoices
  | 'invoice-create'
  | 'invoice-detail'
  | 'invoice-list'
  | 'webhook-payment-received';

const DIR = new URL('./fixtures/', import.meta.url);

export function fixtureNames(): string[] {
  return readdirSync(DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

export function fixture(name: FixtureName): Fixture {
  return JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')) as Fixture;
}

/** The caller's own keys (extraData is what the create call sent), so any key is fine there. */
const FREE_FORM = new Set(['extraData']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Paths of keys in `actual` that `documented` does not have, at any depth. Array items are
 * compared with the documented array's first item.
 */
export function extraKeys(actual: unknown, documented: unknown, path = 'body'): string[] {
  if (Array.isArray(actual) && Array.isArray(documented)) {
    const shape: unknown = documented[0];
    if (shape === undefined) return [];
    return actual.flatMap((item, i) => extraKeys(item, shape, `${path}[${i}]`));
  }
  if (!isPlainObject(actual) || !isPlainObject(documented)) return [];
  return Object.keys(actual).flatMap((key) => {
    const where = `${path}.${key}`;
    if (!(key in documented)) return [where];
    return FREE_FORM.has(key) ? [] : extraKeys(actual[key], documented[key], where);
  });
}

/** Paths of documented keys that `actual` lacks (array items: the first of each). */
export function missingKeys(actual: unknown, documented: unknown, path = 'body'): string[] {
  if (Array.isArray(actual) && Array.isArray(documented)) {
    const [item] = actual as unknown[];
    const [shape] = documented as unknown[];
    return item === undefined || shape === undefined ? [] : missingKeys(item, shape, `${path}[0]`);
  }
  if (!isPlainObject(actual) || !isPlainObject(documented)) return [];
  return Object.keys(documented).flatMap((key) => {
    const where = `${path}.${key}`;
    if (!(key in actual)) return [where];
    return FREE_FORM.has(key) ? [] : missingKeys(actual[key], documented[key], where);
  });
}

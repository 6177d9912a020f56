/**
 * Recognising a lost create in Mayar's list: a create whose reply never came may or may not
 * have made a payment, and the list is where to find it before anything is sent again.
 */
import type { ListedPayment } from './mayar-schemas';

/** name|amount|description, the fields Mayar lists, hashed the same way on both sides. */
export function matchText(name: string, amount: number, description: string | undefined | null): string {
  return `${name.trim().toLowerCase()}|${amount}|${(description ?? '')
    .replace(/<[^>]*>/g, '')
    .trim()
    .toLowerCase()}`;
}

export type Reconciled = { kind: 'found'; payment: ListedPayment } | { kind: 'absent' } | { kind: 'ambiguous'; count: number };

/** Clock skew allowed between us and Mayar when comparing createdAt with our send time. */
export const SKEW_MS = 120_000;

/**
 * Matches rows whose create may have reached Mayar against the listed payments. The attempt
 * key in a transaction's extraData is proof; otherwise the content must match, created after
 * the attempt, and not be a payment the sheet already knows. Each payment goes to one row.
 */
export function reconcile(
  rows: readonly { key: string; attemptPrefix: string; match: string; at: number; provable: boolean }[],
  payments: readonly ListedPayment[],
  matchOf: (payment: ListedPayment) => string,
  knownIds: ReadonlySet<string>,
): Map<string, Reconciled> {
  const taken = new Set<string>(knownIds);
  const result = new Map<string, Reconciled>();
  const keyed = (p: ListedPayment, prefix: string) =>
    (p.transactions ?? []).some((tx) => {
      const value = tx.extraData?.['sheetRowKey'];
      return typeof value === 'string' && value.startsWith(prefix);
    });
  // Proof first, so content matching never steals a payment that carries another row's key.
  for (const row of rows) {
    const proven = payments.find((p) => !taken.has(p.id) && keyed(p, row.attemptPrefix));
    if (proven) {
      taken.add(proven.id);
      result.set(row.key, { kind: 'found', payment: proven });
    }
  }
  // A create with an email makes a transaction carrying our key: without it, it wasn't ours.
  const open = rows.filter((row) => !result.has(row.key));
  for (const row of open) if (row.provable) result.set(row.key, { kind: 'absent' });
  for (const row of open) {
    if (result.has(row.key)) continue;
    const candidates = payments.filter(
      (p) =>
        !taken.has(p.id) &&
        p.createdAt >= row.at - SKEW_MS &&
        matchOf(p) === row.match &&
        !(p.transactions ?? []).some((tx) => typeof tx.extraData?.['sheetRowKey'] === 'string'),
    );
    const twins = open.filter((other) => other.match === row.match && !result.has(other.key)).length;
    if (candidates.length === 0) result.set(row.key, { kind: 'absent' });
    else if (candidates.length === 1 || candidates.length <= twins) {
      // Oldest first: identical rows were sent in sheet order.
      const chosen = [...candidates].sort((a, b) => a.createdAt - b.createdAt)[0];
      if (chosen) {
        taken.add(chosen.id);
        result.set(row.key, { kind: 'found', payment: chosen });
      }
    } else result.set(row.key, { kind: 'ambiguous', count: candidates.length });
  }
  return result;
}

/**
 * Finding a lost create in Mayar's list, at its edges: payments made outside the add-on (no
 * transactions, or transactions without extraData), and identical rows some of which are
 * already answered.
 */
import { describe, expect, it } from 'vitest';
import type { ListedPayment } from '../../src/core/mayar-schemas';
import { matchText, reconcile } from '../../src/core/reconcile';

const AT = 1_750_000_000_000;
const matchOf = (p: ListedPayment) => matchText(p.name ?? '', p.amount ?? 0, p.description);

function payment(id: string, name: string, transactions?: ListedPayment['transactions']): ListedPayment {
  return { id, name, amount: 1000, description: 'Fee', createdAt: AT + 1, transactions };
}

function row(u: number, name: string, provable = false) {
  return { key: String(u), attemptPrefix: `job1.${u}.`, match: matchText(name, 1000, 'Fee'), at: AT, provable };
}

describe('reconcile, with payments made outside the add-on', () => {
  it('matches by content a payment without transactions, or whose transactions carry no extraData', () => {
    for (const transactions of [undefined, null, [], [{ id: 't1' }], [{ id: 't1', extraData: null }], [{ id: 't1', extraData: { other: 'x' } }]]) {
      const p = payment('p1', 'Budi', transactions);
      expect(reconcile([row(1, 'Budi')], [p], matchOf, new Set())).toEqual(new Map([['1', { kind: 'found', payment: p }]]));
    }
  });

  it('a row with an email (provable) is absent when the only match carries no key', () => {
    const p = payment('p1', 'Budi', [{ id: 't1', extraData: null }]);
    expect(reconcile([row(1, 'Budi', true)], [p], matchOf, new Set())).toEqual(new Map([['1', { kind: 'absent' }]]));
  });
});

describe('reconcile, identical rows', () => {
  it('counts only the rows with the same content as twins: two matches for one Budi are ambiguous, whatever other rows wait', () => {
    const payments = [payment('p1', 'Budi'), payment('p2', 'Budi')];
    expect(reconcile([row(1, 'Budi'), row(2, 'Sari')], payments, matchOf, new Set())).toEqual(
      new Map([
        ['1', { kind: 'ambiguous', count: 2 }],
        ['2', { kind: 'absent' }],
      ]),
    );
  });

  it('does not count an identical row already answered as a twin waiting for a payment', () => {
    const payments = [payment('p1', 'Budi'), payment('p2', 'Budi')];
    // Row 1 has an email: without a key it is absent, so only row 2 waits for these two.
    expect(reconcile([row(1, 'Budi', true), row(2, 'Budi')], payments, matchOf, new Set())).toEqual(
      new Map([
        ['1', { kind: 'absent' }],
        ['2', { kind: 'ambiguous', count: 2 }],
      ]),
    );
  });
});

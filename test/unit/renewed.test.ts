import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/app/ports';
import { rememberRenewed, renewedPayments } from '../../src/app/renewed';

class MemoryStore implements KeyValueStore {
  readonly values = new Map<string, string>();
  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  getAll(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
  setMany(values: Record<string, string | null>): void {
    for (const [key, value] of Object.entries(values)) {
      if (value === null) this.values.delete(key);
      else this.values.set(key, value);
    }
  }
}

describe('the renewed-id record', () => {
  it('keeps the newest replaced ids under 8,000 bytes of UTF-8, the oldest going first, one entry per id', () => {
    const store = new MemoryStore();
    for (let i = 0; i < 200; i++) rememberRenewed(store, [{ o: `old-${i}`, s: 7, r: i + 2, n: `Ibu Siti ${'é'.repeat(40)} 🙏`, a: i }]);
    rememberRenewed(store, [{ o: 'old-199', s: 7, r: 5, n: 'Siti', a: 999 }]);
    const value = store.get('mayar.renewed') ?? '';
    expect(Buffer.byteLength(value, 'utf8')).toBeLessThanOrEqual(8000);
    const list = renewedPayments(store);
    expect(list.at(-1)).toEqual({ o: 'old-199', s: 7, r: 5, n: 'Siti', a: 999 });
    expect(list.filter((p) => p.o === 'old-199')).toHaveLength(1);
    expect(list.length).toBeGreaterThan(20);
  });

  it('reads an unreadable record as empty', () => {
    const store = new MemoryStore();
    store.setMany({ 'mayar.renewed': '{not json' });
    expect(renewedPayments(store)).toEqual([]);
  });
});

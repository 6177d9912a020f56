import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/app/ports';
import { Store } from '../../src/app/store';
import { newJob, pendingRow } from '../../src/core/job';

/** Properties as Apps Script keeps them, with the order of every write and delete recorded. */
class MemoryStore implements KeyValueStore {
  readonly values = new Map<string, string>();
  readonly operations: string[] = [];
  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  getAll(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
  setMany(values: Record<string, string | null>): void {
    for (const [key, value] of Object.entries(values)) {
      this.operations.push(`${value === null ? 'delete' : 'set'} ${key}`);
      if (value === null) this.values.delete(key);
      else this.values.set(key, value);
    }
  }
}

function job(rows: number) {
  return newJob({
    id: 'j1',
    kind: 'create',
    sheetId: 1,
    sheetName: 'Tagihan Desember',
    startedBy: 'ani@example.com',
    startedByKey: 'k-ani',
    startedAt: 1_780_000_000_000,
    environment: 'sandbox',
    keyScope: 'user',
    rows: Array.from({ length: rows }, (_, i) => pendingRow(i, `key-${i}-ÄÖ`, i + 2)),
    skipped: 0,
    failed: 0,
    firstErrorRow: null,
  });
}

describe('Store: the job kept in document properties', () => {
  it('splits a big job over parts of at most 8,000 ASCII characters and reads it back whole', () => {
    const doc = new MemoryStore();
    const store = new Store(doc, new MemoryStore());
    const big = job(2000);
    store.save({ job: big });
    const parts = Number(doc.get('mayar.job'));
    expect(parts).toBeGreaterThan(5);
    for (let i = 0; i < parts; i++) {
      const part = doc.get(`mayar.job.${i}`) ?? '';
      expect(part.length).toBeLessThanOrEqual(8000);
      expect(part).toMatch(/^[\x20-\x7e]*$/);
    }
    expect(store.job()).toEqual({ ok: true, job: big });
  });

  it('shrinks to fewer parts, writing the new count before deleting the parts no longer used', () => {
    const doc = new MemoryStore();
    const store = new Store(doc, new MemoryStore());
    store.save({ job: job(2000) });
    const before = Number(doc.get('mayar.job'));
    doc.operations.length = 0;
    store.save({ job: job(10) });
    expect(doc.get('mayar.job')).toBe('1');
    const firstDelete = doc.operations.findIndex((op) => op.startsWith('delete'));
    expect(doc.operations.indexOf('set mayar.job')).toBeLessThan(firstDelete);
    for (let i = 1; i < before; i++) expect(doc.get(`mayar.job.${i}`)).toBeNull();
  });

  it('removes a finished job count first, so a save killed half-way leaves no job rather than a broken one', () => {
    const doc = new MemoryStore();
    const store = new Store(doc, new MemoryStore());
    store.save({ job: job(2000) });
    doc.operations.length = 0;
    store.save({ job: null });
    expect(doc.operations[0]).toBe('delete mayar.job');
    expect(store.job()).toEqual({ ok: true, job: null });
  });

  it('says why a stored job cannot be read, never that there is none', () => {
    const doc = new MemoryStore();
    const store = new Store(doc, new MemoryStore());
    store.save({ job: job(2000) });
    doc.values.delete('mayar.job.1');
    expect(store.job()).toMatchObject({ ok: false, reason: expect.stringContaining('part 2') });
    doc.values.set('mayar.job', '1');
    doc.values.set('mayar.job.0', '{"v":1,"kind":"delete"}');
    const read = store.job();
    expect(read.ok).toBe(false);
  });
});

describe('Store: every value under 9 KB of UTF-8', () => {
  it('keeps the unplaced payments under 8,000 bytes however long the names, dropping the oldest', () => {
    const doc = new MemoryStore();
    const store = new Store(doc, new MemoryStore());
    for (let i = 0; i < 40; i++) {
      const name = `Pelanggan ${i} ${'Ä'.repeat(100)}`;
      store.rememberUnplaced({
        sheetId: 1,
        key: `${name}|150000|2026-12-31`,
        sheetRow: i + 2,
        paymentId: `p-${i}`,
        link: `https://x.myr.id/pl/${i}`,
        transactionId: `t-${i}`,
        at: i,
      });
    }
    const value = doc.get('mayar.unplaced') ?? '';
    expect(Buffer.byteLength(value, 'utf8')).toBeLessThanOrEqual(8000);
    expect(store.unplaced().at(-1)?.paymentId).toBe('p-39');
  });
});

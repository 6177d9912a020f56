import { describe, expect, it } from 'vitest';
import { buildConfirmation, confirmationText, type ConfirmItem } from '../../src/core/confirm';

const NOW = new Date('2026-12-01T03:00:00Z');
const IN_A_WEEK = '2026-12-08T16:59:59.000Z';

function item(row: number, name: string, amount: number, extra: Partial<ConfirmItem['request']> = {}): ConfirmItem {
  return { row, request: { name, amount, expiredAt: IN_A_WEEK, ...extra } };
}

const CLEAN = [
  item(2, 'Budi', 150_000, { email: 'budi@example.com', mobile: '081234567890' }),
  item(3, 'Sari', 150_000, { email: 'sari@example.com' }),
  item(4, 'Andi', 200_000, { mobile: '081298765432' }),
];

describe('buildConfirmation', () => {
  it('counts the links, their total and how many can be reached', () => {
    expect(buildConfirmation(CLEAN, 'sandbox', NOW)).toEqual({
      environment: 'sandbox',
      count: 3,
      total: 500_000,
      withEmail: 2,
      withMobile: 2,
      warnings: [],
    });
  });

  it('names the amount column read when another column could have been it, and only then', () => {
    const c = buildConfirmation(CLEAN, 'sandbox', NOW, { taken: 'SPP', others: ['Total'] });
    expect(c.warnings).toEqual([{ kind: 'amountColumn', rows: [], taken: 'SPP', others: ['Total'] }]);
    expect(confirmationText('id', c).text).toContain('• jumlah tagihan diambil dari kolom "SPP"; sheet ini juga punya kolom "Total"');
    expect(buildConfirmation(CLEAN, 'sandbox', NOW, { taken: 'Jumlah', others: [] }).warnings).toEqual([]);
  });

  it('flags amounts under Rp 1.000', () => {
    const c = buildConfirmation([...CLEAN, item(5, 'Dewi', 999), item(6, 'Eka', 1000)], 'sandbox', NOW);
    expect(c.warnings).toEqual([{ kind: 'tinyAmount', rows: [5] }]);
  });

  it('flags amounts more than 20 times the median', () => {
    const c = buildConfirmation([...CLEAN, item(5, 'Dewi', 150_000_000), item(6, 'Eka', 3_000_000)], 'sandbox', NOW);
    // Median of 150k, 150k, 200k, 3M, 150M is 200k: 3M is 15×, 150M is 750×.
    expect(c.warnings).toEqual([{ kind: 'outlier', rows: [5], median: 200_000 }]);
  });

  it('flags the same customer twice with the same amount, however the name is written', () => {
    const c = buildConfirmation([...CLEAN, item(7, ' budi ', 150_000), item(8, 'Sari', 175_000)], 'sandbox', NOW);
    expect(c.warnings).toEqual([{ kind: 'duplicate', rows: [2, 7], name: 'Budi', amount: 150_000 }]);
  });

  it('flags links expiring in less than a day', () => {
    const c = buildConfirmation(
      [item(2, 'A', 10_000, { expiredAt: '2026-12-02T02:59:59.000Z' }), item(3, 'B', 10_000, { expiredAt: '2026-12-02T03:00:00.000Z' }), item(4, 'C', 10_000)],
      'sandbox',
      NOW,
    );
    expect(c.warnings).toEqual([{ kind: 'soonExpiry', rows: [2] }]);
  });

  it('has no warnings and no total for nothing', () => {
    expect(buildConfirmation([], 'production', NOW)).toMatchObject({ count: 0, total: 0, warnings: [] });
  });
});

describe('confirmationText', () => {
  it('warns plainly, first, when links are real', () => {
    const { title, text } = confirmationText('en', buildConfirmation(CLEAN, 'production', NOW));
    expect(title).toBe('Create payment links?');
    expect(text.split('\n')[0]).toBe('⚠ PRODUCTION: these are real payment links. Customers who pay them spend real money.');
    expect(text).toContain('You are about to create 3 payment links for a total of Rp 500.000.');
    expect(text).not.toContain('Sandbox');
    expect(text.endsWith('Continue?')).toBe(true);
  });

  it('says sandbox is for testing', () => {
    const { text } = confirmationText('en', buildConfirmation(CLEAN, 'sandbox', NOW));
    expect(text).not.toContain('PRODUCTION');
    expect(text).toContain('Sandbox: test links only, no real money.');
  });

  it('lists every warning with its rows, in Indonesian', () => {
    const items = [...CLEAN, item(5, 'Dewi', 500), item(6, 'Budi', 150_000), item(7, 'Eka', 90_000_000, { expiredAt: '2026-12-01T10:00:00.000Z' })];
    const { title, text } = confirmationText('id', buildConfirmation(items, 'production', NOW));
    expect(title).toBe('Buat link pembayaran?');
    expect(text).toContain('PRODUCTION: ini link pembayaran sungguhan.');
    expect(text).toContain('Anda akan membuat 6 link pembayaran dengan total Rp 90.650.500.');
    expect(text).toContain('• 1 jumlah di bawah Rp 1.000 (baris 5)');
    expect(text).toContain('• 1 jumlah lebih dari 20 kali jumlah biasanya, Rp 150.000 (baris 7)');
    expect(text).toContain('• Budi muncul 2 kali dengan jumlah yang sama, Rp 150.000 (baris 2, 6)');
    expect(text).toContain('• 1 link kedaluwarsa dalam waktu kurang dari sehari (baris 7)');
    expect(text.endsWith('Lanjutkan?')).toBe(true);
  });

  it('cuts long row lists short', () => {
    const tiny = Array.from({ length: 8 }, (_, i) => item(i + 2, `C${i}`, 600));
    const { text } = confirmationText('en', buildConfirmation(tiny, 'sandbox', NOW));
    expect(text).toContain('8 amounts under Rp 1.000 (rows 2, 3, 4, 5, 6 and 3 more)');
  });
});

/** npm run demo -- --lang id: the Indonesian admin's menu, sheet and summary, from the built bundle. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run demo -- --lang id', () => {
  it('shows the Indonesian menu, columns, messages and Ringkasan Mayar with its Belum bayar list', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--lang', 'id'], { cwd: root, encoding: 'utf8' });
    expect(out).toContain('Menu Mayar: Buat link pembayaran · Buat link untuk baris terpilih · Kirim tagihan ▸ Lewat email / Lewat WhatsApp');
    expect(out).toContain('Lanjutkan?');
    expect(out).toMatch(/Link Pembayaran +│ Status +│ Keterangan Error/);
    expect(out).toContain('Belum dibayar');
    expect(out).toMatch(/Link pembayaran: 17 dibuat/);
    expect(out).toContain('Ringkasan Mayar');
    expect(out).toContain('Belum bayar: yang perlu ditagih');
    expect(out).not.toMatch(/Payment Link|Mayar Summary/);
  }, 60_000);
});

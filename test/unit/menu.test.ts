import { describe, expect, it } from 'vitest';
import { menuEntries } from '../../src/app/menu';
import { enServer } from '../../src/core/catalogue/en-server';
import { idServer } from '../../src/core/catalogue/id-server';
import { enShared, idShared } from '../../src/core/catalogue/shared';
import type { Locale } from '../../src/core/messages';

/** "Mayar → Status → Tutup link terpilih" for every item of the menu. */
function paths(locale: Locale): Set<string> {
  const all = new Set<string>();
  for (const entry of menuEntries(locale)) {
    if (entry === null) continue;
    if ('fn' in entry) all.add(`Mayar → ${entry.caption}`);
    else for (const item of entry.items) if (item && 'fn' in item) all.add(`Mayar → ${entry.caption} → ${item.caption}`);
  }
  return all;
}

describe('the menu', () => {
  it('has at most 8 entries, Create payment links first', () => {
    for (const locale of ['en', 'id'] as const) {
      const top = menuEntries(locale).filter((entry) => entry !== null);
      expect(top.length).toBeLessThanOrEqual(8);
      expect(top[0]).toEqual({ caption: locale === 'id' ? 'Buat link pembayaran' : 'Create payment links', fn: 'createPaymentLinks' });
    }
  });

  it('is named exactly as shown wherever a message points to an item ("Mayar → Lainnya → Diagnostik")', () => {
    const catalogues = { en: { ...enServer, ...enShared }, id: { ...idServer, ...idShared } };
    for (const locale of ['en', 'id'] as const) {
      const shown = paths(locale);
      const named = Object.values(catalogues[locale]).flatMap((text) => text.match(/Mayar → [^.,;:()'"]+?(?= and | dan | untuk | to |[.,;:()'"]|$)/g) ?? []);
      expect(named.length).toBeGreaterThan(3);
      for (const path of named) expect(shown, `${locale}: ${path}`).toContain(path.trim());
    }
  });
});

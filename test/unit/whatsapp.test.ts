import { describe, expect, it } from 'vitest';
import { manualWhatsApp, readWaLink, waLink, waNumber } from '../../src/core/whatsapp';

describe('waNumber', () => {
  it.each([
    ['081234567890', '6281234567890'],
    ['0812-3456-7890', '6281234567890'],
    ['+62 812-3456-7890', '6281234567890'],
    ['62 812 3456 7890', '6281234567890'],
    ['6281234567890', '6281234567890'],
    ['+62 (0) 812 3456 7890', '6281234567890'],
    ['0062 812 3456 7890', '6281234567890'],
    [' 0812.3456.7890 ', '6281234567890'],
  ])('%j → %s', (cell, expected) => {
    expect(waNumber(cell)).toBe(expected);
  });

  it('restores a number cell that lost its leading 0', () => {
    expect(waNumber(81234567890)).toBe('6281234567890');
    expect(waNumber(6281234567890)).toBe('6281234567890');
  });

  it.each(['', '12345', '021-555-1234', '+1 415 555 0100', 'call me', '08123'])('refuses %j', (cell) => {
    expect(waNumber(cell)).toBeNull();
  });

  it('refuses non-numbers and fractions', () => {
    expect(waNumber(true)).toBeNull();
    expect(waNumber(new Date())).toBeNull();
    expect(waNumber(812345.5)).toBeNull();
  });
});

describe('waLink', () => {
  it('encodes the whole text, including newlines, emoji, & and ?', () => {
    expect(waLink('6281234567890', 'Halo Kak Budi,\nTotal: Rp1.500.000 & link? https://x.y/a?b=1 🙏')).toBe(
      'https://wa.me/6281234567890?text=Halo%20Kak%20Budi%2C%0ATotal%3A%20Rp1.500.000%20%26%20link%3F%20https%3A%2F%2Fx.y%2Fa%3Fb%3D1%20%F0%9F%99%8F',
    );
  });

  it('round-trips through decodeURIComponent', () => {
    const text = 'a+b=c #1 100%';
    const url = waLink('62812', text);
    expect(decodeURIComponent(url.split('?text=')[1] ?? '')).toBe(text);
  });
});

describe('manualWhatsApp', () => {
  it('builds the link for a valid mobile and sends nothing', () => {
    expect(manualWhatsApp.send({ name: 'Budi', mobile: '0812 3456 7890' }, { text: 'Halo' })).toEqual({
      kind: 'link',
      url: 'https://wa.me/6281234567890?text=Halo',
    });
  });

  it('skips rows without a usable number, saying why', () => {
    expect(manualWhatsApp.send({ name: 'Budi' }, { text: 'Halo' })).toEqual({ kind: 'skipped', reason: { key: 'channel.noMobile' } });
    expect(manualWhatsApp.send({ name: 'Budi', mobile: '021 555' }, { text: 'Halo' }).kind).toBe('skipped');
  });
});

describe('readWaLink', () => {
  it('reads a wa.me link back to its text', () => {
    expect(readWaLink(' https://wa.me/6281234567890?text=Halo%20Budi%0AHarap ')).toEqual({
      url: 'https://wa.me/6281234567890?text=Halo%20Budi%0AHarap',
      text: 'Halo Budi\nHarap',
    });
  });
  it.each([
    'https://wa.me/6281234567890?text=%E0%A4%A',
    'javascript:alert(1)',
    'https://evil.example/?text=x',
    'https://wa.me/abc?text=x',
    'https://wa.me/6281234567890?text=a b',
  ])('is null for %j', (cell) => expect(readWaLink(cell)).toBeNull());
});

import { describe, expect, it } from 'vitest';
import {
  defaultTemplate,
  formatAmount,
  placeholdersOf,
  renderTemplate,
  renderTemplateHtml,
  TEMPLATE_KINDS,
  type TemplateValues,
  validateTemplate,
} from '../../src/core/templates';
import { JAKARTA } from './zone';

const ROW: TemplateValues = {
  name: 'Budi Santoso',
  amount: 1_500_000,
  link: 'https://mayar.link/pay/abc',
  due: { year: 2026, month: 12, day: 31 },
  description: 'SPP Desember',
};

describe('renderTemplate', () => {
  it('fills English and Indonesian placeholders alike', () => {
    const en = renderTemplate('en', 'Hi {name}, {amount} for {description}, due {due}: {link}', ROW);
    expect(en).toBe('Hi Budi Santoso, Rp1.500.000 for SPP Desember, due 31 December 2026: https://mayar.link/pay/abc');
    const id = renderTemplate('id', 'Halo Kak {nama}, {jumlah} untuk {deskripsi}, jatuh tempo {jatuh_tempo}: {link}', ROW);
    expect(id).toBe('Halo Kak Budi Santoso, Rp1.500.000 untuk SPP Desember, jatuh tempo 31 Desember 2026: https://mayar.link/pay/abc');
  });

  it('formats rupiah with dots and no space', () => {
    expect(formatAmount(1_500_000)).toBe('Rp1.500.000');
    expect(formatAmount(500)).toBe('Rp500');
    expect(formatAmount(10_000_000_000)).toBe('Rp10.000.000.000');
  });

  it("reads a due instant on the sheet zone's calendar", () => {
    // 31 Dec 23:59:59 in Jakarta is still 31 Dec there, though 16:59 UTC.
    const due = { instant: new Date('2026-12-31T16:59:59Z'), zone: JAKARTA };
    expect(renderTemplate('id', '{due}', { ...ROW, due })).toBe('31 Desember 2026');
    // 1 Jan 02:00 in Jakarta is 31 Dec 19:00 UTC: the zone decides the day.
    expect(renderTemplate('en', '{due}', { ...ROW, due: { instant: new Date('2026-12-31T19:00:00Z'), zone: JAKARTA } })).toBe('1 January 2027');
  });

  it('fills any sheet column by its header, ignoring case and spaces', () => {
    const values: TemplateValues = {
      ...ROW,
      headers: ['Nama', 'Jumlah', 'Kelas', 'Nama Wali', 'Tanggal Masuk'],
      cells: ['Budi', 1_500_000, '7B', 'Ibu Sari', new Date('2026-07-13T17:00:00Z')],
      zone: JAKARTA,
    };
    expect(renderTemplate('id', 'Kelas {Kelas} / {kelas} / { KELAS } / {nama_wali} / {Tanggal Masuk}', values)).toBe(
      'Kelas 7B / 7B / 7B / Ibu Sari / 14 Juli 2026',
    );
  });

  it('prefers the row fields over a column of the same name', () => {
    const values: TemplateValues = { ...ROW, headers: ['Jumlah'], cells: ['1500000'] };
    expect(renderTemplate('id', '{jumlah}', values)).toBe('Rp1.500.000');
  });

  it('leaves unknown placeholders and stray braces as written', () => {
    expect(renderTemplate('en', 'Hi {nmae} {} { x', ROW)).toBe('Hi {nmae} {} { x');
  });

  it('writes missing optional values as nothing and days as a number', () => {
    const bare: TemplateValues = { name: 'A', amount: 1000 };
    expect(renderTemplate('en', '[{link}][{due}][{description}][{days}]', bare)).toBe('[][][][]');
    expect(renderTemplate('id', '{hari} hari lagi', { ...bare, days: 3 })).toBe('3 hari lagi');
  });

  it('keeps a value that looks like a placeholder literal (no second pass)', () => {
    expect(renderTemplate('en', '{name}', { ...ROW, name: '{amount}' })).toBe('{amount}');
  });
});

describe('renderTemplateHtml', () => {
  it('escapes values from the sheet so markup shows as text', () => {
    const html = renderTemplateHtml('en', 'Hi {name}', { ...ROW, name: '<img src=x onerror=alert(1)>' });
    expect(html).toBe('Hi &#60;img src=x onerror=alert(1)&#62;');
    expect(html).not.toContain('<img');
  });

  it('escapes sheet columns and the template itself, and turns newlines into <br>', () => {
    const values: TemplateValues = { ...ROW, headers: ['Kelas'], cells: ['"7B" & <b>'] };
    expect(renderTemplateHtml('en', 'A & B\n{Kelas}\r\nend', values)).toBe('A &#38; B<br>\n&#34;7B&#34; &#38; &#60;b&#62;<br>\nend');
  });

  it('makes an https link clickable but leaves anything else as text', () => {
    expect(renderTemplateHtml('en', '{link}', ROW)).toBe('<a href="https://mayar.link/pay/abc">https://mayar.link/pay/abc</a>');
    expect(renderTemplateHtml('en', '{link}', { ...ROW, link: 'javascript:alert(1)' })).toBe('javascript:alert(1)');
    expect(renderTemplateHtml('en', '{link}', { ...ROW, link: 'https://x.y/"onmouseover=1' })).toBe('https://x.y/&#34;onmouseover=1');
  });
});

describe('validateTemplate', () => {
  it('returns the placeholders that match neither a field nor a column', () => {
    const headers = ['Nama', 'Jumlah', 'Kelas', ''];
    expect(validateTemplate('Halo {nama} {Kelas} {kelass} {jumlah} {link} {Alamat} {kelass}', headers)).toEqual(['kelass', 'Alamat']);
    expect(validateTemplate('{due}{jatuh_tempo}{days}{hari}{description}{deskripsi}{amount}{name}', [])).toEqual([]);
    expect(validateTemplate('{!!!}', [])).toEqual(['!!!']);
  });

  it('lists placeholders once, as written', () => {
    expect(placeholdersOf('{ a }{b}{a}')).toEqual(['a', 'b']);
  });
});

describe('default templates', () => {
  it('exist for every kind in both languages and use only known placeholders', () => {
    for (const locale of ['en', 'id'] as const) {
      for (const kind of TEMPLATE_KINDS) {
        const template = defaultTemplate(locale, kind);
        expect(template.length).toBeGreaterThan(20);
        expect(validateTemplate(template, [])).toEqual([]);
        expect(renderTemplate(locale, template, { ...ROW, days: 3 })).not.toMatch(/\{/);
      }
    }
  });

  it('greet politely in Indonesian and carry the link', () => {
    const bill = renderTemplate('id', defaultTemplate('id', 'bill'), ROW);
    expect(bill).toMatch(/^Halo Kak Budi Santoso,/);
    expect(bill).toContain('Rp1.500.000');
    expect(bill).toContain('31 Desember 2026');
    expect(bill).toContain('https://mayar.link/pay/abc');
    expect(renderTemplate('id', defaultTemplate('id', 'reminderBefore'), { ...ROW, days: 3 })).toContain('3 hari lagi');
    expect(renderTemplate('id', defaultTemplate('id', 'reminderDue'), ROW)).toContain('hari ini');
    expect(renderTemplate('en', defaultTemplate('en', 'thanks'), ROW)).toContain('received your payment of Rp1.500.000');
  });
});

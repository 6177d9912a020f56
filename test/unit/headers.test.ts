import { describe, expect, it } from 'vitest';
import {
  exampleHeaders,
  type ExtraInputField,
  mapHeaders,
  missingRequired,
  normaliseHeader,
  OUTPUT_HEADER_TEXT,
  OUTPUT_HEADER_TEXT_ID,
  outputHeaderText,
  planOutputColumns,
  setupHeaderRow,
} from '../../src/core/headers';
import type { InputField } from '../../src/core/types';

const ALIASES: Record<InputField, string[]> = {
  name: ['Name', 'Customer', 'Customer Name', 'Nama', 'Nama Pelanggan', 'Nama Siswa', 'Nama Penyewa', 'Nama Peserta', 'Nama Lengkap', 'Siswa', 'Penyewa'],
  amount: ['Amount', 'Jumlah', 'Nominal', 'Total', 'Tagihan', 'Biaya', 'Biaya Sewa', 'Iuran', 'SPP', 'Harga', 'Total Tagihan'],
  email: ['Email', 'E-mail', 'Surel', 'Email Wali', 'Email Orang Tua', 'Alamat email'],
  mobile: ['Mobile', 'Phone', 'WhatsApp', 'WA', 'HP', 'No HP', 'Nomor HP', 'Telepon', 'No HP Wali', 'No WA', 'No WhatsApp'],
  description: ['Description', 'Deskripsi', 'Keterangan'],
  expiry: ['Expires At', 'Expired At', 'Expiry', 'Expiry Date', 'Due Date', 'Kedaluwarsa', 'Jatuh Tempo', 'Batas Bayar'],
  notes: ['Notes', 'Catatan'],
};

describe('two columns for one field', () => {
  it('reads the first and notes the others, for the confirmation to name', () => {
    const layout = mapHeaders(['Nama Siswa', 'SPP', 'Total', 'Biaya']);
    expect(layout.input.amount).toBe(1);
    expect(layout.headerText.amount).toBe('SPP');
    expect(layout.others).toEqual({ amount: ['Total', 'Biaya'] });
    expect(planOutputColumns(layout).layout.others).toEqual({ amount: ['Total', 'Biaya'] });
  });
});

describe('the set-up headers', () => {
  it('are in the interface language, inputs first, the ids last, and read back as the same columns', () => {
    expect(setupHeaderRow('id')).toEqual([
      'Nama',
      'Email',
      'No HP',
      'Jumlah',
      'Keterangan',
      'Jatuh Tempo',
      'Catatan',
      'Link Pembayaran',
      'Status',
      'Keterangan Error',
      'Dibayar Pada',
      'ID Pembayaran',
      'ID Transaksi',
    ]);
    for (const locale of ['en', 'id'] as const) {
      const layout = mapHeaders(setupHeaderRow(locale));
      expect(Object.keys(layout.input).sort()).toEqual(['amount', 'description', 'email', 'expiry', 'mobile', 'name', 'notes']);
      expect(Object.keys(layout.output).sort()).toEqual(['error', 'link', 'paidAt', 'paymentId', 'status', 'transactionId']);
      expect(layout.others).toBeUndefined();
    }
    expect(exampleHeaders('id')).toBe('Nama | Jumlah | Email | Jatuh Tempo');
  });
});

describe('mapHeaders', () => {
  for (const [field, headers] of Object.entries(ALIASES) as [InputField, string[]][]) {
    for (const header of headers) {
      it(`recognises "${header}" as ${field}`, () => {
        const layout = mapHeaders(['Other', header]);
        expect(layout.input).toEqual({ [field]: 1 });
        expect(layout.headerText).toEqual({ [field]: header });
      });
    }
  }

  it.each([
    ['  nama   pelanggan ', 'name'],
    ['NAMA_PELANGGAN', 'name'],
    ['customer-name', 'name'],
    ['E-MAIL', 'email'],
    ['e_mail', 'email'],
    ['No. HP', 'mobile'],
    ['no hp', 'mobile'],
    ['Nomor-HP', 'mobile'],
    ['Whats App', 'mobile'],
    ['Amount (Rp)', 'amount'],
    ['Jumlah (IDR)', 'amount'],
    ['expires_at', 'expiry'],
    ['Due-Date', 'expiry'],
    ['Kadaluarsa', 'expiry'],
  ] as const)('ignores case, spaces, _ - . and remarks: %j → %s', (header, field) => {
    expect(mapHeaders([header]).input).toEqual({ [field]: 0 });
  });

  it('keeps the header as the sheet spells it, trimmed', () => {
    expect(mapHeaders(['  Nama Pelanggan  ']).headerText.name).toBe('Nama Pelanggan');
  });

  it('finds fields in any order and reports the width', () => {
    const layout = mapHeaders(['Jumlah', '', 'Nama', 'Catatan', 'No HP', '', '']);
    expect(layout.input).toEqual({ amount: 0, name: 2, notes: 3, mobile: 4 });
    expect(layout.width).toBe(5);
  });

  it('uses the first column when a field appears twice', () => {
    const layout = mapHeaders(['Name', 'Amount', 'Nama', 'Total']);
    expect(layout.input).toEqual({ name: 0, amount: 1 });
    expect(layout.headerText).toEqual({ name: 'Name', amount: 'Amount' });
    expect(layout.width).toBe(4);
  });

  it('ignores unknown headers but counts them in the width', () => {
    const layout = mapHeaders(['Name', 'Amount', 'Kota']);
    expect(layout.input).toEqual({ name: 0, amount: 1 });
    expect(layout.width).toBe(3);
  });

  it('finds output columns case- and space-insensitively', () => {
    const layout = mapHeaders(['Name', 'Amount', 'payment link', 'PAYMENT ID', 'Transaction_ID', ' status ', 'Error', 'paid at']);
    expect(layout.output).toEqual({ link: 2, paymentId: 3, transactionId: 4, status: 5, error: 6, paidAt: 7 });
    expect(layout.input).toEqual({ name: 0, amount: 1 });
  });

  it('treats non-text header cells as unknown columns that still count in the width', () => {
    const layout = mapHeaders(['Name', new Date(0), true, 2024]);
    expect(layout.input).toEqual({ name: 0 });
    expect(layout.width).toBe(4);
    expect(planOutputColumns(mapHeaders(['Name', false])).added[0]).toEqual({ column: 2, header: 'Payment Link' });
  });

  it('maps an empty header row to an empty layout', () => {
    expect(mapHeaders([])).toEqual({ input: {}, headerText: {}, output: {}, width: 0 });
    expect(mapHeaders(['', '  ']).width).toBe(0);
  });

  it('normalises headers to lowercase letters and digits', () => {
    expect(normaliseHeader(' No. HP ')).toBe('nohp');
    expect(normaliseHeader('(Rp)')).toBe('rp');
  });
});

describe('missingRequired', () => {
  it('lists name then amount when absent', () => {
    expect(missingRequired(mapHeaders(['Email']))).toEqual(['name', 'amount']);
    expect(missingRequired(mapHeaders(['Jumlah']))).toEqual(['name']);
    expect(missingRequired(mapHeaders(['Nama']))).toEqual(['amount']);
    expect(missingRequired(mapHeaders(['Nama', 'Jumlah']))).toEqual([]);
  });
});

describe('planOutputColumns', () => {
  it('adds every output column after the last header, in order', () => {
    const before = mapHeaders(['Name', 'Amount', '', 'Email', '']);
    const { layout, added } = planOutputColumns(before);
    expect(added).toEqual([
      { column: 4, header: 'Payment Link' },
      { column: 5, header: 'Payment ID' },
      { column: 6, header: 'Transaction ID' },
      { column: 7, header: 'Status' },
      { column: 8, header: 'Error' },
    ]);
    expect(layout.output).toEqual({ link: 4, paymentId: 5, transactionId: 6, status: 7, error: 8 });
    expect(layout.width).toBe(9);
    expect(layout.input).toEqual(before.input);
    expect(before.output).toEqual({});
    expect(before.width).toBe(4);
  });

  it('adds only the missing ones and keeps existing positions', () => {
    const before = mapHeaders(['Status', 'Name', 'Amount', 'Payment Link']);
    const { layout, added } = planOutputColumns(before);
    expect(added).toEqual([
      { column: 4, header: 'Payment ID' },
      { column: 5, header: 'Transaction ID' },
      { column: 6, header: 'Error' },
    ]);
    expect(layout.output).toEqual({ status: 0, link: 3, paymentId: 4, transactionId: 5, error: 6 });
  });

  it('adds Paid At when asked', () => {
    const { layout, added } = planOutputColumns(mapHeaders(['Name', 'Amount']), ['paidAt']);
    expect(added.map((a) => a.header)).toEqual(['Payment Link', 'Payment ID', 'Transaction ID', 'Status', 'Error', 'Paid At']);
    expect(layout.output.paidAt).toBe(7);
  });

  it('adds nothing when all are present', () => {
    const headers = ['Name', 'Amount', ...Object.values(OUTPUT_HEADER_TEXT)];
    const { layout, added } = planOutputColumns(mapHeaders(headers), ['paidAt']);
    expect(added).toEqual([]);
    expect(layout.width).toBe(headers.length);
  });

  it('names Paid At', () => {
    expect(OUTPUT_HEADER_TEXT.paidAt).toBe('Paid At');
    expect(OUTPUT_HEADER_TEXT.link).toBe('Payment Link');
  });
});

describe('columns for messages, recurring bills and reminders', () => {
  const EXTRA: Record<ExtraInputField, string[]> = {
    title: ['Title', 'Judul'],
    paymentMethod: ['Payment Method', 'Metode Pembayaran', 'metode_pembayaran'],
    cashtag: ['Cashtag', 'CASHTAG'],
    repeat: ['Repeat', 'Ulangi'],
    reminders: ['Reminders', 'Pengingat'],
  };
  for (const [field, headers] of Object.entries(EXTRA) as [ExtraInputField, string[]][]) {
    for (const header of headers) {
      it(`recognises "${header}" as ${field}`, () => {
        const layout = mapHeaders(['Nama', header]);
        expect(layout.input).toEqual({ name: 0, [field]: 1 });
        expect(layout.headerText[field]).toBe(header);
        expect(layout.width).toBe(2);
      });
    }
  }

  it('recognises the new output columns in English and Indonesian', () => {
    const en = mapHeaders(['Name', 'WhatsApp', 'WhatsApp Link', 'WhatsApp Sent At', 'Emailed At', 'Last Reminder']);
    expect(en.input).toEqual({ name: 0, mobile: 1 });
    expect(en.output).toEqual({ whatsappLink: 2, whatsappSentAt: 3, emailedAt: 4, lastReminder: 5 });
    const id = mapHeaders(['Nama', 'No WhatsApp', 'Link WhatsApp', 'Pengingat Terakhir', 'Pengingat']);
    expect(id.input).toEqual({ name: 0, mobile: 1, reminders: 4 });
    expect(id.output).toEqual({ whatsappLink: 2, lastReminder: 3 });
  });

  it('recognises Indonesian headers of the original output columns', () => {
    const layout = mapHeaders(['Nama', 'Jumlah', 'Link Pembayaran', 'ID Pembayaran', 'ID Transaksi', 'Status', 'Keterangan Error', 'Dibayar Pada']);
    expect(layout.output).toEqual({ link: 2, paymentId: 3, transactionId: 4, status: 5, error: 6, paidAt: 7 });
    expect(mapHeaders(['galat']).output).toEqual({ error: 0 });
    expect(planOutputColumns(layout, ['paidAt']).added).toEqual([]);
  });

  it('names added columns in the interface language, English by default', () => {
    const layout = mapHeaders(['Nama', 'Jumlah']);
    expect(planOutputColumns(layout, ['paidAt', 'whatsappLink'], 'id').added.map((a) => a.header)).toEqual([
      'Link Pembayaran',
      'ID Pembayaran',
      'ID Transaksi',
      'Status',
      'Keterangan Error',
      'Dibayar Pada',
      'Link WhatsApp',
    ]);
    expect(planOutputColumns(layout, ['lastReminder', 'emailedAt']).added.map((a) => a.header)).toEqual([
      'Payment Link',
      'Payment ID',
      'Transaction ID',
      'Status',
      'Error',
      'Last Reminder',
      'Emailed At',
    ]);
    expect(outputHeaderText('id', 'whatsappSentAt')).toBe('WhatsApp Terkirim Pada');
    expect(outputHeaderText('en', 'whatsappSentAt')).toBe('WhatsApp Sent At');
  });

  it('keeps every header distinct, so each reads back as its own column', () => {
    const all = [...Object.values(OUTPUT_HEADER_TEXT), ...Object.values(OUTPUT_HEADER_TEXT_ID).filter((h) => h !== 'Status')];
    const layout = mapHeaders(all);
    expect(Object.keys(layout.input)).toEqual([]);
    for (const header of all) {
      expect(Object.keys(mapHeaders([header]).output)).toHaveLength(1);
    }
    expect(new Set(all.map(normaliseHeader)).size).toBe(all.length);
  });
});

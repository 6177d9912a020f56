// Messages both the server and a sidebar show (the server sets the sidebar's title or answers
// with the text), in both languages.
export const enShared = {
  'ui.whatsapp.title': 'Send by WhatsApp',
  'ui.whatsapp.done': 'Every message in the queue has been sent.',
  'ui.template.unknown': 'Unknown placeholder: {names}',
  // rows stay true: templates measured in bytes, as Apps Script stores them
  'ui.template.tooBig':
    'This template is {size}; with the other templates it would be {total}, and a document keeps at most 9 KB of them. Shorten it (an emoji counts as 4 bytes, an accented letter as 2).',
} as const;

export type SharedMessageKey = keyof typeof enShared;

export const idShared: Record<SharedMessageKey, string> = {
  'ui.whatsapp.title': 'Kirim lewat WhatsApp',
  'ui.whatsapp.done': 'Semua pesan dalam antrean sudah dikirim.',
  'ui.template.unknown': 'Placeholder tidak dikenal: {names}',
  // rows stay true: templates measured in bytes, as Apps Script stores them
  'ui.template.tooBig':
    'Template ini berukuran {size}; bersama template lain menjadi {total}, padahal satu dokumen hanya bisa menyimpan paling banyak 9 KB. Persingkat template ini (satu emoji dihitung 4 byte, huruf beraksen 2 byte).',
};

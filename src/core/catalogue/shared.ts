// Messages both the server and a sidebar show (the server sets the sidebar's title or answers
// with the text), in both languages.
export const enShared = {
  'ui.whatsapp.title': 'Send by WhatsApp',
  'ui.whatsapp.done': 'Every message in the queue has been sent.',
  'ui.template.unknown': 'Unknown placeholder: {names}',
} as const;

export type SharedMessageKey = keyof typeof enShared;

export const idShared: Record<SharedMessageKey, string> = {
  'ui.whatsapp.title': 'Kirim lewat WhatsApp',
  'ui.whatsapp.done': 'Semua pesan dalam antrean sudah dikirim.',
  'ui.template.unknown': 'Placeholder tidak dikenal: {names}',
};

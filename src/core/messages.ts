/**
 * Every user-facing text, in English and Indonesian. Templates use {placeholders}.
 * The Indonesian table must have exactly the English keys (the type checks it).
 */
export type Locale = 'en' | 'id';

const en = {
  // Cell problems (prefixed with the column's header as the sheet spells it)
  'cell.required': 'is required',
  'name.tooLong': 'is longer than {max} characters',
  'amount.notRupiah': '"{value}" is not a rupiah amount',
  'amount.fraction': '"{value}" has a fraction; use whole rupiah',
  'amount.negative': '"{value}" is negative',
  'amount.tooSmall': '{value} is below the minimum of Rp 500',
  'amount.tooLarge': '{value} is above the maximum of Rp {max}',
  'email.invalid': '"{value}" is not a valid email address',
  'mobile.invalid': '"{value}" is not an Indonesian mobile number (use 08…, +62… or 62…)',
  'expiry.invalid': '"{value}" is not a date (use 2026-12-31, 31/12/2026 or 2026-12-31 17:00)',
  'expiry.past': '{value} is in the past',
  // Rendered without the "Header: " prefix because the template names the column itself
  'cell.missing': '{header} is required',
  'text.tooLong': 'is longer than {max} characters',
  // Column labels used when the sheet has no such header to quote
  'field.name': 'Name',
  'field.amount': 'Amount',
  'field.email': 'Email',
  'field.mobile': 'Mobile',
  'field.description': 'Description',
  'field.expiry': 'Expiry',
  'field.notes': 'Notes',
  // Status cells
  'status.unpaid': 'Unpaid',
  'status.paid': 'Paid',
  'status.expired': 'Expired',
  'status.closed': 'Closed',
  'status.review': 'Needs review',
  // Row errors and review reasons written by a run
  'row.rejected': 'Mayar rejected it: {details}',
  'row.unavailable': 'Mayar failed {attempts} times ({details}); no payment was created. Run again later.',
  'row.network': 'Could not reach Mayar {attempts} times ({details}); no payment was created. Run again later.',
  'row.duplicateRepeated': 'Mayar keeps refusing this as a duplicate of a recent payment for the same customer and amount. Check the Mayar dashboard, then run again.',
  'row.conflict': 'Mayar says this payment already exists ({details}). Check the Mayar dashboard; to send it again, clear Status.',
  'row.ambiguous': 'The reply was lost and {count} payments in Mayar could be this one. Check the Mayar dashboard, copy the right link here or clear Status to send again.',
  'row.unverifiable': 'The reply was lost and Mayar could not be checked ({details}). Check the Mayar dashboard, copy the link here or clear Status to send again.',
  'row.changed': 'This row changed during the run; it was not sent. Run again to send it.',
  // Menu
  'menu.create': 'Create payment links',
  'menu.createSelection': 'Create payment links for selected rows',
  'menu.refresh': 'Refresh payment status',
  'menu.close': 'Close selected payment links',
  'menu.progress': 'Show progress',
  'menu.setup': 'Set up this sheet',
  'menu.check': 'Check rows',
  'menu.settings': 'Settings',
  // Dialogs and toasts
  'app.title': 'Mayar Sheets',
  'dialog.missingHeaders': 'This sheet needs a header row (row 1) with these columns: {missing}. For example: {examples}. Nothing was sent.',
  'dialog.noKey': 'Add your Mayar API key first: Mayar → Settings. Nothing was sent.',
  'dialog.keyRejected': 'Mayar rejected the API key for {environment} (401 Unauthorized). Check it in Mayar → Settings (a sandbox key does not work in production, and a read-only key cannot create links). Rows not sent yet stay as they are.',
  'dialog.runInProgress': 'A run is already in progress on this spreadsheet: {kind} on "{sheet}", started by {user}, {done} of {total} rows done. Wait for it to finish, or open Mayar → Show progress.',
  'dialog.busy': 'Another Mayar action is running on this spreadsheet right now. Try again in a moment.',
  'dialog.nothingToSend': 'There is nothing to send: {reason}',
  'dialog.noPendingRows': 'every row is blank, already has a Payment Link or Payment ID, or needs review.',
  'dialog.noRowsSelected': 'select the rows to send first (the header row does not count).',
  'dialog.tooManyRows': 'This run takes the first {max} rows; run again afterwards for the rest.',
  'dialog.otherUsersKey': 'This run uses the API key of {user}, which is kept for them only. Only {user} can continue or cancel it, or share the key in Mayar → Settings.',
  'dialog.sheetGone': 'The sheet this run was working on was deleted. The run stopped; results so far are in the Mayar Log sheet.',
  'kind.create': 'creating payment links',
  'kind.refresh': 'refreshing payment status',
  'summary.create': 'Payment links: {created} created, {failed} with an error, {review} to review, {skipped} skipped.',
  'summary.refresh': 'Status: {paid} paid, {unpaid} unpaid, {expired} expired, {closed} closed. Collected: {collected}.',
  'toast.progress': '{done} of {total} rows done: {created} created, {failed} with an error.',
  'run.paused': 'Paused by {user}.',
  'run.cancelled': 'Cancelled by {user}. Rows not sent yet stay as they are.',
  'run.lost': '{count} results could not be written because their rows were changed or deleted during the run; they are in the Mayar Log sheet.',
  'run.changed': '{count} rows changed during the run and were not sent; run again to send them.',
  'run.waitingRate': 'Waiting for Mayar\'s rate limit.',
  'run.notStarted': 'No run is in progress.',
  // Audit log sheet
  'log.sheetName': 'Mayar Log',
  'log.headers': 'Time|User|Sheet|Row|Customer|Amount|Action|Outcome|Payment ID|Payment Link|Details',
  'log.create': 'create',
  'log.reconcile': 'check after lost reply',
  'log.refresh': 'refresh status',
  'log.close': 'close',
  'log.webhook': 'webhook',
  'log.unplaced': 'row not found',
} as const;

export type MessageKey = keyof typeof en;

const id: Record<MessageKey, string> = {
  'cell.required': 'wajib diisi',
  'name.tooLong': 'lebih dari {max} karakter',
  'amount.notRupiah': '"{value}" bukan jumlah rupiah',
  'amount.fraction': '"{value}" memiliki pecahan; gunakan rupiah bulat',
  'amount.negative': '"{value}" bernilai negatif',
  'amount.tooSmall': '{value} di bawah minimum Rp 500',
  'amount.tooLarge': '{value} di atas maksimum Rp {max}',
  'email.invalid': '"{value}" bukan alamat email yang valid',
  'mobile.invalid': '"{value}" bukan nomor HP Indonesia (gunakan 08…, +62… atau 62…)',
  'expiry.invalid': '"{value}" bukan tanggal (gunakan 2026-12-31, 31/12/2026 atau 2026-12-31 17:00)',
  'expiry.past': '{value} sudah lewat',
  'cell.missing': '{header} wajib diisi',
  'text.tooLong': 'lebih dari {max} karakter',
  'field.name': 'Nama',
  'field.amount': 'Jumlah',
  'field.email': 'Email',
  'field.mobile': 'No HP',
  'field.description': 'Deskripsi',
  'field.expiry': 'Kedaluwarsa',
  'field.notes': 'Catatan',
  'status.unpaid': 'Belum dibayar',
  'status.paid': 'Lunas',
  'status.expired': 'Kedaluwarsa',
  'status.closed': 'Ditutup',
  'status.review': 'Perlu dicek',
  'row.rejected': 'Ditolak Mayar: {details}',
  'row.unavailable': 'Mayar gagal {attempts} kali ({details}); tidak ada pembayaran yang dibuat. Coba lagi nanti.',
  'row.network': 'Tidak dapat terhubung ke Mayar {attempts} kali ({details}); tidak ada pembayaran yang dibuat. Coba lagi nanti.',
  'row.duplicateRepeated': 'Mayar terus menolak ini sebagai duplikat pembayaran terbaru untuk pelanggan dan jumlah yang sama. Periksa dasbor Mayar, lalu jalankan lagi.',
  'row.conflict': 'Menurut Mayar pembayaran ini sudah ada ({details}). Periksa dasbor Mayar; untuk mengirim ulang, kosongkan Status.',
  'row.ambiguous': 'Balasan hilang dan ada {count} pembayaran di Mayar yang mungkin cocok. Periksa dasbor Mayar, salin link yang benar ke sini atau kosongkan Status untuk mengirim ulang.',
  'row.unverifiable': 'Balasan hilang dan Mayar tidak dapat diperiksa ({details}). Periksa dasbor Mayar, salin link ke sini atau kosongkan Status untuk mengirim ulang.',
  'row.changed': 'Baris ini berubah saat proses berjalan; belum dikirim. Jalankan lagi untuk mengirimnya.',
  'menu.create': 'Buat link pembayaran',
  'menu.createSelection': 'Buat link pembayaran untuk baris terpilih',
  'menu.refresh': 'Perbarui status pembayaran',
  'menu.close': 'Tutup link pembayaran terpilih',
  'menu.progress': 'Lihat progres',
  'menu.setup': 'Siapkan sheet ini',
  'menu.check': 'Periksa baris',
  'menu.settings': 'Pengaturan',
  'app.title': 'Mayar Sheets',
  'dialog.missingHeaders': 'Sheet ini memerlukan baris judul (baris 1) dengan kolom: {missing}. Contoh: {examples}. Tidak ada yang dikirim.',
  'dialog.noKey': 'Masukkan API key Mayar terlebih dahulu: Mayar → Pengaturan. Tidak ada yang dikirim.',
  'dialog.keyRejected': 'Mayar menolak API key untuk {environment} (401 Unauthorized). Periksa di Mayar → Pengaturan (key sandbox tidak berlaku di production, dan key read-only tidak dapat membuat link). Baris yang belum dikirim tetap seperti semula.',
  'dialog.runInProgress': 'Sedang ada proses di spreadsheet ini: {kind} di "{sheet}", dimulai oleh {user}, {done} dari {total} baris selesai. Tunggu sampai selesai, atau buka Mayar → Lihat progres.',
  'dialog.busy': 'Ada proses Mayar lain yang sedang berjalan di spreadsheet ini. Coba lagi sebentar lagi.',
  'dialog.nothingToSend': 'Tidak ada yang perlu dikirim: {reason}',
  'dialog.noPendingRows': 'semua baris kosong, sudah memiliki Payment Link atau Payment ID, atau perlu dicek.',
  'dialog.noRowsSelected': 'pilih dulu baris yang akan dikirim (baris judul tidak dihitung).',
  'dialog.tooManyRows': 'Proses ini mengambil {max} baris pertama; jalankan lagi setelahnya untuk sisanya.',
  'dialog.otherUsersKey': 'Proses ini memakai API key milik {user}, yang hanya disimpan untuknya. Hanya {user} yang dapat melanjutkan atau membatalkannya, atau bagikan key di Mayar → Pengaturan.',
  'dialog.sheetGone': 'Sheet yang sedang diproses telah dihapus. Proses dihentikan; hasil sejauh ini ada di sheet Mayar Log.',
  'kind.create': 'membuat link pembayaran',
  'kind.refresh': 'memperbarui status pembayaran',
  'summary.create': 'Link pembayaran: {created} dibuat, {failed} error, {review} perlu dicek, {skipped} dilewati.',
  'summary.refresh': 'Status: {paid} lunas, {unpaid} belum dibayar, {expired} kedaluwarsa, {closed} ditutup. Terkumpul: {collected}.',
  'toast.progress': '{done} dari {total} baris selesai: {created} dibuat, {failed} error.',
  'run.paused': 'Dijeda oleh {user}.',
  'run.cancelled': 'Dibatalkan oleh {user}. Baris yang belum dikirim tetap seperti semula.',
  'run.lost': '{count} hasil tidak dapat ditulis karena barisnya diubah atau dihapus selama proses; hasilnya ada di sheet Mayar Log.',
  'run.changed': '{count} baris berubah selama proses dan tidak dikirim; jalankan lagi untuk mengirimnya.',
  'run.waitingRate': 'Menunggu batas permintaan Mayar.',
  'run.notStarted': 'Tidak ada proses yang berjalan.',
  'log.sheetName': 'Mayar Log',
  'log.headers': 'Waktu|Pengguna|Sheet|Baris|Pelanggan|Jumlah|Tindakan|Hasil|Payment ID|Payment Link|Detail',
  'log.create': 'buat',
  'log.reconcile': 'cek setelah balasan hilang',
  'log.refresh': 'perbarui status',
  'log.close': 'tutup',
  'log.webhook': 'webhook',
  'log.unplaced': 'baris tidak ditemukan',
};

const catalogue: Record<Locale, Record<MessageKey, string>> = { en, id };

export type MessageParams = Record<string, string | number>;

/** A message not yet rendered, so the core can decide text without knowing the user's locale. */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

export function t(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogue[locale][key] ?? catalogue.en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function render(locale: Locale, message: Message): string {
  return t(locale, message.key, message.params);
}

/** "id" for Indonesian locales (id, id_ID, in_ID), English otherwise. */
export function localeFrom(tag: string | undefined | null): Locale {
  const lower = (tag ?? '').toLowerCase();
  return lower.startsWith('id') || lower.startsWith('in') ? 'id' : 'en';
}

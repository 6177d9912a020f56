/**
 * Settings → email each new form response its bill. The form job notes the response rows it
 * takes in; when it ends (the job slot free again, the lock held), the ordinary email job starts
 * for those rows of the form's sheet, so every safety of Email payment links holds: each row is
 * marked in the stored job before its send, never emailed twice even when the execution is
 * killed, Emailed At written, the daily mail quota respected. Rows without a link (an amount
 * error) or without an email address are not emailed; the WhatsApp queue lists them as any row.
 */
import { utf8Bytes } from '../../core/bytes';
import type { Job } from '../../core/job';
import type { AppContext } from '../context';
import { startEmailLocked } from '../kinds/email/menu';

const KEY = 'mayar.formMail';
/** A property value holds at most 9 KB; the oldest rows go first past this. */
const MAX_BYTES = 8000;

type Noted = Record<string, number[]>;

function noted(ctx: AppContext): Noted {
  try {
    const parsed: unknown = JSON.parse(ctx.ports.documentStore.get(KEY) ?? '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Noted) : {};
  } catch {
    return {};
  }
}

/** The form job took these response rows in: they are emailed when it ends (the setting on). */
export function noteFormRows(ctx: AppContext, sheetId: number, rows: readonly number[]): void {
  if (!ctx.settings.emailFormResponses || rows.length === 0) return;
  const all = noted(ctx);
  const list = [...new Set([...(all[sheetId] ?? []), ...rows])];
  while (list.length > 1 && utf8Bytes(JSON.stringify({ ...all, [sheetId]: list })) > MAX_BYTES) list.shift();
  ctx.ports.documentStore.setMany({ [KEY]: JSON.stringify({ ...all, [sheetId]: list }) });
}

/** A form job ended and the slot is free (lock held): its noted rows get their bill by email. */
export function emailFormRows(ctx: AppContext, job: Job): void {
  const all = noted(ctx);
  const rows = all[job.sheetId];
  if (!rows || rows.length === 0) return;
  const sheet = ctx.ports.spreadsheet.sheetById(job.sheetId);
  if (ctx.settings.emailFormResponses && sheet) startEmailLocked(ctx, sheet, { only: new Set(rows), quiet: true });
  // After the email job is stored: an execution killed in between emails these rows at most once.
  delete all[job.sheetId];
  ctx.ports.documentStore.setMany({ [KEY]: Object.keys(all).length ? JSON.stringify(all) : null });
}

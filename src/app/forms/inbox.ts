/**
 * Form responses waiting to be billed: one document property per response row, written by the
 * onFormSubmit trigger before it waits for the lock (a property is set in one call, whoever
 * holds the lock), and removed once the form job holds the row. The double fire of onFormSubmit
 * writes the same property twice: one response, one entry.
 */
import type { AppContext } from '../context';

const PREFIX = 'mayar.form.';

export interface KeptResponse {
  sheetId: number;
  /** 1-based sheet row. */
  row: number;
  key: string;
}

export function keepResponse(ctx: AppContext, sheetId: number, row: number): void {
  ctx.ports.documentStore.setMany({ [`${PREFIX}${sheetId}.${row}`]: String(ctx.ports.clock.now()) });
}

/** The kept responses, by sheet and row. */
export function keptResponses(ctx: AppContext): KeptResponse[] {
  const kept: KeptResponse[] = [];
  for (const key of Object.keys(ctx.ports.documentStore.getAll())) {
    const match = /^mayar\.form\.(\d+)\.(\d+)$/.exec(key);
    if (match) kept.push({ sheetId: Number(match[1]), row: Number(match[2]), key });
  }
  return kept.sort((a, b) => a.sheetId - b.sheetId || a.row - b.row);
}

export function forgetResponses(ctx: AppContext, responses: readonly KeptResponse[]): void {
  if (responses.length) ctx.ports.documentStore.setMany(Object.fromEntries(responses.map((r) => [r.key, null])));
}

/**
 * The onFormSubmit event of a spreadsheet (https://developers.google.com/apps-script/guides/triggers/events#form-submit):
 * `range` is the new response's row (not necessarily the sheet's last: responses can arrive
 * together), `values` its answers as strings in column order.
 */
import type { FormResponse } from '../app/forms/submit';

export function formResponseOf(event: unknown): FormResponse | null {
  const e = event as Partial<GoogleAppsScript.Events.SheetsOnFormSubmit> | undefined;
  const range = e?.range;
  if (!range || typeof range.getRow !== 'function') return null;
  return { sheetId: range.getSheet().getSheetId(), row: range.getRow(), values: (e.values ?? []).map((value) => String(value ?? '')) };
}

/**
 * What the Settings form shows of the shared settings checks (src/core/settings.ts) and of the
 * server's answer: each problem in the sidebar's language, on the error line under its field,
 * which also marks the input invalid and takes the focus.
 */
import type { UiMessageKey as MessageKey } from '../core/messages';
import {
  API_KEY_CHARS_MESSAGE,
  API_KEY_EMPTY_MESSAGE,
  API_KEY_ODD_WARNING,
  type SettingsIssue,
  WEB_APP_DEV_MESSAGE,
  WEB_APP_FORMAT_MESSAGE,
} from '../core/settings';
import { h, type I18n, show } from './dom';

// The English texts of settings.ts's messages, so Indonesian users read them in Indonesian.
// An unknown message (the schema changed) is still shown, wrapped in a generic sentence.
const ZOD_MESSAGES: Record<string, MessageKey> = {
  'The API key looks too long': 'ui.zod.keyLong',
  'Whole days only': 'ui.zod.wholeDays',
  'At least 1 day': 'ui.zod.minDay',
  'At most 365 days': 'ui.zod.maxDays',
  'Whole numbers only': 'ui.zod.wholeNumber',
  'At least 1': 'ui.zod.min1',
  'At most 50': 'ui.zod.max50',
  [API_KEY_EMPTY_MESSAGE]: 'ui.zod.keyEmpty',
  [API_KEY_CHARS_MESSAGE]: 'ui.zod.keyChars',
  [API_KEY_ODD_WARNING]: 'ui.zod.keyOdd',
  [WEB_APP_DEV_MESSAGE]: 'ui.zod.webAppDev',
  [WEB_APP_FORMAT_MESSAGE]: 'ui.zod.webAppFormat',
};

export function localizeIssue(i18n: I18n, message: string, code?: string): string {
  const key = ZOD_MESSAGES[message];
  if (key) return i18n.t(key);
  // Text that is not a number (Number("abc") is NaN) gets a wrong-type text not meant for users.
  if (code === 'invalid_type') return i18n.t('ui.zod.number');
  return i18n.locale === 'en' ? message : i18n.t('ui.zod.generic', { message });
}

export type FieldName =
  | 'apiKey'
  | 'defaultExpiryDays'
  | 'requestsPerMinute'
  | 'environment'
  | 'keyScope'
  | 'language'
  | 'autoRefresh'
  | 'webAppUrl'
  | 'confirmInSandbox'
  | 'titleTemplate'
  // forms
  | 'billFormResponses'
  | 'emailFormResponses'
  | 'formAmount';

// The error lines of the form's fields, filled from the shared settings checks or the server.
// One form per page, so they are kept here rather than passed around.
const errorSlots = {} as Record<FieldName, HTMLElement>;
const errorInputs: Partial<Record<FieldName, HTMLElement>> = {};
/** The fields with an input, in page order: the focus goes to the first one in error. */
const FOCUS_ORDER: readonly FieldName[] = ['apiKey', 'defaultExpiryDays', 'titleTemplate', 'requestsPerMinute', 'webAppUrl'];

/** A new (hidden) error line for `field`; `input` is the control it marks invalid. */
export function errorSlot(field: FieldName, input?: HTMLElement): HTMLElement {
  const node = h('p', { className: 'field-error', id: `${field}-error`, attrs: { role: 'alert' }, hidden: true });
  errorSlots[field] = node;
  if (input) errorInputs[field] = input;
  return node;
}

/** False for a name the server uses for problems of no particular field. */
export function hasErrorSlot(field: string): boolean {
  return field in errorSlots;
}

export function clearErrors(): void {
  for (const [field, node] of Object.entries(errorSlots) as Array<[FieldName, HTMLElement]>) {
    node.textContent = '';
    show(node, false);
    errorInputs[field]?.removeAttribute('aria-invalid');
  }
}

/** Shows `message` under `field` (under the API key when the field has no line of its own). */
export function showError(field: string, message: string): void {
  const node = hasErrorSlot(field) ? errorSlots[field as FieldName] : errorSlots.apiKey;
  if (!node.hidden) return; // the first problem of a field is the one to fix first
  node.textContent = message;
  show(node, true);
  // A field folded under Advanced is unfolded, so the problem and its input can be seen.
  const fold = node.closest('details');
  if (fold) fold.open = true;
  errorInputs[field as FieldName]?.setAttribute('aria-invalid', 'true');
}

/** Shows every issue of a failed check and focuses the first input in error. */
export function showIssues(i18n: I18n, error: { issues: readonly SettingsIssue[] }): void {
  for (const issue of error.issues) {
    showError(String(issue.path[0] ?? 'apiKey'), localizeIssue(i18n, issue.message, issue.code));
  }
  const first = FOCUS_ORDER.find((field) => !errorSlots[field].hidden);
  if (first) errorInputs[first]?.focus();
}

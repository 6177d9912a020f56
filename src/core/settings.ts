/**
 * Settings: what the user can change, validated by the same checks on the server
 * (saveSettings) and in the settings sidebar.
 */
import * as z from 'zod/mini';
import { lazy, withFallback } from './schema';
import type { Locale } from './messages';

export const ENVIRONMENTS = ['sandbox', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const API_BASE: Record<Environment, string> = {
  sandbox: 'https://api.mayar.club/hl/v2',
  production: 'https://api.mayar.id/hl/v2',
};

/** Where the API key is kept: only this user (user properties) or everyone who can edit the sheet. */
export const KEY_SCOPES = ['user', 'document'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export const LANGUAGES = ['auto', 'en', 'id'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULTS = {
  environment: 'sandbox' as Environment,
  keyScope: 'user' as KeyScope,
  defaultExpiryDays: 7,
  /** The most requests a minute: the pace starts at 20 (core/limiter) and probes up to it. */
  requestsPerMinute: 50,
  language: 'auto' as Language,
  autoRefresh: false,
  /** The web app's /exec URL as pasted by the user; '' = ask the platform. */
  webAppUrl: '',
  /** Ask before creating links in sandbox too (production always asks). */
  confirmInSandbox: true,
  /** Mayar's title of each payment request when the sheet has no Title column; {name} keeps the customer's name. */
  titleTemplate: '{name}',
  // forms
  /** Bill each new response of a Google Form linked to the spreadsheet (an onFormSubmit trigger). */
  billFormResponses: false,
  /** Each newly billed form response is emailed its bill at once (the email job, the bill template). */
  emailFormResponses: false,
  /** The amount billed for a response when the form has no amount question; 0 = none. */
  formAmount: 0,
};

/** Mayar's limit on a payment request's name (its title in API v2). */
export const TITLE_TEMPLATE_MAX = 255;

/** Mayar keys are JWTs: three base64url parts. Checked by regex (no atob in Apps Script). */
export const API_KEY_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The key as it is sent: a pasted "Bearer " prefix and every space or line break removed
 * (keys get copied from a curl line or wrap in an email).
 */
export function normalizeApiKey(raw: string): string {
  return raw
    .trim()
    .replace(/^bearer\s+/i, '')
    .replace(/\s+/g, '');
}

export const API_KEY_EMPTY_MESSAGE = 'Enter an API key';
export const API_KEY_CHARS_MESSAGE = 'The API key has characters Mayar keys never have (copy it again from Mayar)';
export const API_KEY_ODD_WARNING =
  'This does not look like a Mayar API key (they look like xxxxx.yyyyy.zzzzz). It is kept as typed: use Test connection to check it.';

/**
 * A warning for a key that is not shaped like Mayar's JWTs, or null. Not a refusal: Mayar's own
 * CLI takes any shape, and Test connection is the proof.
 */
export function apiKeyWarning(key: string): string | null {
  const normalized = normalizeApiKey(key);
  if (normalized === '') return null;
  return normalized.length < 20 || !API_KEY_PATTERN.test(normalized) ? API_KEY_ODD_WARNING : null;
}

/** How a web-app URL will work as Mayar's webhook. */
export type WebAppUrlKind = 'exec' | 'dev' | 'other';

const WEB_APP_URL = /^https:\/\/script\.google\.com\/(?:a\/macros\/[^/?#\s]+|macros)\/s\/([A-Za-z0-9_-]+)\/(exec|dev)(?:[?#].*)?$/;

/**
 * The URL Mayar can call for a web-app URL, and what kind it is. A domain-scoped URL
 * (/a/macros/<domain>/s/<id>/exec, what getUrl() gives Workspace users) asks the caller to sign
 * in to the domain; the same deployment answers anonymous callers at /macros/s/<id>/exec. The
 * /dev URL runs the latest saved code for editors only, so Mayar can never call it. A query
 * string (a whole webhook URL pasted back) is dropped.
 */
export function webAppExecUrl(url: string): { kind: WebAppUrlKind; url: string | null } {
  const match = WEB_APP_URL.exec(url.trim());
  if (!match) return { kind: 'other', url: null };
  if (match[2] === 'dev') return { kind: 'dev', url: null };
  return { kind: 'exec', url: `https://script.google.com/macros/s/${match[1] ?? ''}/exec` };
}

/**
 * One problem with a settings field, shaped like a zod issue (path, code, message) so the
 * server and the sidebar handle both alike.
 */
export interface SettingsIssue {
  path: string[];
  code: 'invalid_type' | 'invalid_value' | 'invalid_format' | 'too_small' | 'too_big';
  message: string;
}

export type SettingsCheck<T> = { success: true; data: T } | { success: false; error: { issues: SettingsIssue[] } };

/** What saveSettings accepts. Every field is optional: missing ones keep their stored value. */
export interface SettingsInput {
  apiKey?: string;
  removeApiKey?: boolean;
  environment?: Environment;
  keyScope?: KeyScope;
  defaultExpiryDays?: number;
  requestsPerMinute?: number;
  language?: Language;
  autoRefresh?: boolean;
  /** The web app's URL pasted by the user ('' forgets it). */
  webAppUrl?: string;
  confirmInSandbox?: boolean;
  titleTemplate?: string;
  // forms
  billFormResponses?: boolean;
  emailFormResponses?: boolean;
  formAmount?: number;
}

// The settings input is checked by hand rather than with zod: the sidebar bundles these checks,
// and zod (even zod/mini) would be a third of its size. Wrong types are worded as zod words them.

/** zod's name for a value's type in "expected x, received y". */
function typeName(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function wrongType(path: string[], expected: string, value: unknown): SettingsIssue[] {
  return [{ path, code: 'invalid_type', message: `Invalid input: expected ${expected}, received ${typeName(value)}` }];
}

/** The field's value as saved, or its problems (every failed check; a wrong type alone). */
type FieldCheck<T> = (value: unknown, path: string[]) => { value: T } | SettingsIssue[];

/**
 * The key as stored: normalized (no "Bearer ", no spaces). Only what cannot be sent is refused:
 * nothing left, absurd length, or characters an HTTP header cannot carry. An odd shape is a
 * warning (apiKeyWarning), not an error.
 */
const checkApiKey: FieldCheck<string> = (value, path) => {
  if (typeof value !== 'string') return wrongType(path, 'string', value);
  const key = normalizeApiKey(value);
  const issues: SettingsIssue[] = [];
  if (key.length === 0) issues.push({ path, code: 'too_small', message: API_KEY_EMPTY_MESSAGE });
  if (key.length > 4000) issues.push({ path, code: 'too_big', message: 'The API key looks too long' });
  if (!/^[\x21-\x7e]*$/.test(key)) {
    issues.push({ path, code: 'invalid_format', message: API_KEY_CHARS_MESSAGE });
  }
  return issues.length > 0 ? issues : { value: key };
};

export const WEB_APP_DEV_MESSAGE =
  'This is the test URL (ending in /dev): only editors can open it. Paste the Web app URL that ends in /exec (Deploy → Manage deployments)';
export const WEB_APP_FORMAT_MESSAGE = 'Paste the Web app URL from Deploy → Manage deployments (https://script.google.com/macros/s/…/exec)';

/** '' (forget it) or a web app's /exec URL; the /dev URL is refused, Mayar cannot call it. */
const checkWebAppUrl: FieldCheck<string> = (value, path) => {
  if (typeof value !== 'string') return wrongType(path, 'string', value);
  if (value.trim() === '') return { value: '' };
  const { kind, url } = webAppExecUrl(value);
  if (kind === 'dev') return [{ path, code: 'invalid_value', message: WEB_APP_DEV_MESSAGE }];
  if (kind === 'other' || url === null) return [{ path, code: 'invalid_format', message: WEB_APP_FORMAT_MESSAGE }];
  return { value: url };
};

/** A number typed into a text box (so coerced with Number(), as z.coerce.number() does), then whole and within bounds. */
function wholeNumber(min: number, max: number, messages: { whole: string; min: string; max: string }): FieldCheck<number> {
  return (value, path) => {
    const n = Number(value);
    if (!Number.isFinite(n)) return wrongType(path, 'number', n);
    if (!Number.isInteger(n)) return [{ path, code: 'invalid_type', message: messages.whole }];
    if (n < min) return [{ path, code: 'too_small', message: messages.min }];
    if (n > max) return [{ path, code: 'too_big', message: messages.max }];
    return { value: n };
  };
}

function oneOf<T extends string>(values: readonly T[]): FieldCheck<T> {
  return (value, path) =>
    (values as readonly unknown[]).includes(value)
      ? { value: value as T }
      : [{ path, code: 'invalid_value', message: `Invalid option: expected one of ${values.map((v) => JSON.stringify(v)).join('|')}` }];
}

const checkBoolean: FieldCheck<boolean> = (value, path) => (typeof value === 'boolean' ? { value } : wrongType(path, 'boolean', value));

/** A title template: trimmed, not empty, within Mayar's limit. */
const checkTitleTemplate: FieldCheck<string> = (value, path) => {
  if (typeof value !== 'string') return wrongType(path, 'string', value);
  const template = value.trim();
  if (template === '') return [{ path, code: 'too_small', message: 'Write a title, for example {name}' }];
  if (template.length > TITLE_TEMPLATE_MAX) return [{ path, code: 'too_big', message: `At most ${TITLE_TEMPLATE_MAX} characters` }];
  return { value: template };
};

const SETTINGS_FIELDS: { [K in keyof SettingsInput]-?: FieldCheck<NonNullable<SettingsInput[K]>> } = {
  apiKey: checkApiKey,
  removeApiKey: checkBoolean,
  environment: oneOf(ENVIRONMENTS),
  keyScope: oneOf(KEY_SCOPES),
  defaultExpiryDays: wholeNumber(1, 365, { whole: 'Whole days only', min: 'At least 1 day', max: 'At most 365 days' }),
  requestsPerMinute: wholeNumber(1, 50, { whole: 'Whole numbers only', min: 'At least 1', max: 'At most 50' }),
  language: oneOf(LANGUAGES),
  autoRefresh: checkBoolean,
  webAppUrl: checkWebAppUrl,
  confirmInSandbox: checkBoolean,
  titleTemplate: checkTitleTemplate,
  // forms
  billFormResponses: checkBoolean,
  emailFormResponses: checkBoolean,
  formAmount: wholeNumber(0, 10_000_000_000, { whole: 'Whole rupiah only', min: 'At least 0 (none)', max: 'At most Rp 10.000.000.000' }),
};

function checked<T>(result: { value: T } | SettingsIssue[]): SettingsCheck<T> {
  return 'value' in result ? { success: true, data: result.value } : { success: false, error: { issues: result } };
}

/** The API key alone (Test connection): issues have an empty path. */
export const apiKeySchema = {
  safeParse: (value: unknown): SettingsCheck<string> => checked(checkApiKey(value, [])),
};

/** saveSettings' input: unknown fields are dropped, every problem is reported (in field order). */
export const settingsInputSchema = {
  safeParse(input: unknown): SettingsCheck<SettingsInput> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return checked(wrongType([], 'object', input));
    const data: Record<string, unknown> = {};
    const issues: SettingsIssue[] = [];
    for (const [name, check] of Object.entries(SETTINGS_FIELDS) as [string, FieldCheck<unknown>][]) {
      const value = (input as Record<string, unknown>)[name];
      if (value === undefined) continue;
      const result = check(value, [name]);
      if ('value' in result) data[name] = result.value;
      else issues.push(...result);
    }
    return issues.length > 0 ? { success: false, error: { issues } } : { success: true, data: data as SettingsInput };
  },
};

const storedWholeNumber = (min: number, max: number, fallback: number) => withFallback(z.number().check(z.int(), z.gte(min), z.lte(max)), fallback);

/** Stored (document properties) settings, without the key. */
export const storedSettingsSchema = /* @__PURE__ */ lazy(() =>
  z.object({
    environment: withFallback(z.enum(ENVIRONMENTS), DEFAULTS.environment),
    keyScope: withFallback(z.enum(KEY_SCOPES), DEFAULTS.keyScope),
    defaultExpiryDays: storedWholeNumber(1, 365, DEFAULTS.defaultExpiryDays),
    requestsPerMinute: storedWholeNumber(1, 50, DEFAULTS.requestsPerMinute),
    language: withFallback(z.enum(LANGUAGES), DEFAULTS.language),
    autoRefresh: withFallback(z.boolean(), DEFAULTS.autoRefresh),
    webAppUrl: withFallback(z.string(), DEFAULTS.webAppUrl),
    confirmInSandbox: withFallback(z.boolean(), DEFAULTS.confirmInSandbox),
    titleTemplate: withFallback(z.string().check(z.minLength(1), z.maxLength(TITLE_TEMPLATE_MAX)), DEFAULTS.titleTemplate),
    // forms
    billFormResponses: withFallback(z.boolean(), DEFAULTS.billFormResponses),
    emailFormResponses: withFallback(z.boolean(), DEFAULTS.emailFormResponses),
    formAmount: storedWholeNumber(0, 10_000_000_000, DEFAULTS.formAmount),
  }),
);
export type StoredSettings = z.infer<ReturnType<typeof storedSettingsSchema>>;

/** What getSettings() returns to the sidebar: never the key itself. */
export interface SettingsView extends Omit<StoredSettings, 'webAppUrl'> {
  /** The web app URL pasted in Settings ('' or absent: none). */
  webAppUrl?: string;
  hasApiKey: boolean;
  /** Last four characters, e.g. "…9f2c", or null without a key. */
  apiKeyHint: string | null;
  /** The URL to paste into Mayar's dashboard, or null when the web app's /exec URL is unknown. */
  webhookUrl: string | null;
  /**
   * Why there is no webhook URL: 'dev' when the platform gave the /dev test URL (paste the
   * /exec one), 'unknown' when it gave none Mayar could call; null when there is one.
   */
  webhookProblem?: 'dev' | 'unknown' | null;
  /** A warning about the saved key's shape (apiKeyWarning), or null. */
  apiKeyWarning?: string | null;
  /** The language the interface speaks to this user now. */
  locale: Locale;
  /** Installed as an add-on: no webhook of its own, status comes from the hourly refresh. */
  addOn?: boolean;
}

export interface SaveResult {
  ok: boolean;
  settings: SettingsView;
  /** Field name → message, when ok is false. */
  errors: Record<string, string>;
}

export interface ConnectionResult {
  ok: boolean;
  message: string;
}

export function keyHint(apiKey: string): string {
  return `…${apiKey.slice(-4)}`;
}

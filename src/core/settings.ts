/**
 * Settings: what the user can change, validated by the same zod schemas on the server
 * (saveSettings) and in the settings sidebar.
 */
import * as z from 'zod';
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
  requestsPerMinute: 20,
  language: 'auto' as Language,
  autoRefresh: false,
};

/** Mayar keys are JWTs: three base64url parts. Checked by regex (no atob in Apps Script). */
export const API_KEY_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export const apiKeySchema = z
  .string()
  .trim()
  .min(20, 'The API key looks too short')
  .max(4000, 'The API key looks too long')
  .regex(API_KEY_PATTERN, 'The API key should look like xxxxx.yyyyy.zzzzz (copy it whole from Mayar)');

/** What saveSettings accepts. Every field is optional: missing ones keep their stored value. */
export const settingsInputSchema = z.object({
  apiKey: apiKeySchema.optional(),
  removeApiKey: z.boolean().optional(),
  environment: z.enum(ENVIRONMENTS).optional(),
  keyScope: z.enum(KEY_SCOPES).optional(),
  defaultExpiryDays: z.coerce.number().int('Whole days only').min(1, 'At least 1 day').max(365, 'At most 365 days').optional(),
  requestsPerMinute: z.coerce.number().int('Whole numbers only').min(1, 'At least 1').max(50, 'At most 50').optional(),
  language: z.enum(LANGUAGES).optional(),
  autoRefresh: z.boolean().optional(),
});
export type SettingsInput = z.infer<typeof settingsInputSchema>;

/** Stored (document properties) settings, without the key. */
export const storedSettingsSchema = z.object({
  environment: z.enum(ENVIRONMENTS).catch(DEFAULTS.environment),
  keyScope: z.enum(KEY_SCOPES).catch(DEFAULTS.keyScope),
  defaultExpiryDays: z.number().int().min(1).max(365).catch(DEFAULTS.defaultExpiryDays),
  requestsPerMinute: z.number().int().min(1).max(50).catch(DEFAULTS.requestsPerMinute),
  language: z.enum(LANGUAGES).catch(DEFAULTS.language),
  autoRefresh: z.boolean().catch(DEFAULTS.autoRefresh),
});
export type StoredSettings = z.infer<typeof storedSettingsSchema>;

/** What getSettings() returns to the sidebar: never the key itself. */
export interface SettingsView extends StoredSettings {
  hasApiKey: boolean;
  /** Last four characters, e.g. "…9f2c", or null without a key. */
  apiKeyHint: string | null;
  /** The URL to paste into Mayar's dashboard, or null when the web app is not deployed. */
  webhookUrl: string | null;
  /** The language the interface speaks to this user now. */
  locale: Locale;
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

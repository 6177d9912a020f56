/**
 * What the add-on keeps in properties. Document properties hold what the whole team shares
 * (settings, the job, the rate limiter); user properties hold each person's API key and
 * language. The API key is never written anywhere else.
 */
import { compactJob, parseJob, type Job } from '../core/job';
import { parseLimiter, type LimiterState } from '../core/limiter';
import type { ProgressView } from '../core/progress';
import { DEFAULTS, LANGUAGES, storedSettingsSchema, type KeyScope, type Language, type StoredSettings } from '../core/settings';
import type { KeyValueStore } from './ports';

const KEYS = {
  settings: 'mayar.settings',
  apiKey: 'mayar.apiKey',
  language: 'mayar.language',
  job: 'mayar.job',
  limiter: 'mayar.limiter',
  lastRun: 'mayar.lastRun',
  webhookSecret: 'mayar.webhookSecret',
} as const;

/** A property value may hold 9 KB; JSON is made ASCII-only below, so characters are bytes. */
const CHUNK_CHARS = 8000;

function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export class Store {
  constructor(
    private readonly doc: KeyValueStore,
    private readonly user: KeyValueStore,
  ) {}

  settings(): StoredSettings {
    const raw = this.doc.get(KEYS.settings);
    let parsed: unknown = {};
    try {
      parsed = raw ? JSON.parse(raw) : {};
    } catch {
      parsed = {};
    }
    const stored = storedSettingsSchema.parse({ ...DEFAULTS, ...(typeof parsed === 'object' && parsed !== null ? parsed : {}) });
    const language = this.user.get(KEYS.language);
    if (language && (LANGUAGES as readonly string[]).includes(language)) stored.language = language as Language;
    return stored;
  }

  saveSettings(settings: StoredSettings): void {
    const { language, ...shared } = settings;
    this.doc.setMany({ [KEYS.settings]: JSON.stringify(shared) });
    this.user.setMany({ [KEYS.language]: language });
  }

  /** The key for a scope: this user's own, or the one shared with every editor. */
  apiKey(scope: KeyScope): string | null {
    return (scope === 'user' ? this.user : this.doc).get(KEYS.apiKey);
  }

  setApiKey(scope: KeyScope, apiKey: string | null): void {
    (scope === 'user' ? this.user : this.doc).setMany({ [KEYS.apiKey]: apiKey });
    // A key lives in one place only: moving it clears the other.
    (scope === 'user' ? this.doc : this.user).setMany({ [KEYS.apiKey]: null });
  }

  webhookSecret(): string | null {
    return this.doc.get(KEYS.webhookSecret);
  }

  setWebhookSecret(secret: string): void {
    this.doc.setMany({ [KEYS.webhookSecret]: secret });
  }

  job(): Job | null {
    const all = this.doc.getAll();
    const count = Number(all[KEYS.job] ?? '0');
    if (!count) return null;
    let text = '';
    for (let i = 0; i < count; i++) {
      const part = all[`${KEYS.job}.${i}`];
      if (part === undefined) return null;
      text += part;
    }
    return parseJob(text);
  }

  limiter(): LimiterState {
    return parseLimiter(this.doc.get(KEYS.limiter));
  }

  lastRun(): ProgressView | null {
    const raw = this.doc.get(KEYS.lastRun);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as ProgressView;
    } catch {
      return null;
    }
  }

  /**
   * Saves the job (split over several properties), the limiter and the last-run summary in
   * one call, so they never disagree. `job: null` deletes the job.
   */
  save(changes: { job?: Job | null; limiter?: LimiterState; lastRun?: ProgressView | null }): void {
    const values: Record<string, string | null> = {};
    if (changes.job !== undefined) {
      const previous = Number(this.doc.get(KEYS.job) ?? '0');
      const text = changes.job ? asciiJson(compactJob(changes.job)) : '';
      const parts: string[] = [];
      for (let i = 0; i < text.length; i += CHUNK_CHARS) parts.push(text.slice(i, i + CHUNK_CHARS));
      parts.forEach((part, i) => (values[`${KEYS.job}.${i}`] = part));
      for (let i = parts.length; i < previous; i++) values[`${KEYS.job}.${i}`] = null;
      values[KEYS.job] = parts.length ? String(parts.length) : null;
    }
    if (changes.limiter !== undefined) values[KEYS.limiter] = JSON.stringify(changes.limiter);
    if (changes.lastRun !== undefined) values[KEYS.lastRun] = changes.lastRun ? asciiJson(changes.lastRun) : null;
    this.doc.setMany(values);
  }
}


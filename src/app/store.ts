/**
 * What the add-on keeps in properties. Document properties hold what the whole team shares
 * (settings, the job, the rate limiter); user properties hold each person's API key and
 * language. The API key is never written anywhere else.
 */
import { decodeJob, encodeJob, type Job } from '../core/job';
import { type LimiterState, parseLimiter } from '../core/limiter';
import type { ProgressView } from '../core/progress';
import { DEFAULTS, type KeyScope, type Language, LANGUAGES, type StoredSettings, storedSettingsSchema } from '../core/settings';
import type { KeyValueStore } from './ports';

const KEYS = {
  settings: 'mayar.settings',
  apiKey: 'mayar.apiKey',
  language: 'mayar.language',
  job: 'mayar.job',
  limiter: 'mayar.limiter',
  lastRun: 'mayar.lastRun',
  webhookSecret: 'mayar.webhookSecret',
  unplaced: 'mayar.unplaced',
  webhookSeen: 'mayar.webhookSeen',
  inbox: 'mayar.inbox.',
  /** A refresh set aside while a create runs; it resumes when the create ends. */
  setAside: 'mayar.setAside',
} as const;

/** A property value may hold 9 KB; JSON is made ASCII-only below, so characters are bytes. */
const CHUNK_CHARS = 8000;

/** A webhook kept until it is confirmed with Mayar. */
export interface WebhookHint {
  paymentId: string;
  transactionId: string;
  /** When it arrived: Paid At only when Mayar's record gives no time (the body's times are not used). */
  arrivedAt: number;
  tries: number;
}

export type StoredJob = { ok: true; job: Job | null } | { ok: false; reason: string };

/** A payment whose row could not be found when it came back: no later run creates another for that row. */
export interface UnplacedPayment {
  sheetId: number;
  /** The invoice key (customer, amount, expiry) of the row it was made for. */
  key: string;
  /** The row it was last seen on. */
  sheetRow: number;
  paymentId: string;
  link: string;
  transactionId: string;
  at: number;
}

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
    const stored = storedSettingsSchema().parse({ ...DEFAULTS, ...(typeof parsed === 'object' && parsed !== null ? parsed : {}) });
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

  /**
   * The stored job: none, the job, or why it can't be read. An unreadable job is never taken
   * for "no job": its in-flight marks are what prevent a double payment.
   */
  job(): StoredJob {
    return this.readJob(KEYS.job);
  }

  /** The refresh set aside for a create, if any. */
  setAsideJob(): StoredJob {
    return this.readJob(KEYS.setAside);
  }

  private readJob(base: string): StoredJob {
    const all = this.doc.getAll();
    const count = Number(all[base] ?? '0');
    if (!count) return { ok: true, job: null };
    let text = '';
    for (let i = 0; i < count; i++) {
      const part = all[`${base}.${i}`];
      if (part === undefined) return { ok: false, reason: `part ${i + 1} of ${count} is missing` };
      text += part;
    }
    const decoded = decodeJob(text);
    return decoded.ok ? { ok: true, job: decoded.job } : decoded;
  }

  /**
   * Keeps a webhook under a key of its own: one call, safe without the lock, so a webhook that
   * arrives while a run holds the lock is never lost. Returns the key.
   */
  keepWebhook(hint: WebhookHint, key = this.inboxKey(hint)): string {
    this.doc.setMany({ [key]: asciiJson(hint) });
    return key;
  }

  /** One key per payment: a repeat replaces the webhook kept before it. */
  inboxKey(hint: WebhookHint): string {
    return `${KEYS.inbox}${hint.paymentId || hint.transactionId}`;
  }

  keptWebhooks(): { key: string; hint: WebhookHint }[] {
    const kept: { key: string; hint: WebhookHint }[] = [];
    for (const [key, value] of Object.entries(this.doc.getAll())) {
      if (!key.startsWith(KEYS.inbox)) continue;
      try {
        const hint = JSON.parse(value) as WebhookHint;
        if (hint && typeof hint.arrivedAt === 'number') kept.push({ key, hint });
      } catch {
        // A value that isn't a hint is no webhook.
      }
    }
    return kept.sort((a, b) => a.hint.arrivedAt - b.hint.arrivedAt);
  }

  dropWebhook(key: string): void {
    this.doc.setMany({ [key]: null });
  }

  /** The time of the newest webhook delivery a refresh has read. */
  webhookSeen(): number | null {
    const value = Number(this.doc.get(KEYS.webhookSeen) ?? '');
    return Number.isFinite(value) && value > 0 ? value : null;
  }

  setWebhookSeen(time: number): void {
    this.doc.setMany({ [KEYS.webhookSeen]: String(time) });
  }

  /** Payments created for rows that could not be found when their result came back. */
  unplaced(): UnplacedPayment[] {
    try {
      const parsed: unknown = JSON.parse(this.doc.get(KEYS.unplaced) ?? '[]');
      return Array.isArray(parsed) ? (parsed as UnplacedPayment[]).filter((p) => p && typeof p.paymentId === 'string') : [];
    } catch {
      return [];
    }
  }

  rememberUnplaced(payment: UnplacedPayment): void {
    // Newest last; a property holds 9 KB, so the oldest go first past a few dozen.
    const list = [...this.unplaced().filter((p) => p.paymentId !== payment.paymentId), payment].slice(-40);
    // Long names (escaped, 6 bytes a letter outside ASCII) could pass 9 KB before 40 entries.
    while (list.length > 1 && asciiJson(list).length > CHUNK_CHARS) list.shift();
    this.doc.setMany({ [KEYS.unplaced]: asciiJson(list) });
  }

  forgetUnplaced(paymentIds: readonly string[]): void {
    if (paymentIds.length === 0) return;
    const list = this.unplaced().filter((p) => !paymentIds.includes(p.paymentId));
    this.doc.setMany({ [KEYS.unplaced]: list.length ? asciiJson(list) : null });
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
  save(changes: { job?: Job | null; setAside?: Job | null; limiter?: LimiterState; lastRun?: ProgressView | null }): void {
    const values: Record<string, string | null> = {};
    // Moving a job between the two places is one setMany: it is never in both, nor lost.
    if (changes.job !== undefined) this.putJob(values, KEYS.job, changes.job);
    if (changes.setAside !== undefined) this.putJob(values, KEYS.setAside, changes.setAside);
    if (changes.limiter !== undefined) values[KEYS.limiter] = JSON.stringify(changes.limiter);
    if (changes.lastRun !== undefined) values[KEYS.lastRun] = changes.lastRun ? asciiJson(changes.lastRun) : null;
    this.doc.setMany(values);
  }

  private putJob(values: Record<string, string | null>, base: string, job: Job | null): void {
    const previous = Number(this.doc.get(base) ?? '0');
    const text = job ? asciiJson(encodeJob(job)) : '';
    const parts: string[] = [];
    for (let i = 0; i < text.length; i += CHUNK_CHARS) parts.push(text.slice(i, i + CHUNK_CHARS));
    // The count goes first: deletes run in order, so a job being removed loses its count
    // before its parts, and an execution killed in between leaves no job rather than a
    // count pointing at a missing part (which reads as an unreadable job and halts runs).
    values[base] = parts.length ? String(parts.length) : null;
    parts.forEach((part, i) => (values[`${base}.${i}`] = part));
    for (let i = parts.length; i < previous; i++) values[`${base}.${i}`] = null;
  }
}

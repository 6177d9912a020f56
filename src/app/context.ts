/** What every entry point needs for one execution: ports, settings, the user and their language. */
import type { Locale, MessageKey, MessageParams } from '../core/messages';
import type { StoredSettings } from '../core/settings';
import type { Ports } from './ports';
import type { Store } from './store';

/**
 * One more field, `kinds` (one module per job kind), is declared next to the kind modules' type
 * in engine/kind.ts and merged in here: this module needs nothing of the engine, so no import
 * circle runs through the context that every module takes.
 */
export interface AppContext {
  ports: Ports;
  store: Store;
  settings: StoredSettings;
  locale: Locale;
  /** The person's email for display; may be "" on the platform, then a readable stand-in. */
  user: string;
  /** Tells people apart even without an email (Session.getTemporaryActiveUserKey). */
  userKey: string;
  /** When this execution started, for the time budget. */
  startedAt: number;
  say(key: MessageKey, params?: MessageParams): string;
}

/** Rupiah as Indonesians write it: Rp 1.250.000. */
export function rupiah(amount: number): string {
  return `Rp ${Math.round(amount)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}

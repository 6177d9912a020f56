/**
 * Every settings change is a Mayar Log row: who changed what, from what to what. The API key
 * is named by its last four characters only. A change to the key, its scope or the
 * environment is also kept for the confirmation a teammate sees before sending.
 */
import { keyHint, type StoredSettings } from '../core/settings';
import { recordAccountChange } from './account';
import { appendLog } from './audit-log';
import type { AppContext } from './context';

/** Fields the whole team shares (language is each person's own and not logged). */
const LOGGED: readonly (keyof StoredSettings)[] = [
  'environment',
  'keyScope',
  'defaultExpiryDays',
  'requestsPerMinute',
  'autoRefresh',
  'webAppUrl',
  'confirmInSandbox',
  'titleTemplate',
  'emailFormResponses',
];

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** `ctx` still holds the settings before the save. */
export function logSettingsChange(ctx: AppContext, next: StoredSettings, keyChange: 'saved' | 'removed' | 'moved' | null, apiKey: string | null): void {
  const parts: string[] = [];
  const changed: string[] = [];
  for (const field of LOGGED) {
    const before = ctx.settings[field];
    const after = next[field];
    if (before === after) continue;
    parts.push(`${field}: ${shown(before)} → ${shown(after)}`);
    if (field === 'environment' || field === 'keyScope') changed.push(field);
  }
  const hint = apiKey ? keyHint(apiKey) : null;
  if (keyChange) {
    // A teammate's own "only me" key changes nothing for the others: only a shared key is theirs to hear about.
    if (next.keyScope === 'document') changed.push('key');
    const scope = ctx.say(next.keyScope === 'document' ? 'account.scopeShared' : 'account.scopeUser');
    parts.push(
      keyChange === 'removed' ? ctx.say('log.keyRemoved') : ctx.say(keyChange === 'saved' ? 'log.keySaved' : 'log.keyMoved', { hint: hint ?? '', scope }),
    );
  }
  if (parts.length === 0) return;
  if (changed.length > 0) recordAccountChange(ctx, changed, hint);
  appendLog(ctx, [{ sheet: '', row: '', customer: '', amount: '', action: ctx.say('log.settingsChanged'), outcome: '', details: parts.join('; ') }]);
}

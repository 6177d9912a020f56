/**
 * Every user-facing text, in English and Indonesian (src/core/catalogue). Templates use
 * {placeholders}. The server and the sidebars each bundle only their own part.
 */
import { enServer, type ServerOnlyMessageKey } from './catalogue/en-server';
import { enUi, type UiOnlyMessageKey } from './catalogue/en-ui';
import { idServer } from './catalogue/id-server';
import { idUi } from './catalogue/id-ui';
import { enShared, idShared, type SharedMessageKey } from './catalogue/shared';

export type Locale = 'en' | 'id';

/** What the server can say. */
export type MessageKey = ServerOnlyMessageKey | SharedMessageKey;
/** What a sidebar can say. */
export type UiMessageKey = UiOnlyMessageKey | SharedMessageKey;

// Pure calls, so a bundle that uses only tUi leaves the server's messages out (and the reverse).
const catalogue: Record<Locale, Record<MessageKey, string>> = /* @__PURE__ */ (() => ({
  en: { ...enServer, ...enShared },
  id: { ...idServer, ...idShared },
}))();
const uiCatalogue: Record<Locale, Record<UiMessageKey, string>> = /* @__PURE__ */ (() => ({
  en: { ...enUi, ...enShared },
  id: { ...idUi, ...idShared },
}))();

export type MessageParams = Record<string, string | number>;

/** A message not yet rendered, so the core can decide text without knowing the user's locale. */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

export function t(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  return fill(catalogue[locale][key] ?? catalogue.en[key], params);
}

function fill(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The sidebars' own lookup: only the sidebar messages are bundled with them. */
export function tUi(locale: Locale, key: UiMessageKey, params: MessageParams = {}): string {
  return fill(uiCatalogue[locale][key] ?? uiCatalogue.en[key], params);
}

export function render(locale: Locale, message: Message): string {
  return t(locale, message.key, message.params);
}

/** "id" for Indonesian locales (id, id_ID, in_ID), English otherwise. */
export function localeFrom(tag: string | undefined | null): Locale {
  const lower = (tag ?? '').toLowerCase();
  return lower.startsWith('id') || lower.startsWith('in') ? 'id' : 'en';
}

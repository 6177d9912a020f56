/**
 * Delivery settings: the message templates (bill, reminder steps, thank-you), the sender's
 * name, and the reminders. Kept in their own document property, next to the main settings.
 */
import type { EmailTemplates } from '../../core/email';
import { defaultEmailTemplates } from '../../core/email';
import { utf8Bytes } from '../../core/bytes';
import type { Locale } from '../../core/messages';
import { DEFAULT_REMINDER_DAYS, normaliseReminderDays } from '../../core/reminders';
import { type Register, REGISTERS, TEMPLATE_KINDS, type TemplateKind } from '../../core/templates';
import type { KeyValueStore } from '../ports';

const KEY = 'mayar.delivery';
/** Characters per template; what is stored is also measured in bytes when saved (templates-app.ts). */
export const TEMPLATE_MAX = 9000;
const NAME_MAX = 100;

export interface DeliverySettings {
  /** The name emails come from ("" leaves Google's default, the account's name). */
  senderName: string;
  /** Message bodies per kind; "" or missing: the built-in template in the interface language. */
  templates: Partial<Record<TemplateKind, string>>;
  /** Email subjects per kind, likewise. */
  subjects: Partial<Record<TemplateKind, string>>;
  reminders: boolean;
  reminderDays: number[];
  thankYou: boolean;
  /** How the built-in messages address customers: Kak (shops) or Bapak/Ibu (schools, kos). */
  register: Register;
}

export const DELIVERY_DEFAULTS: DeliverySettings = {
  senderName: '',
  templates: {},
  subjects: {},
  reminders: false,
  reminderDays: [...DEFAULT_REMINDER_DAYS],
  thankYou: false,
  register: 'kak',
};

function texts(value: unknown, max: number): Partial<Record<TemplateKind, string>> {
  const out: Partial<Record<TemplateKind, string>> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const kind of TEMPLATE_KINDS) {
    const text = (value as Record<string, unknown>)[kind];
    if (typeof text === 'string' && text.trim() !== '') out[kind] = text.slice(0, max);
  }
  return out;
}

/** Anything stored or sent by the sidebar, made into valid settings: unknown fields dropped, bad ones defaulted. */
export function normaliseDelivery(raw: unknown, base: DeliverySettings = DELIVERY_DEFAULTS): DeliverySettings {
  const input = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const days = Array.isArray(input['reminderDays']) ? normaliseReminderDays(input['reminderDays']) : null;
  return {
    senderName: typeof input['senderName'] === 'string' ? input['senderName'].trim().slice(0, NAME_MAX) : base.senderName,
    templates: 'templates' in input ? texts(input['templates'], TEMPLATE_MAX) : base.templates,
    subjects: 'subjects' in input ? texts(input['subjects'], 200) : base.subjects,
    reminders: typeof input['reminders'] === 'boolean' ? input['reminders'] : base.reminders,
    reminderDays: days !== null && days.length > 0 ? days : base.reminderDays,
    thankYou: typeof input['thankYou'] === 'boolean' ? input['thankYou'] : base.thankYou,
    register: REGISTERS.find((r) => r === input['register']) ?? base.register,
  };
}

export function loadDelivery(store: KeyValueStore): DeliverySettings {
  const raw = store.get(KEY);
  if (!raw) return { ...DELIVERY_DEFAULTS };
  try {
    return normaliseDelivery(JSON.parse(raw));
  } catch {
    return { ...DELIVERY_DEFAULTS };
  }
}

/** The bytes the stored delivery settings take in their one property value (key and value, UTF-8). */
export function deliveryBytes(settings: DeliverySettings): number {
  return utf8Bytes(KEY) + utf8Bytes(JSON.stringify(settings));
}

export function saveDelivery(store: KeyValueStore, settings: DeliverySettings): void {
  store.setMany({ [KEY]: JSON.stringify(settings) });
}

/** The subject and body a kind's messages are built from: the saved ones, else the built-in ones. */
export function templatesFor(settings: DeliverySettings, locale: Locale, kind: TemplateKind): EmailTemplates {
  const builtIn = defaultEmailTemplates(locale, kind, settings.register);
  return { subject: settings.subjects[kind] ?? builtIn.subject, body: settings.templates[kind] ?? builtIn.body };
}

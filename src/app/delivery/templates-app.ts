/** The delivery part of the settings sidebar: templates with their check and live preview, reminders, a test email. */
import { formatBytes, PROPERTY_VALUE_BYTES, utf8Bytes } from '../../core/bytes';
import { buildEmail, defaultEmailTemplates } from '../../core/email';
import { mapHeaders } from '../../core/headers';
import { defaultTemplate, renderTemplate, TEMPLATE_KINDS, type TemplateKind, validateTemplate } from '../../core/templates';
import type { Cell } from '../../core/types';
import type { AppContext } from '../context';
import { replyTo } from '../kinds/email/advance';
import { syncHourlyTrigger } from '../schedule';
import { isLogSheet } from '../sheet-prep';
import { rowFacts } from './rows';
import { deliveryBytes, type DeliverySettings, loadDelivery, normaliseDelivery, saveDelivery, templatesFor } from './settings';

export interface DeliveryView extends DeliverySettings {
  /** The built-in subject and body of each kind, in the interface language (shown when a template is blank). */
  defaults: Record<TemplateKind, { subject: string; body: string }>;
  /** Says that Mayar itself may email reminders too. */
  mayarNote: string;
}

export interface DeliverySaveResult {
  ok: boolean;
  settings: DeliveryView;
  /** Template kind → "Unknown placeholder: {Klas}". */
  errors: Record<string, string>;
}

export interface TemplatePreview {
  text: string;
  /** The placeholders the template uses that name no field and no column. */
  unknown: string[];
  /** "" when the preview is from a row; else why there is none. */
  note: string;
}

function headerRow(ctx: AppContext): { data: Cell[][]; usable: boolean } {
  const sheet = ctx.ports.spreadsheet.activeSheet();
  if (isLogSheet(ctx, sheet)) return { data: [], usable: false };
  const data = sheet.readAll();
  return { data, usable: data.length > 0 };
}

export function deliveryView(ctx: AppContext): DeliveryView {
  const settings = loadDelivery(ctx.ports.documentStore);
  const defaults = {} as DeliveryView['defaults'];
  for (const kind of TEMPLATE_KINDS) defaults[kind] = defaultEmailTemplates(ctx.locale, kind, settings.register);
  return { ...settings, defaults, mayarNote: ctx.say('reminders.mayarNote') };
}

/** Saves the delivery settings; an unknown placeholder in any template refuses the save. */
export function saveDeliverySettings(ctx: AppContext, input: unknown): DeliverySaveResult {
  const next = normaliseDelivery(input, loadDelivery(ctx.ports.documentStore));
  const headers = headerRow(ctx).data[0] ?? [];
  const errors: Record<string, string> = {};
  for (const kind of TEMPLATE_KINDS) {
    for (const text of [next.templates[kind], next.subjects[kind]]) {
      const unknown = text === undefined ? [] : validateTemplate(text, headers);
      if (unknown.length) errors[kind] = ctx.say('ui.template.unknown', { names: unknown.map((n) => `{${n}}`).join(', ') });
    }
  }
  // Apps Script keeps a property value of at most 9 KB, in UTF-8 bytes: refuse what would not
  // fit, naming the largest template and its size, rather than fail the save or cut text.
  const total = deliveryBytes(next);
  if (total > PROPERTY_VALUE_BYTES) {
    const sizes = TEMPLATE_KINDS.map((kind) => ({ kind, bytes: utf8Bytes(next.templates[kind] ?? '') + utf8Bytes(next.subjects[kind] ?? '') }));
    const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    errors[largest.kind] = ctx.say('ui.template.tooBig', { size: formatBytes(largest.bytes, ctx.locale), total: formatBytes(total, ctx.locale) });
  }
  if (Object.keys(errors).length) return { ok: false, settings: deliveryView(ctx), errors };
  saveDelivery(ctx.ports.documentStore, next);
  // Reminders and thank-you emails need the hourly trigger even when the automatic refresh is off.
  syncHourlyTrigger(ctx, { delivery: next });
  return { ok: true, settings: deliveryView(ctx), errors: {} };
}

/** The first row with a name, as the template values of a preview or a test email. */
function firstRow(ctx: AppContext): ReturnType<typeof rowFacts> | null {
  const { data } = headerRow(ctx);
  const layout = mapHeaders(data[0] ?? []);
  const zone = ctx.ports.spreadsheet.zone();
  for (let index = 1; index < data.length; index++) {
    const facts = rowFacts(data, layout, index, zone);
    if (facts.values.name !== '') return facts;
  }
  return null;
}

/** The template rendered with the first row of the active sheet, and its unknown placeholders. */
export function previewTemplate(ctx: AppContext, kind: TemplateKind, template: string): TemplatePreview {
  const text =
    typeof template === 'string' && template.trim() !== '' ? template : defaultTemplate(ctx.locale, kind, loadDelivery(ctx.ports.documentStore).register);
  const { data } = headerRow(ctx);
  const unknown = validateTemplate(text, data[0] ?? []);
  const row = firstRow(ctx);
  if (!row) return { text: '', unknown, note: ctx.say('email.testNoRow') };
  return { text: renderTemplate(ctx.locale, text, { ...row.values, days: kind === 'reminderBefore' ? 3 : 0 }), unknown, note: '' };
}

/** Sends the kind's email, filled in with the first row's values, to the person asking. */
export function sendTestEmail(ctx: AppContext, kind: TemplateKind): { ok: boolean; message: string } {
  const to = replyTo(ctx);
  if (!to) return { ok: false, message: ctx.say('email.testNoAddress') };
  const row = firstRow(ctx);
  if (!row) return { ok: false, message: ctx.say('email.testNoRow') };
  const settings = loadDelivery(ctx.ports.documentStore);
  const email = buildEmail(ctx.locale, to, templatesFor(settings, ctx.locale, kind), { ...row.values, days: 3 });
  const mailed = ctx.ports.mail.send({ ...email, ...(settings.senderName ? { name: settings.senderName } : {}), replyTo: to });
  if (!mailed.sent) return { ok: false, message: ctx.say('email.failed', { details: mailed.error }) };
  return { ok: true, message: ctx.say('email.testSent', { to, row: row.index + 1 }) };
}

/**
 * Emails to customers: addresses, the message built from templates, and how many of the
 * eligible rows fit in today's MailApp quota.
 */
import { type Locale, type MessageKey, t } from './messages';
import { cellIsEmpty, cellText } from './cell-text';
import { parseEmail } from './parse';
import { defaultTemplate, escapeHtml, type Register, renderTemplate, renderTemplateHtml, type TemplateKind, type TemplateValues } from './templates';
import type { Cell } from './types';
import type { MessageChannel } from './whatsapp';

/** Whether a cell holds one valid email address (the same check as the Email column). */
export function isEmail(cell: Cell): boolean {
  if (cellIsEmpty(cell)) return false;
  const parsed = parseEmail(cell);
  return parsed.ok && parsed.value !== undefined;
}

/** A built email. */
export interface Email {
  to: string;
  subject: string;
  /** Plain-text body. */
  text: string;
  /** HTML body: every value from the sheet escaped. */
  html: string;
}

/** The templates an email is built from: subject and body, each with {placeholders}. */
export interface EmailTemplates {
  subject: string;
  body: string;
}

const SUBJECT_KEY: Record<TemplateKind, MessageKey> = {
  bill: 'email.subject.bill',
  reminderBefore: 'email.subject.reminderBefore',
  reminderDue: 'email.subject.reminderDue',
  thanks: 'email.subject.thanks',
};

// Mail clients cut long subjects anyway; a subject is one line.
const SUBJECT_MAX = 200;

/** The built-in subject and body of a kind, in the interface language. */
export function defaultEmailTemplates(locale: Locale, kind: TemplateKind, register: Register = 'kak'): EmailTemplates {
  return { subject: t(locale, SUBJECT_KEY[kind]), body: defaultTemplate(locale, kind, register) };
}

/** The email for one row: subject on one line, plain and HTML bodies from the same template. */
export function buildEmail(locale: Locale, to: string, templates: EmailTemplates, values: TemplateValues): Email {
  const subject = renderTemplate(locale, templates.subject, values).replace(/\s+/g, ' ').trim();
  return {
    to,
    subject: subject.length > SUBJECT_MAX ? `${subject.slice(0, SUBJECT_MAX - 1)}…` : subject,
    text: renderTemplate(locale, templates.body, values),
    html: renderTemplateHtml(locale, templates.body, values),
  };
}

/** Today's share of the eligible rows, in their order, and what is left for later. */
export interface EmailPlan<T> {
  today: T[];
  later: T[];
  /** Quota left after today's sends. */
  quotaLeft: number;
}

/** Splits the eligible rows by the remaining daily quota (MailApp.getRemainingDailyQuota()); `reserve` keeps some for other uses. */
export function planEmails<T>(eligible: readonly T[], remainingQuota: number, reserve = 0): EmailPlan<T> {
  const usable = Math.max(0, Math.floor(remainingQuota) - Math.max(0, Math.floor(reserve)));
  const count = Math.min(usable, eligible.length);
  return { today: eligible.slice(0, count), later: eligible.slice(count), quotaLeft: Math.max(0, Math.floor(remainingQuota) - count) };
}

/** Email as a MessageChannel around the caller's mailer (MailApp.sendEmail in Apps Script). */
export function emailChannel(mail: (email: Email) => void): MessageChannel {
  return {
    id: 'email',
    send(recipient, message) {
      if (recipient.email === undefined || cellIsEmpty(recipient.email)) return { kind: 'skipped', reason: { key: 'channel.noEmail' } };
      if (!isEmail(recipient.email)) {
        return { kind: 'skipped', reason: { key: 'channel.emailInvalid', params: { value: cellText(recipient.email) } } };
      }
      const html = message.html ?? escapeHtml(message.text).replace(/\r\n|\r|\n/g, '<br>\n');
      mail({ to: cellText(recipient.email), subject: message.subject ?? '', text: message.text, html });
      return { kind: 'sent' };
    },
  };
}

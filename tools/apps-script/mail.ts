/**
 * MailApp: sendEmail in its two documented forms, recorded instead of sent, and the daily
 * recipients quota (https://developers.google.com/apps-script/reference/mail/mail-app).
 */
import type { Exec } from './execution';

// https://developers.google.com/apps-script/guides/services/quotas ("Email recipients per day")
export const MAIL_QUOTA_MESSAGE = 'Service invoked too many times for one day: email.';

export interface SentMail {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  htmlBody: string | null;
  name: string | null;
  replyTo: string | null;
  at: number;
}

export interface MailEnv {
  exec: Exec;
  sent: SentMail[];
  /** Recipients the user may still send to today. */
  remaining: () => number;
  use: (recipients: number) => void;
}

const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/;

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function optional(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}

export class MailAppFake {
  readonly #env: MailEnv;

  constructor(env: MailEnv) {
    this.#env = env;
  }

  /** Comma-separated addresses; Apps Script says "Invalid email: <address>" for a bad one. */
  #addresses(list: unknown): string[] {
    const addresses = text(list)
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '');
    for (const address of addresses) if (!EMAIL.test(address)) throw this.#env.exec.error(`Invalid email: ${address}`);
    return addresses;
  }

  /** sendEmail(recipient, subject, body, options?) or sendEmail({to, subject, body, htmlBody, ...}). */
  sendEmail(...args: unknown[]): void {
    const { exec } = this.#env;
    exec.call('MailApp.sendEmail', exec.costs.fetchOverheadMs, () => {
      const first = args[0];
      const message: Record<string, unknown> =
        args.length === 1 && typeof first === 'object' && first !== null
          ? (first as Record<string, unknown>)
          : { ...((args[3] as Record<string, unknown> | undefined) ?? {}), to: first, subject: args[1], body: args[2] };
      if (args.length !== 1 && (args.length < 3 || typeof first !== 'string')) throw exec.signatureError('MailApp.sendEmail', args);
      const to = this.#addresses(message.to);
      const cc = this.#addresses(message.cc);
      const bcc = this.#addresses(message.bcc);
      if (to.length + cc.length + bcc.length === 0) throw exec.error('Failed to send email: no recipient');
      const replyTo = optional(message.replyTo);
      if (replyTo !== null) this.#addresses(replyTo);
      const recipients = to.length + cc.length + bcc.length;
      // The quota is checked before anything is sent.
      if (recipients > this.#env.remaining()) throw exec.error(MAIL_QUOTA_MESSAGE);
      this.#env.use(recipients);
      this.#env.sent.push({
        from: exec.user,
        to,
        cc,
        bcc,
        subject: text(message.subject),
        body: text(message.body),
        htmlBody: optional(message.htmlBody),
        name: optional(message.name),
        replyTo,
        at: exec.now(),
      });
    });
  }

  getRemainingDailyQuota(): number {
    return this.#env.exec.call('MailApp.getRemainingDailyQuota', 0, () => Math.max(0, this.#env.remaining()));
  }
}

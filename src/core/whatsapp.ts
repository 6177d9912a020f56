/**
 * WhatsApp numbers and links, and the channel abstraction for sending customer messages.
 * Apps Script has no URL or URLSearchParams, so links are built with encodeURIComponent.
 */
import type { Message } from './messages';
import { parseMobile } from './parse';
import type { Cell } from './types';

/** An Indonesian mobile number in WhatsApp's form, 62 then the number without its 0; null when it is not one. */
export function waNumber(cell: Cell): string | null {
  const parsed = parseMobile(cell);
  if (!parsed.ok || parsed.value === undefined) return null;
  return `62${parsed.value.slice(1)}`;
}

/** The wa.me link that opens a chat with `number` (62…) and `text` ready to send. */
export function waLink(number: string, text: string): string {
  return `https://wa.me/${number}?text=${encodeURIComponent(text)}`;
}

/**
 * A WhatsApp Link cell read back: the wa.me link with the number and the text it carries, or
 * null when the cell is no such link (edited, pasted over, an escape that does not decode).
 */
export function readWaLink(cell: string): { url: string; text: string } | null {
  const match = /^https:\/\/wa\.me\/(\d{8,15})\?text=([^\s"'<>]*)$/.exec(cell.trim());
  if (!match) return null;
  try {
    return { url: cell.trim(), text: decodeURIComponent(match[2] ?? '') };
  } catch {
    return null;
  }
}

/** Who a message is for: the row's name and its contact cells as read. */
export interface Recipient {
  name: string;
  mobile?: Cell;
  email?: Cell;
}

/** A message ready to go: plain text always; a subject and HTML for channels that use them. */
export interface OutgoingMessage {
  text: string;
  subject?: string;
  html?: string;
}

/** What a channel did with a message. */
export type SendResult =
  /** Nothing was sent: a person sends it by opening `url` (manual channels). */
  | { kind: 'link'; url: string }
  /** Handed to a provider that delivers it; `id` is the provider's reference when it gives one. */
  | { kind: 'sent'; id?: string }
  /** The row cannot receive it on this channel (no number, bad address); not worth retrying. */
  | { kind: 'skipped'; reason: Message }
  /** The provider failed; `retry` says whether trying later may help. */
  | { kind: 'failed'; reason: Message; retry: boolean };

/** A way to reach customers: the manual wa.me links today, a WhatsApp gateway or email alongside. */
export interface MessageChannel {
  readonly id: string;
  send(recipient: Recipient, message: OutgoingMessage): SendResult;
}

/** WhatsApp by hand: "sending" only builds the wa.me link for the WhatsApp Link column, with no side effects. */
export const manualWhatsApp: MessageChannel = {
  id: 'whatsapp-manual',
  send(recipient, message) {
    const number = recipient.mobile === undefined ? null : waNumber(recipient.mobile);
    if (number === null) return { kind: 'skipped', reason: { key: 'channel.noMobile' } };
    return { kind: 'link', url: waLink(number, message.text) };
  },
};

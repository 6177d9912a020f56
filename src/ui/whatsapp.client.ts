/**
 * Send by WhatsApp: one customer at a time, the message as it will be sent, a link that opens
 * WhatsApp in a new tab, and "Sent — next" once the person has sent it. Text goes in as text
 * nodes only (dom.ts), so names from the sheet never become markup.
 */
import { localeFrom } from '../core/messages';
import type { WhatsAppItem, WhatsAppQueue } from '../app/delivery/whatsapp';
import { h, I18n, show } from './dom';
import { callServer } from './server';

const i18n = new I18n(localeFrom(navigator.language));
let queue: WhatsAppQueue | null = null;
let done = 0;
let busy = false;
const skipped = new Set<string>();

const title = h('h1', { id: 'title' }, i18n.text('ui.whatsapp.title'));
const position = h('p', { className: 'meta', id: 'position' });
const label = h('p', { className: 'badge', id: 'label' });
const customer = h('p', { className: 'rows', id: 'customer' });
const message = h('pre', { id: 'message', attrs: { style: 'white-space: pre-wrap; font: inherit;' } });
const open = h('a', { className: 'button primary', id: 'open', attrs: { target: '_blank', rel: 'noopener noreferrer' } }, i18n.text('ui.whatsapp.open'));
const sent = h('button', { id: 'sent', attrs: { type: 'button' } }, i18n.text('ui.whatsapp.sent'));
const skip = h('button', { id: 'skip', attrs: { type: 'button' } }, i18n.text('ui.whatsapp.skip'));
const card = h('div', { id: 'card' }, label, customer, message, h('div', { className: 'actions' }, open, sent, skip));
const status = h('p', { className: 'meta', id: 'status', attrs: { role: 'status' } });

function current(): WhatsAppItem | null {
  return queue?.items.find((item) => !skipped.has(key(item))) ?? null;
}

function key(item: WhatsAppItem): string {
  return `${item.paymentId}|${item.kind}|${item.step ?? ''}`;
}

function render(): void {
  const item = current();
  show(card, item !== null);
  if (!item || !queue) {
    position.textContent = '';
    status.textContent = [queue?.note, queue?.message || i18n.t('ui.whatsapp.done')].filter(Boolean).join(' ');
    return;
  }
  const left = queue.items.filter((i) => !skipped.has(key(i))).length;
  position.textContent = i18n.t('ui.whatsapp.position', { done: done + 1, total: done + left });
  label.textContent = item.label;
  customer.textContent = `${item.name} · ${item.amount}`;
  message.textContent = item.text;
  open.setAttribute('href', item.url);
  status.textContent = queue.note ?? '';
}

function use(next: WhatsAppQueue): void {
  queue = next;
  i18n.setLocale(next.locale);
  render();
}

async function load(): Promise<void> {
  status.textContent = '…';
  try {
    use(await callServer('getWhatsAppQueue'));
  } catch (error) {
    status.textContent = error instanceof Error ? error.message : String(error);
  }
}

sent.addEventListener('click', () => {
  const item = current();
  if (!item || busy) return;
  busy = true;
  sent.disabled = true;
  callServer('markWhatsAppSent', item.paymentId, item.kind, item.step)
    .then((next) => {
      done++;
      use(next);
    })
    .catch((error: unknown) => {
      status.textContent = error instanceof Error ? error.message : String(error);
    })
    .finally(() => {
      busy = false;
      sent.disabled = false;
    });
});

skip.addEventListener('click', () => {
  const item = current();
  if (!item) return;
  skipped.add(key(item));
  render();
});

document.getElementById('app')?.append(title, position, card, status);
show(card, false);
void load();

/**
 * Send by WhatsApp: one customer at a time (name, number, amount), the message as it will be
 * sent, a button that opens WhatsApp in a new tab, and "Sent — next" once the person has sent
 * it. An empty queue says why (no mobile column, no payment link yet, all sent); a failed call
 * shows its reason with Try again. Same page, styles and building blocks as Settings and
 * Progress. Text goes in as text nodes only (dom.ts), so names from the sheet never become markup.
 */
import type { WhatsAppEmptyReason, WhatsAppItem, WhatsAppQueue } from '../app/delivery/whatsapp';
import { localeFrom, type UiMessageKey as MessageKey } from '../core/messages';
import { append, h, I18n, show } from './dom';
import { callServer, errorText } from './server';

const i18n = new I18n(localeFrom(navigator.language));
let queue: WhatsAppQueue | null = null;
let done = 0;
let busy = false;
/** What Try again repeats: loading the queue, or marking the current customer sent. */
let retryAction: (() => void) | null = null;
const skipped = new Set<string>();

const EMPTY_TITLES: Record<WhatsAppEmptyReason | 'other', MessageKey> = {
  noMobileColumn: 'ui.whatsapp.emptyNoMobileColumn',
  noLinks: 'ui.whatsapp.emptyNoLinks',
  allSent: 'ui.whatsapp.emptyAllSent',
  logSheet: 'ui.whatsapp.emptyOther',
  busy: 'ui.whatsapp.emptyOther',
  other: 'ui.whatsapp.emptyOther',
};

const title = h('h1', { id: 'title' }, i18n.text('ui.whatsapp.title'));
const position = h('span', { className: 'badge neutral', id: 'position', hidden: true });
const meta = h('p', { className: 'meta', id: 'meta' });

// The customer
const label = h('span', { className: 'badge', id: 'label' });
const rowText = h('span', { className: 'meta', id: 'row' });
const customer = h('p', { className: 'customer-name', id: 'customer' });
const mobile = h('dd', { id: 'mobile' });
const amount = h('dd', { id: 'amount' });
const facts = h('dl', { className: 'facts' }, h('dt', {}, i18n.text('ui.whatsapp.to')), mobile, h('dt', {}, i18n.text('ui.whatsapp.amount')), amount);
const message = h('pre', { className: 'preview', id: 'message' });
// A link styled as a button: in the sidebar's iframe a link with target=_blank opens WhatsApp reliably.
const open = h(
  'a',
  { className: 'button primary', id: 'open', attrs: { target: '_blank', rel: 'noopener noreferrer', role: 'button' } },
  i18n.text('ui.whatsapp.open'),
);
const sent = h('button', { id: 'sent', attrs: { type: 'button' } }, i18n.text('ui.whatsapp.sent'));
const skip = h('button', { id: 'skip', attrs: { type: 'button' } }, i18n.text('ui.whatsapp.skip'));
const card = h(
  'section',
  { className: 'section', id: 'card', hidden: true },
  h('div', { className: 'title-row tight' }, label, rowText),
  customer,
  facts,
  h('p', { className: 'label' }, i18n.text('ui.whatsapp.messageLabel')),
  message,
  h('div', { className: 'buttons', id: 'actions' }, open, sent, skip),
);

// Nothing to send, and why
const emptyTitle = h('h2', { id: 'empty-title' });
const emptyText = h('p', { id: 'empty-text' });
const reload = h('button', { id: 'reload', attrs: { type: 'button' } }, i18n.text('ui.whatsapp.reload'));
const empty = h(
  'section',
  { className: 'notice empty', id: 'empty', attrs: { role: 'status' }, hidden: true },
  emptyTitle,
  emptyText,
  h('div', { className: 'buttons' }, reload),
);

// A failed call
const errorLine = h('p', { id: 'error-text' });
const retry = h('button', { id: 'retry', attrs: { type: 'button' } }, i18n.text('ui.common.retry'));
const errorBox = h(
  'div',
  { className: 'notice error', id: 'error', attrs: { role: 'alert' }, hidden: true },
  errorLine,
  h('div', { className: 'buttons' }, retry),
);

const loading = h('p', { className: 'status', id: 'loading' }, i18n.text('ui.loading'));
// Rows left out of the queue, and why (a WhatsApp Link cell that is not a link).
const skippedNote = h('p', { className: 'notice warning', id: 'skipped-note', hidden: true });

append(
  document.getElementById('app') ?? document.body,
  h('main', { className: 'sidebar' }, h('div', { className: 'title-row' }, title, position), meta, loading, errorBox, skippedNote, card, empty),
);
i18n.bind(() => {
  document.title = i18n.t('ui.whatsapp.title');
});

function key(item: WhatsAppItem): string {
  return `${item.paymentId}|${item.kind}|${item.step ?? ''}`;
}

function current(): WhatsAppItem | null {
  return queue?.items.find((item) => !skipped.has(key(item))) ?? null;
}

function render(): void {
  show(loading, false);
  const item = current();
  show(card, item !== null);
  show(empty, queue !== null && item === null);
  show(position, item !== null);
  meta.textContent = queue?.sheetName ? i18n.t('ui.progress.sheet', { sheet: queue.sheetName }) : '';
  show(meta, meta.textContent !== '');
  skippedNote.textContent = queue?.note ?? '';
  show(skippedNote, skippedNote.textContent !== '');
  if (!queue) return;
  if (!item) {
    const reason = queue.items.length > 0 ? 'other' : (queue.reason ?? (done > 0 ? 'allSent' : 'other'));
    emptyTitle.textContent = i18n.t(EMPTY_TITLES[reason]);
    // Every remaining customer skipped: say so, rather than the server's reason.
    emptyText.textContent = queue.items.length > 0 ? '' : queue.message || i18n.t('ui.whatsapp.done');
    show(emptyText, emptyText.textContent !== '');
    empty.dataset.reason = reason;
    return;
  }
  const left = queue.items.filter((i) => !skipped.has(key(i))).length;
  position.textContent = i18n.t('ui.whatsapp.position', { done: done + 1, total: done + left });
  label.textContent = item.label;
  rowText.textContent = i18n.t('ui.whatsapp.row', { row: item.sheetRow });
  customer.textContent = item.name;
  mobile.textContent = item.mobile;
  amount.textContent = item.amount;
  message.textContent = item.text;
  open.setAttribute('href', item.url);
}

function use(next: WhatsAppQueue): void {
  queue = next;
  i18n.setLocale(next.locale);
  showError('', null);
  render();
}

function showError(text: string, action: (() => void) | null): void {
  errorLine.textContent = text;
  retryAction = action;
  show(errorBox, text !== '');
}

async function load(): Promise<void> {
  show(loading, queue === null);
  reload.disabled = true;
  try {
    skipped.clear();
    use(await callServer('getWhatsAppQueue'));
  } catch (error) {
    show(loading, false);
    showError(i18n.t('ui.whatsapp.loadFailed', { message: errorText(error) }), () => void load());
  } finally {
    reload.disabled = false;
  }
}

async function markSent(): Promise<void> {
  const item = current();
  if (!item || busy) return;
  busy = true;
  sent.disabled = true;
  try {
    const next = await callServer('markWhatsAppSent', item.paymentId, item.kind, item.step);
    done++;
    use(next);
  } catch (error) {
    showError(i18n.t('ui.whatsapp.markFailed', { message: errorText(error) }), () => void markSent());
  } finally {
    busy = false;
    sent.disabled = false;
  }
}

sent.addEventListener('click', () => void markSent());
skip.addEventListener('click', () => {
  const item = current();
  if (!item) return;
  skipped.add(key(item));
  render();
});
reload.addEventListener('click', () => void load());
retry.addEventListener('click', () => {
  const action = retryAction;
  showError('', null);
  action?.();
});

void load();

/**
 * The settings sidebar's "Messages to customers" section: the templates with a live preview
 * rendered by the server for the first row, the sender's name, reminders, thank-you, and
 * Send a test to me. The form's one Save saves it too (save()), only when something in it changed.
 */
import type { DeliveryView } from '../app/delivery/templates-app';
import type { UiMessageKey as MessageKey } from '../core/messages';
import type { TemplateKind } from '../core/templates';
import { h, type I18n, show } from './dom';
import { callServer, errorText } from './server';
import { label as formLabel } from './settings-form';

export interface MessagesSection {
  node: HTMLElement;
  /** Loads the saved messages; the section stays hidden until they arrive. */
  load(): void;
  /** Saves the section if it was changed: null when saved (or nothing to save), else the problems, as text. */
  save(): Promise<string | null>;
}

export function createMessagesSection(i18n: I18n): MessagesSection {
  const label = (forId: string, key: MessageKey): HTMLElement => formLabel(i18n, forId, key);
  const field = (...children: Node[]): HTMLElement => h('div', { className: 'field' }, ...children);
  const check = (input: HTMLInputElement, key: MessageKey): HTMLElement =>
    h('label', { className: 'choice', attrs: { for: input.id } }, input, h('span', {}, i18n.text(key)));

  // Listed here rather than imported: core/templates would bring the template engine into the sidebar.
  const TEMPLATE_KINDS: readonly TemplateKind[] = ['bill', 'reminderBefore', 'reminderDue', 'thanks'];
  const TEMPLATE_KIND_KEYS: Record<TemplateKind, MessageKey> = {
    bill: 'ui.messages.bill',
    reminderBefore: 'ui.messages.reminderBefore',
    reminderDue: 'ui.messages.reminderDue',
    thanks: 'ui.messages.thanks',
  };
  const PREVIEW_DELAY_MS = 300;

  let delivery: DeliveryView | null = null;
  /** Whether anything in the section was changed since it was loaded or saved. */
  let dirty = false;
  /** Edits not saved yet, per kind, so switching the kind keeps them. */
  const drafts: Partial<Record<TemplateKind, { subject: string; body: string }>> = {};
  let previewTimer: ReturnType<typeof setTimeout> | undefined;
  let previewIssued = 0;

  const kindSelect = h(
    'select',
    { id: 'template-kind' },
    ...TEMPLATE_KINDS.map((kind) => {
      const option = h('option', { attrs: { value: kind } });
      i18n.bind(() => (option.textContent = i18n.t(TEMPLATE_KIND_KEYS[kind])));
      return option;
    }),
  );
  const subjectInput = h('input', { id: 'template-subject', attrs: { type: 'text' } });
  const bodyInput = h('textarea', { id: 'template-body', attrs: { rows: '7', spellcheck: 'false' } });
  const unknownText = h('p', { className: 'field-error', id: 'template-unknown', attrs: { role: 'alert' }, hidden: true });
  const previewBox = h('pre', { id: 'template-preview', className: 'preview' });
  const senderInput = h('input', { id: 'sender-name', attrs: { type: 'text' } });
  const registerSelect = h(
    'select',
    { id: 'register' },
    ...(
      [
        ['kak', 'ui.messages.registerKak'],
        ['formal', 'ui.messages.registerFormal'],
      ] as const
    ).map(([value, key]) => {
      const option = h('option', { attrs: { value } });
      i18n.bind(() => (option.textContent = i18n.t(key)));
      return option;
    }),
  );
  const remindersInput = h('input', { id: 'reminders', attrs: { type: 'checkbox' } });
  const reminderDaysInput = h('input', { id: 'reminder-days', attrs: { type: 'text' } });
  const thankYouInput = h('input', { id: 'thank-you', attrs: { type: 'checkbox' } });
  const mayarNote = h('p', { className: 'help', id: 'mayar-note' });
  const testEmailButton = h('button', { id: 'test-email', attrs: { type: 'button' } }, i18n.text('ui.messages.test'));
  const messagesStatus = h('p', { className: 'result', id: 'messages-status', attrs: { role: 'status', 'aria-live': 'polite' } });

  const messagesSection = h(
    'section',
    { className: 'section', id: 'messages', hidden: true },
    h('h2', {}, i18n.text('ui.messages.title')),
    field(label('register', 'ui.messages.register'), registerSelect),
    field(label('template-kind', 'ui.messages.kind'), kindSelect),
    field(label('template-subject', 'ui.messages.subject'), subjectInput),
    field(label('template-body', 'ui.messages.body'), bodyInput, unknownText),
    field(h('p', { className: 'label' }, i18n.text('ui.messages.preview')), previewBox),
    field(label('sender-name', 'ui.messages.sender'), senderInput),
    field(check(remindersInput, 'ui.messages.reminders'), label('reminder-days', 'ui.messages.reminderDays'), reminderDaysInput),
    field(check(thankYouInput, 'ui.messages.thankYou'), mayarNote),
    field(h('div', { className: 'buttons' }, testEmailButton), messagesStatus),
  );
  for (const input of [registerSelect, subjectInput, bodyInput, senderInput, remindersInput, reminderDaysInput, thankYouInput]) {
    input.addEventListener('input', () => (dirty = true));
    input.addEventListener('change', () => (dirty = true));
  }

  function selectedKind(): TemplateKind {
    const value = kindSelect.value as TemplateKind;
    return TEMPLATE_KINDS.includes(value) ? value : 'bill';
  }

  function showKind(): void {
    if (!delivery) return;
    const kind = selectedKind();
    const draft = drafts[kind];
    subjectInput.value = draft?.subject ?? delivery.subjects[kind] ?? delivery.defaults[kind].subject;
    bodyInput.value = draft?.body ?? delivery.templates[kind] ?? delivery.defaults[kind].body;
    schedulePreview();
  }

  function keepDraft(): void {
    drafts[selectedKind()] = { subject: subjectInput.value, body: bodyInput.value };
  }

  function schedulePreview(): void {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => void preview(), PREVIEW_DELAY_MS);
  }

  async function preview(): Promise<void> {
    const issued = ++previewIssued;
    try {
      const result = await callServer('previewTemplate', selectedKind(), bodyInput.value);
      if (issued !== previewIssued) return;
      previewBox.textContent = result.note || result.text;
      unknownText.textContent = result.unknown.length ? i18n.t('ui.template.unknown', { names: result.unknown.map((n) => `{${n}}`).join(', ') }) : '';
      show(unknownText, result.unknown.length > 0);
    } catch (error) {
      if (issued === previewIssued) previewBox.textContent = errorText(error);
    }
  }

  function applyDelivery(next: DeliveryView): void {
    delivery = next;
    dirty = false;
    senderInput.value = next.senderName;
    registerSelect.value = next.register;
    remindersInput.checked = next.reminders;
    reminderDaysInput.value = next.reminderDays.join(', ');
    thankYouInput.checked = next.thankYou;
    mayarNote.textContent = next.mayarNote;
    show(messagesSection, true);
    showKind();
  }

  kindSelect.addEventListener('change', showKind);
  kindSelect.addEventListener('focus', keepDraft);
  for (const input of [subjectInput, bodyInput]) {
    input.addEventListener('input', () => {
      keepDraft();
      schedulePreview();
    });
  }

  async function save(): Promise<string | null> {
    if (!delivery || !dirty) return null;
    keepDraft();
    const templates: Partial<Record<TemplateKind, string>> = { ...delivery.templates };
    const subjects: Partial<Record<TemplateKind, string>> = { ...delivery.subjects };
    for (const kind of TEMPLATE_KINDS) {
      const draft = drafts[kind];
      if (!draft) continue;
      // Unchanged built-in text stays unsaved, so it follows the interface language.
      templates[kind] = draft.body === delivery.defaults[kind].body ? '' : draft.body;
      subjects[kind] = draft.subject === delivery.defaults[kind].subject ? '' : draft.subject;
    }
    const reminderDays = reminderDaysInput.value
      .split(/[,;\s]+/)
      .filter(Boolean)
      .map((d) => Number(d.replace('\u2212', '-')));
    const result = await callServer('saveDeliverySettings', {
      senderName: senderInput.value,
      register: registerSelect.value,
      templates,
      subjects,
      reminders: remindersInput.checked,
      reminderDays,
      thankYou: thankYouInput.checked,
    });
    if (!result.ok) {
      const problems = Object.values(result.errors).join(' ');
      messagesStatus.textContent = problems;
      return problems;
    }
    for (const kind of TEMPLATE_KINDS) delete drafts[kind];
    messagesStatus.textContent = '';
    applyDelivery(result.settings);
    return null;
  }

  testEmailButton.addEventListener('click', () => {
    testEmailButton.disabled = true;
    callServer('sendTestEmail', selectedKind())
      .then((result) => (messagesStatus.textContent = result.message))
      .catch((error: unknown) => (messagesStatus.textContent = errorText(error)))
      .finally(() => (testEmailButton.disabled = false));
  });

  return {
    node: messagesSection,
    load() {
      callServer('getDeliverySettings')
        .then(applyDelivery)
        .catch(() => undefined);
    },
    save,
  };
}

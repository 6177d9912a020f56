/**
 * The settings sidebar's "Messages to customers" section: the templates with a live preview
 * rendered by the server for the first row, the sender's name, reminders, thank-you, and
 * Send a test to me.
 */
import type { DeliveryView } from '../app/delivery/templates-app';
import type { UiMessageKey as MessageKey } from '../core/messages';
import type { TemplateKind } from '../core/templates';
import { h, type I18n, show } from './dom';
import { callServer, errorText } from './server';
import { label as formLabel } from './settings-form';

export function mountMessagesSection(i18n: I18n): void {
  const label = (forId: string, key: MessageKey): HTMLElement => formLabel(i18n, forId, key);

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
  const previewBox = h('pre', { id: 'template-preview', className: 'help', attrs: { style: 'white-space: pre-wrap; font: inherit;' } });
  const senderInput = h('input', { id: 'sender-name', attrs: { type: 'text' } });
  const remindersInput = h('input', { id: 'reminders', attrs: { type: 'checkbox' } });
  const reminderDaysInput = h('input', { id: 'reminder-days', attrs: { type: 'text' } });
  const thankYouInput = h('input', { id: 'thank-you', attrs: { type: 'checkbox' } });
  const mayarNote = h('p', { className: 'help', id: 'mayar-note' });
  const saveMessagesButton = h('button', { id: 'save-messages', attrs: { type: 'button' } }, i18n.text('ui.messages.save'));
  const testEmailButton = h('button', { id: 'test-email', attrs: { type: 'button' } }, i18n.text('ui.messages.test'));
  const messagesStatus = h('p', { className: 'result', id: 'messages-status', attrs: { role: 'status', 'aria-live': 'polite' } });

  const messagesSection = h(
    'section',
    { className: 'section', id: 'messages', hidden: true },
    h('h2', {}, i18n.text('ui.messages.title')),
    label('template-kind', 'ui.messages.kind'),
    kindSelect,
    label('template-subject', 'ui.messages.subject'),
    subjectInput,
    label('template-body', 'ui.messages.body'),
    bodyInput,
    unknownText,
    h('p', { className: 'help' }, i18n.text('ui.messages.preview')),
    previewBox,
    label('sender-name', 'ui.messages.sender'),
    senderInput,
    h('label', {}, remindersInput, ' ', i18n.text('ui.messages.reminders')),
    label('reminder-days', 'ui.messages.reminderDays'),
    reminderDaysInput,
    h('label', {}, thankYouInput, ' ', i18n.text('ui.messages.thankYou')),
    mayarNote,
    h('div', { className: 'actions' }, saveMessagesButton, testEmailButton),
    messagesStatus,
  );
  (document.querySelector('main.sidebar') ?? document.body).appendChild(messagesSection);

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
    senderInput.value = next.senderName;
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

  saveMessagesButton.addEventListener('click', () => {
    if (!delivery) return;
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
    saveMessagesButton.disabled = true;
    callServer('saveDeliverySettings', {
      senderName: senderInput.value,
      templates,
      subjects,
      reminders: remindersInput.checked,
      reminderDays,
      thankYou: thankYouInput.checked,
    })
      .then((result) => {
        const problems = Object.values(result.errors);
        messagesStatus.textContent = result.ok ? i18n.t('ui.settings.templatesSaved') : problems.join(' ');
        if (result.ok) {
          for (const kind of TEMPLATE_KINDS) delete drafts[kind];
          applyDelivery(result.settings);
        }
      })
      .catch((error: unknown) => (messagesStatus.textContent = errorText(error)))
      .finally(() => (saveMessagesButton.disabled = false));
  });

  testEmailButton.addEventListener('click', () => {
    testEmailButton.disabled = true;
    callServer('sendTestEmail', selectedKind())
      .then((result) => (messagesStatus.textContent = result.message))
      .catch((error: unknown) => (messagesStatus.textContent = errorText(error)))
      .finally(() => (testEmailButton.disabled = false));
  });

  callServer('getDeliverySettings')
    .then(applyDelivery)
    .catch(() => undefined);
}

/**
 * The Settings sidebar's "Payment notifications" section: the webhook URL to paste into Mayar
 * (copy it); under Advanced, a new secret and the web app URL it is built from.
 */
import type { SettingsView } from '../core/settings';
import { h, type I18n, show } from './dom';
import { type AsyncServer, errorText } from './server';
import { type FormValues, label, section, setStatus } from './settings-form';
import { errorSlot } from './settings-validation';

export interface WebhookSection {
  node: HTMLElement;
  /** The web app URL and New secret, for the form's Advanced fold. */
  advanced: HTMLElement;
  apply(view: SettingsView): void;
  values(): FormValues;
}

export function createWebhookSection(i18n: I18n, server: AsyncServer): WebhookSection {
  let webhookProblem: SettingsView['webhookProblem'];
  let savedWebAppUrl = '';

  const webhookInput = h('input', { id: 'webhook-url', attrs: { type: 'text', readonly: '', spellcheck: 'false' } });
  const copyButton = h('button', { id: 'copy-webhook', attrs: { type: 'button' } }, i18n.text('ui.settings.copy'));
  const webhookRow = h('div', { className: 'input-with-button', id: 'webhook-row' }, webhookInput, copyButton);
  const webhookNone = h('p', { className: 'help', id: 'webhook-none' }, i18n.text('ui.settings.webhookNone'));
  const webhookDev = h('p', { className: 'notice warning', id: 'webhook-dev', hidden: true }, i18n.text('ui.settings.webhookDev'));
  const webAppUrlInput = h('input', {
    id: 'webAppUrl',
    attrs: {
      type: 'url',
      name: 'webAppUrl',
      spellcheck: 'false',
      placeholder: 'https://script.google.com/macros/s/…/exec',
      'aria-describedby': 'webAppUrl-error',
    },
  });
  const newSecretButton = h('button', { id: 'new-secret', attrs: { type: 'button' } }, i18n.text('ui.settings.newSecret'));
  const newSecretYes = h('button', { id: 'new-secret-yes', className: 'danger-button', attrs: { type: 'button' } }, i18n.text('ui.settings.newSecretYes'));
  const newSecretNo = h('button', { id: 'new-secret-no', attrs: { type: 'button' } }, i18n.text('ui.common.cancel'));
  const newSecretConfirm = h(
    'div',
    { className: 'notice warning', id: 'new-secret-confirm', hidden: true },
    h('p', {}, i18n.text('ui.settings.newSecretConfirm')),
    h('div', { className: 'buttons' }, newSecretYes, newSecretNo),
  );
  const webhookStatus = h('p', { className: 'result', id: 'webhook-status', attrs: { role: 'status', 'aria-live': 'polite' }, hidden: true });
  // An add-on from the Marketplace has no web app per document: status comes from the hourly refresh.
  const addOnNote = h('p', { className: 'help', id: 'webhook-addon', hidden: true }, i18n.text('ui.settings.webhookAddOn'));
  const setupField = h(
    'div',
    { className: 'field', id: 'webhook-setup' },
    label(i18n, 'webhook-url', 'ui.settings.webhook'),
    webhookRow,
    webhookNone,
    webhookDev,
    h('p', { className: 'help', id: 'webhook-help' }, i18n.text('ui.settings.webhookHelp')),
    webhookStatus,
  );
  const node = section(i18n, 'ui.settings.sectionWebhook', addOnNote, setupField);
  const secretField = h('div', { className: 'field' }, h('div', { className: 'buttons' }, newSecretButton), newSecretConfirm);
  const webAppField = h(
    'div',
    { className: 'field', id: 'webapp-field' },
    label(i18n, 'webAppUrl', 'ui.settings.webAppUrl'),
    webAppUrlInput,
    h('p', { className: 'help' }, i18n.text('ui.settings.webAppUrlHelp')),
    errorSlot('webAppUrl', webAppUrlInput),
  );
  const advanced = section(i18n, 'ui.settings.sectionWebhook', secretField, webAppField);

  function renderWebhook(url: string | null): void {
    webhookInput.value = url ?? '';
    show(webhookRow, url !== null);
    show(webhookNone, url === null && webhookProblem !== 'dev');
    show(webhookDev, url === null && webhookProblem === 'dev');
    show(newSecretButton, url !== null);
  }

  async function copyWebhook(): Promise<void> {
    const url = webhookInput.value;
    try {
      // The sidebar iframe may not be allowed the async clipboard; fall back to a selection copy.
      if (navigator.clipboard) {
        await navigator.clipboard.writeText(url);
      } else {
        throw new Error('no clipboard');
      }
    } catch {
      webhookInput.select();
      if (!document.execCommand('copy')) {
        setStatus(webhookStatus, i18n.t('ui.settings.copyFailed'), 'error');
        return;
      }
    }
    setStatus(webhookStatus, i18n.t('ui.settings.copied'), 'ok');
  }

  async function newSecret(): Promise<void> {
    newSecretYes.disabled = true;
    try {
      const next = await server.newWebhookSecret();
      // Only the URL changes: unsaved edits elsewhere in the form stay as the user left them.
      renderWebhook(next.webhookUrl);
      show(newSecretConfirm, false);
      setStatus(webhookStatus, i18n.t('ui.settings.newSecretDone'), 'ok');
    } catch (error) {
      setStatus(webhookStatus, i18n.t('ui.error.server', { message: errorText(error) }), 'error');
    } finally {
      newSecretYes.disabled = false;
    }
  }

  copyButton.addEventListener('click', () => void copyWebhook());
  newSecretButton.addEventListener('click', () => {
    show(newSecretConfirm, true);
    show(webhookStatus, false);
  });
  newSecretNo.addEventListener('click', () => show(newSecretConfirm, false));
  newSecretYes.addEventListener('click', () => void newSecret());
  webhookInput.addEventListener('focus', () => webhookInput.select());

  return {
    node,
    advanced,
    apply(view) {
      webhookProblem = view.webhookProblem;
      savedWebAppUrl = view.webAppUrl ?? '';
      webAppUrlInput.value = savedWebAppUrl;
      renderWebhook(view.webhookUrl);
      const addOn = view.addOn === true;
      show(addOnNote, addOn);
      show(setupField, !addOn);
      show(webAppField, !addOn);
      show(secretField, !addOn);
    },
    values() {
      // Sent only when changed: an untouched field never overwrites what another editor saved.
      return webAppUrlInput.value.trim() !== savedWebAppUrl ? { webAppUrl: webAppUrlInput.value } : {};
    },
  };
}

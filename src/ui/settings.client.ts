/**
 * Settings sidebar. Loads everything with getSettings(), validates with the server's own
 * checks (src/core/settings.ts) before calling saveSettings(), and never puts the API key back
 * into the page: the server only ever returns a hint such as "…9f2c". Each section of the form
 * lives in its own module (settings-connection, -links, -webhook, -preferences, -messages); the
 * fields most people never touch are folded under Advanced, and one Save saves the whole form.
 */
import { localeFrom } from '../core/messages';
import { type SettingsInput, settingsInputSchema, type SettingsView } from '../core/settings';
import { append, h, I18n, show } from './dom';
import { createServer, errorText } from './server';
import { createConnectionSection } from './settings-connection';
import { setStatus } from './settings-form';
import { createLinksSection } from './settings-links';
import { createMessagesSection } from './settings-messages';
import { createPreferencesSection } from './settings-preferences';
import { clearErrors, hasErrorSlot, localizeIssue, showError, showIssues } from './settings-validation';
import { createWebhookSection } from './settings-webhook';

const server = createServer();
const i18n = new I18n(localeFrom(navigator.language));

const links = createLinksSection(i18n);
const webhook = createWebhookSection(i18n, server);
const sections = [createConnectionSection(i18n, server), links, webhook, createPreferencesSection(i18n)];
const messages = createMessagesSection(i18n);
const advanced = h(
  'details',
  { className: 'advanced', id: 'advanced' },
  h('summary', {}, i18n.text('ui.settings.advanced')),
  h('p', { className: 'help' }, i18n.text('ui.settings.advancedHelp')),
  links.advanced,
  webhook.advanced,
);

const status = h('p', { className: 'status', id: 'status', attrs: { role: 'status', 'aria-live': 'polite' }, hidden: true });
const saveButton = h('button', { id: 'save', className: 'primary', attrs: { type: 'submit' } }, i18n.text('ui.settings.save'));
const form = h(
  'form',
  { id: 'settings-form', attrs: { novalidate: '', autocomplete: 'off' }, hidden: true },
  ...sections.map((part) => part.node),
  messages.node,
  advanced,
  h('div', { className: 'footer' }, saveButton, status),
);

const loadRetry = h('button', { id: 'load-retry', attrs: { type: 'button' }, hidden: true }, i18n.text('ui.common.retry'));
const loadStatus = h('p', { className: 'status', id: 'load-status', attrs: { role: 'status' } });
const loading = h('div', { id: 'loading' }, loadStatus, loadRetry);

append(document.getElementById('app') ?? document.body, h('main', { className: 'sidebar' }, loading, form));
i18n.bind(() => {
  document.title = i18n.t('ui.settings.title');
});

function applyView(view: SettingsView): void {
  for (const part of sections) part.apply(view);
  i18n.setLocale(view.locale);
}

async function save(): Promise<void> {
  clearErrors();
  const parsed = settingsInputSchema.safeParse(Object.assign({}, ...sections.map((part) => part.values())));
  if (!parsed.success) {
    showIssues(i18n, parsed.error);
    setStatus(status, i18n.t('ui.settings.fixErrors'), 'error');
    return;
  }
  const input: SettingsInput = parsed.data;
  saveButton.disabled = true;
  setStatus(status, i18n.t('ui.settings.saving'), 'info');
  try {
    const result = await server.saveSettings(input);
    if (result.ok) {
      applyView(result.settings);
      // The messages are saved with the rest: their problems (an unknown placeholder) show here too.
      const problems = await messages.save();
      if (problems === null) setStatus(status, i18n.t('ui.settings.saved'), 'ok');
      else setStatus(status, problems, 'error');
    } else {
      // Errors about no particular field (the server files them under "settings") go to the status line.
      const general: string[] = [];
      for (const [field, message] of Object.entries(result.errors)) {
        if (hasErrorSlot(field)) showError(field, localizeIssue(i18n, message));
        else general.push(localizeIssue(i18n, message));
      }
      setStatus(status, general.length > 0 ? general.join(' ') : i18n.t('ui.settings.fixErrors'), 'error');
    }
  } catch (error) {
    setStatus(status, i18n.t('ui.error.server', { message: errorText(error) }), 'error');
  } finally {
    saveButton.disabled = false;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void save();
});

async function load(): Promise<void> {
  show(loadRetry, false);
  setStatus(loadStatus, i18n.t('ui.loading'), 'info');
  try {
    applyView(await server.getSettings());
    show(loading, false);
    show(form, true);
  } catch (error) {
    setStatus(loadStatus, i18n.t('ui.error.server', { message: errorText(error) }), 'error');
    show(loadRetry, true);
  }
}
loadRetry.addEventListener('click', () => void load());

void load();
messages.load();

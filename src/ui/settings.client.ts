/**
 * Settings sidebar. Loads everything with getSettings(), validates with the server's own
 * checks (src/core/settings.ts) before calling saveSettings(), and never puts the API key back
 * into the page: the server only ever returns a hint such as "…9f2c".
 */
import { type Locale, localeFrom, type UiMessageKey as MessageKey } from '../core/messages';
import {
  API_KEY_CHARS_MESSAGE,
  API_KEY_EMPTY_MESSAGE,
  API_KEY_ODD_WARNING,
  apiKeySchema,
  apiKeyWarning,
  type Environment,
  type KeyScope,
  type Language,
  type SettingsInput,
  settingsInputSchema,
  type SettingsIssue,
  type SettingsView,
  WEB_APP_DEV_MESSAGE,
  WEB_APP_FORMAT_MESSAGE,
} from '../core/settings';
import { append, h, I18n, show } from './dom';
import { createServer, errorText } from './server';
import { mountMessagesSection } from './settings-messages';

const server = createServer();
const i18n = new I18n(localeFrom(navigator.language));

type KeyMode = 'none' | 'saved' | 'replace' | 'remove';
type FieldName =
  | 'apiKey'
  | 'defaultExpiryDays'
  | 'requestsPerMinute'
  | 'environment'
  | 'keyScope'
  | 'language'
  | 'autoRefresh'
  | 'webAppUrl'
  | 'confirmInSandbox'
  | 'titleTemplate';
type Tone = 'info' | 'ok' | 'error';

// The English texts of settings.ts's messages, so Indonesian users read them in Indonesian.
// An unknown message (the schema changed) is still shown, wrapped in a generic sentence.
const ZOD_MESSAGES: Record<string, MessageKey> = {
  'The API key looks too long': 'ui.zod.keyLong',
  'Whole days only': 'ui.zod.wholeDays',
  'At least 1 day': 'ui.zod.minDay',
  'At most 365 days': 'ui.zod.maxDays',
  'Whole numbers only': 'ui.zod.wholeNumber',
  'At least 1': 'ui.zod.min1',
  'At most 50': 'ui.zod.max50',
  [API_KEY_EMPTY_MESSAGE]: 'ui.zod.keyEmpty',
  [API_KEY_CHARS_MESSAGE]: 'ui.zod.keyChars',
  [API_KEY_ODD_WARNING]: 'ui.zod.keyOdd',
  [WEB_APP_DEV_MESSAGE]: 'ui.zod.webAppDev',
  [WEB_APP_FORMAT_MESSAGE]: 'ui.zod.webAppFormat',
};

function localizeIssue(message: string, code?: string): string {
  const key = ZOD_MESSAGES[message];
  if (key) return i18n.t(key);
  // Text that is not a number (Number("abc") is NaN) gets a wrong-type text not meant for users.
  if (code === 'invalid_type') return i18n.t('ui.zod.number');
  return i18n.locale === 'en' ? message : i18n.t('ui.zod.generic', { message });
}

let view: SettingsView | null = null;
let keyMode: KeyMode = 'none';

// ---- DOM -------------------------------------------------------------------------------

function radio(name: string, value: string, label: Node, id: string): { wrap: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { id, attrs: { type: 'radio', name, value } });
  const wrap = h('label', { className: 'choice', attrs: { for: id } }, input, h('span', {}, label));
  return { wrap, input };
}

function errorSlot(field: FieldName): HTMLElement {
  return h('p', { className: 'field-error', id: `${field}-error`, attrs: { role: 'alert' }, hidden: true });
}

function section(titleKey: MessageKey, ...children: Node[]): HTMLElement {
  return h('section', { className: 'section' }, h('h2', {}, i18n.text(titleKey)), ...children);
}

const status = h('p', { className: 'status', id: 'status', attrs: { role: 'status', 'aria-live': 'polite' }, hidden: true });

// API key
const keyHintText = h('span', { id: 'key-hint' });
const replaceButton = h('button', { id: 'replace-key', className: 'link', attrs: { type: 'button' } }, i18n.text('ui.settings.replaceKey'));
const removeButton = h('button', { id: 'remove-key', className: 'link danger', attrs: { type: 'button' } }, i18n.text('ui.settings.removeKey'));
const keySaved = h(
  'div',
  { className: 'key-saved', id: 'key-saved' },
  h('span', { className: 'key-chip' }, keyHintText),
  h('span', { className: 'inline-actions' }, replaceButton, removeButton),
);
const keepKeyButton = h('button', { id: 'keep-key', className: 'link', attrs: { type: 'button' } }, i18n.text('ui.settings.keepKey'));
const keyRemoving = h('div', { className: 'notice warning', id: 'key-removing' }, h('span', {}, i18n.text('ui.settings.removePending')), ' ', keepKeyButton);
const apiKeyInput = h('input', {
  id: 'apiKey',
  attrs: { type: 'password', name: 'apiKey', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'apiKey-error' },
});
i18n.attr(apiKeyInput, 'placeholder', 'ui.settings.apiKeyPlaceholder');
// An odd-looking key is kept, with this warning: Test connection is the proof.
const keyWarning = h('p', { className: 'notice warning', id: 'apiKey-warning', hidden: true });
const cancelReplaceButton = h('button', { id: 'cancel-replace', className: 'link', attrs: { type: 'button' } }, i18n.text('ui.common.cancel'));
const keyInputRow = h('div', { id: 'key-input' }, apiKeyInput, h('p', { className: 'help' }, i18n.text('ui.settings.apiKeyHelp'), ' ', cancelReplaceButton));

// Environment
const sandbox = radio('environment', 'sandbox', i18n.text('ui.settings.sandbox'), 'env-sandbox');
const production = radio('environment', 'production', i18n.text('ui.settings.production'), 'env-production');
const productionWarning = h('p', { className: 'notice warning', id: 'production-warning' }, i18n.text('ui.settings.productionWarning'));

// Key scope
const scopeUser = radio('keyScope', 'user', i18n.text('ui.settings.scopeUser'), 'scope-user');
const scopeDocument = radio('keyScope', 'document', i18n.text('ui.settings.scopeDocument'), 'scope-document');
const scopeUserHelp = h('p', { className: 'help', id: 'scope-user-help' }, i18n.text('ui.settings.scopeUserHelp'));
const scopeDocumentHelp = h('p', { className: 'notice warning', id: 'scope-document-help' }, i18n.text('ui.settings.scopeDocumentHelp'));

// Test connection
const testButton = h('button', { id: 'test-connection', attrs: { type: 'button' } }, i18n.text('ui.settings.test'));
const testResult = h('p', { className: 'result', id: 'test-result', attrs: { role: 'status', 'aria-live': 'polite' }, hidden: true });

// Numbers: text inputs so every check (and its message) comes from the shared settings checks.
const expiryInput = h('input', {
  id: 'defaultExpiryDays',
  className: 'short',
  attrs: { type: 'text', inputmode: 'numeric', name: 'defaultExpiryDays', 'aria-describedby': 'defaultExpiryDays-error' },
});
const titleTemplateInput = h('input', { id: 'titleTemplate', attrs: { type: 'text', name: 'titleTemplate', 'aria-describedby': 'titleTemplate-error' } });
const confirmInSandboxInput = h('input', { id: 'confirmInSandbox', attrs: { type: 'checkbox', name: 'confirmInSandbox' } });
const rpmInput = h('input', {
  id: 'requestsPerMinute',
  className: 'short',
  attrs: { type: 'text', inputmode: 'numeric', name: 'requestsPerMinute', 'aria-describedby': 'requestsPerMinute-error' },
});

// Webhook
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

// Preferences
const languageSelect = h(
  'select',
  { id: 'language', attrs: { name: 'language' } },
  h('option', { attrs: { value: 'auto' } }, i18n.text('ui.settings.langAuto')),
  h('option', { attrs: { value: 'en' } }, i18n.text('ui.settings.langEn')),
  h('option', { attrs: { value: 'id' } }, i18n.text('ui.settings.langId')),
);
const autoRefreshInput = h('input', { id: 'autoRefresh', attrs: { type: 'checkbox', name: 'autoRefresh' } });

const saveButton = h('button', { id: 'save', className: 'primary', attrs: { type: 'submit' } }, i18n.text('ui.settings.save'));

const errors: Record<FieldName, HTMLElement> = {
  apiKey: errorSlot('apiKey'),
  environment: errorSlot('environment'),
  keyScope: errorSlot('keyScope'),
  defaultExpiryDays: errorSlot('defaultExpiryDays'),
  requestsPerMinute: errorSlot('requestsPerMinute'),
  language: errorSlot('language'),
  autoRefresh: errorSlot('autoRefresh'),
  webAppUrl: errorSlot('webAppUrl'),
  confirmInSandbox: errorSlot('confirmInSandbox'),
  titleTemplate: errorSlot('titleTemplate'),
};
const errorInputs: Partial<Record<FieldName, HTMLElement>> = {
  apiKey: apiKeyInput,
  defaultExpiryDays: expiryInput,
  requestsPerMinute: rpmInput,
  webAppUrl: webAppUrlInput,
  titleTemplate: titleTemplateInput,
};

function label(forId: string, key: MessageKey): HTMLElement {
  return h('label', { className: 'label', attrs: { for: forId } }, i18n.text(key));
}

const form = h(
  'form',
  { id: 'settings-form', attrs: { novalidate: '', autocomplete: 'off' }, hidden: true },
  section(
    'ui.settings.sectionConnection',
    h('div', { className: 'field' }, label('apiKey', 'ui.settings.apiKey'), keySaved, keyRemoving, keyInputRow, errors.apiKey, keyWarning),
    h(
      'fieldset',
      { className: 'field' },
      h('legend', { className: 'label' }, i18n.text('ui.settings.environment')),
      sandbox.wrap,
      production.wrap,
      productionWarning,
      errors.environment,
    ),
    h(
      'fieldset',
      { className: 'field' },
      h('legend', { className: 'label' }, i18n.text('ui.settings.keyScope')),
      scopeUser.wrap,
      scopeDocument.wrap,
      scopeUserHelp,
      scopeDocumentHelp,
      errors.keyScope,
    ),
    h('div', { className: 'field' }, testButton, testResult),
  ),
  section(
    'ui.settings.sectionLinks',
    h(
      'div',
      { className: 'field' },
      label('defaultExpiryDays', 'ui.settings.expiry'),
      expiryInput,
      h('p', { className: 'help' }, i18n.text('ui.settings.expiryHelp')),
      errors.defaultExpiryDays,
    ),
    h(
      'div',
      { className: 'field' },
      label('requestsPerMinute', 'ui.settings.rpm'),
      rpmInput,
      h('p', { className: 'help' }, i18n.text('ui.settings.rpmHelp')),
      errors.requestsPerMinute,
    ),
    h(
      'div',
      { className: 'field' },
      label('titleTemplate', 'ui.settings.titleTemplate'),
      titleTemplateInput,
      h('p', { className: 'help' }, i18n.text('ui.settings.titleTemplateHelp')),
      errors.titleTemplate,
    ),
    h(
      'div',
      { className: 'field' },
      h('label', { className: 'choice', attrs: { for: 'confirmInSandbox' } }, confirmInSandboxInput, h('span', {}, i18n.text('ui.settings.confirmInSandbox'))),
      h('p', { className: 'help indent' }, i18n.text('ui.settings.confirmInSandboxHelp')),
      errors.confirmInSandbox,
    ),
  ),
  section(
    'ui.settings.sectionWebhook',
    h(
      'div',
      { className: 'field' },
      label('webhook-url', 'ui.settings.webhook'),
      webhookRow,
      webhookNone,
      webhookDev,
      h('p', { className: 'help', id: 'webhook-help' }, i18n.text('ui.settings.webhookHelp')),
      h('div', { className: 'buttons' }, newSecretButton),
      newSecretConfirm,
      webhookStatus,
    ),
    h(
      'div',
      { className: 'field' },
      label('webAppUrl', 'ui.settings.webAppUrl'),
      webAppUrlInput,
      h('p', { className: 'help' }, i18n.text('ui.settings.webAppUrlHelp')),
      errors.webAppUrl,
    ),
  ),
  section(
    'ui.settings.sectionPreferences',
    h('div', { className: 'field' }, label('language', 'ui.settings.language'), languageSelect, errors.language),
    h(
      'div',
      { className: 'field' },
      h('label', { className: 'choice', attrs: { for: 'autoRefresh' } }, autoRefreshInput, h('span', {}, i18n.text('ui.settings.autoRefresh'))),
      h('p', { className: 'help indent' }, i18n.text('ui.settings.autoRefreshHelp')),
      errors.autoRefresh,
    ),
  ),
  h('div', { className: 'footer' }, saveButton, status),
);

const loadRetry = h('button', { id: 'load-retry', attrs: { type: 'button' }, hidden: true }, i18n.text('ui.common.retry'));
const loadStatus = h('p', { className: 'status', id: 'load-status', attrs: { role: 'status' } });
const loading = h('div', { id: 'loading' }, loadStatus, loadRetry);

append(document.getElementById('app') ?? document.body, h('main', { className: 'sidebar' }, loading, form));
i18n.bind(() => {
  document.title = i18n.t('ui.settings.title');
});

// ---- State → DOM ------------------------------------------------------------------------

function setStatus(node: HTMLElement, text: string, tone: Tone): void {
  node.textContent = text;
  node.dataset.tone = tone;
  show(node, text !== '');
}

function checked(input: { input: HTMLInputElement }, value: boolean): void {
  input.input.checked = value;
}

function selectedEnvironment(): Environment {
  return production.input.checked ? 'production' : 'sandbox';
}

function selectedScope(): KeyScope {
  return scopeDocument.input.checked ? 'document' : 'user';
}

function renderKey(): void {
  show(keySaved, keyMode === 'saved');
  show(keyRemoving, keyMode === 'remove');
  show(keyInputRow, keyMode === 'none' || keyMode === 'replace');
  show(cancelReplaceButton, keyMode === 'replace');
  keyHintText.textContent = view?.apiKeyHint ? i18n.t('ui.settings.apiKeySaved', { hint: view.apiKeyHint }) : '';
  renderKeyWarning();
}

/** The warning for the key being typed, or for the saved one. */
function renderKeyWarning(): void {
  const typing = keyMode === 'none' || keyMode === 'replace';
  const warning = typing ? apiKeyWarning(apiKeyInput.value) : keyMode === 'saved' ? (view?.apiKeyWarning ?? null) : null;
  keyWarning.textContent = warning ? localizeIssue(warning) : '';
  show(keyWarning, warning !== null);
}
i18n.bind(renderKey);

function renderChoices(): void {
  show(productionWarning, selectedEnvironment() === 'production');
  show(scopeUserHelp, selectedScope() === 'user');
  show(scopeDocumentHelp, selectedScope() === 'document');
}

function renderWebhook(url: string | null): void {
  webhookInput.value = url ?? '';
  show(webhookRow, url !== null);
  show(webhookNone, url === null && view?.webhookProblem !== 'dev');
  show(webhookDev, url === null && view?.webhookProblem === 'dev');
  show(newSecretButton, url !== null);
}

/** The language the page should speak for a language choice, before the server confirms it. */
function previewLocale(language: Language): Locale {
  if (language !== 'auto') return language;
  return view && view.language === 'auto' ? view.locale : localeFrom(navigator.language);
}

function applyView(next: SettingsView): void {
  view = next;
  keyMode = next.hasApiKey ? 'saved' : 'none';
  apiKeyInput.value = '';
  checked(sandbox, next.environment === 'sandbox');
  checked(production, next.environment === 'production');
  checked(scopeUser, next.keyScope === 'user');
  checked(scopeDocument, next.keyScope === 'document');
  expiryInput.value = String(next.defaultExpiryDays);
  rpmInput.value = String(next.requestsPerMinute);
  languageSelect.value = next.language;
  autoRefreshInput.checked = next.autoRefresh;
  webAppUrlInput.value = next.webAppUrl ?? '';
  confirmInSandboxInput.checked = next.confirmInSandbox;
  titleTemplateInput.value = next.titleTemplate;
  renderWebhook(next.webhookUrl);
  i18n.setLocale(next.locale);
  renderKey();
  renderChoices();
}

function clearErrors(): void {
  for (const [field, node] of Object.entries(errors) as Array<[FieldName, HTMLElement]>) {
    node.textContent = '';
    show(node, false);
    errorInputs[field]?.removeAttribute('aria-invalid');
  }
}

function showError(field: string, message: string): void {
  const node = field in errors ? errors[field as FieldName] : errors.apiKey;
  if (!node.hidden) return; // the first problem of a field is the one to fix first
  node.textContent = message;
  show(node, true);
  errorInputs[field as FieldName]?.setAttribute('aria-invalid', 'true');
}

function showZodErrors(error: { issues: readonly SettingsIssue[] }): void {
  for (const issue of error.issues) {
    showError(String(issue.path[0] ?? 'apiKey'), localizeIssue(issue.message, issue.code));
  }
  const first = (Object.keys(errorInputs) as FieldName[]).find((field) => !errors[field].hidden);
  if (first) errorInputs[first]?.focus();
}

// ---- Actions ----------------------------------------------------------------------------

function typedKey(): string | undefined {
  if (keyMode !== 'none' && keyMode !== 'replace') return undefined;
  return apiKeyInput.value.trim() === '' ? undefined : apiKeyInput.value;
}

function collect(): Record<string, unknown> {
  const raw: Record<string, unknown> = {
    environment: selectedEnvironment(),
    keyScope: selectedScope(),
    defaultExpiryDays: expiryInput.value,
    requestsPerMinute: rpmInput.value,
    language: languageSelect.value,
    autoRefresh: autoRefreshInput.checked,
    confirmInSandbox: confirmInSandboxInput.checked,
    titleTemplate: titleTemplateInput.value,
  };
  // Sent only when changed: an untouched field never overwrites what another editor saved.
  if (webAppUrlInput.value.trim() !== (view?.webAppUrl ?? '')) raw.webAppUrl = webAppUrlInput.value;
  const key = typedKey();
  if (key !== undefined) raw.apiKey = key;
  if (keyMode === 'remove') raw.removeApiKey = true;
  return raw;
}

async function save(): Promise<void> {
  clearErrors();
  const parsed = settingsInputSchema.safeParse(collect());
  if (!parsed.success) {
    showZodErrors(parsed.error);
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
      setStatus(status, i18n.t('ui.settings.saved'), 'ok');
    } else {
      // Errors about no particular field (the server files them under "settings") go to the status line.
      const general: string[] = [];
      for (const [field, message] of Object.entries(result.errors)) {
        if (field in errors) showError(field, localizeIssue(message));
        else general.push(localizeIssue(message));
      }
      setStatus(status, general.length > 0 ? general.join(' ') : i18n.t('ui.settings.fixErrors'), 'error');
    }
  } catch (error) {
    setStatus(status, i18n.t('ui.error.server', { message: errorText(error) }), 'error');
  } finally {
    saveButton.disabled = false;
  }
}

async function testConnection(): Promise<void> {
  clearErrors();
  const key = typedKey();
  if (key !== undefined) {
    const parsed = apiKeySchema.safeParse(key);
    if (!parsed.success) {
      // Issues of the bare key schema have an empty path, which showZodErrors files under apiKey.
      showZodErrors(parsed.error);
      return;
    }
  } else if (keyMode !== 'saved') {
    setStatus(testResult, i18n.t('ui.settings.testNeedsKey'), 'error');
    return;
  }
  testButton.disabled = true;
  setStatus(testResult, i18n.t('ui.settings.testing'), 'info');
  try {
    const input: { apiKey?: string; environment: Environment } = { environment: selectedEnvironment() };
    if (key !== undefined) input.apiKey = key.trim();
    const result = await server.testConnection(input);
    setStatus(testResult, result.message, result.ok ? 'ok' : 'error');
  } catch (error) {
    setStatus(testResult, i18n.t('ui.error.server', { message: errorText(error) }), 'error');
  } finally {
    testButton.disabled = false;
  }
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
    if (view) view = { ...view, webhookUrl: next.webhookUrl };
    renderWebhook(next.webhookUrl);
    show(newSecretConfirm, false);
    setStatus(webhookStatus, i18n.t('ui.settings.newSecretDone'), 'ok');
  } catch (error) {
    setStatus(webhookStatus, i18n.t('ui.error.server', { message: errorText(error) }), 'error');
  } finally {
    newSecretYes.disabled = false;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void save();
});
testButton.addEventListener('click', () => void testConnection());
replaceButton.addEventListener('click', () => {
  keyMode = 'replace';
  renderKey();
  apiKeyInput.focus();
});
removeButton.addEventListener('click', () => {
  keyMode = 'remove';
  apiKeyInput.value = '';
  renderKey();
});
keepKeyButton.addEventListener('click', () => {
  keyMode = 'saved';
  renderKey();
});
apiKeyInput.addEventListener('input', renderKeyWarning);
cancelReplaceButton.addEventListener('click', () => {
  keyMode = 'saved';
  apiKeyInput.value = '';
  clearErrors();
  renderKey();
});
for (const input of [sandbox.input, production.input, scopeUser.input, scopeDocument.input]) {
  input.addEventListener('change', renderChoices);
}
languageSelect.addEventListener('change', () => {
  i18n.setLocale(previewLocale(languageSelect.value as Language));
});
copyButton.addEventListener('click', () => void copyWebhook());
newSecretButton.addEventListener('click', () => {
  show(newSecretConfirm, true);
  show(webhookStatus, false);
});
newSecretNo.addEventListener('click', () => show(newSecretConfirm, false));
newSecretYes.addEventListener('click', () => void newSecret());
webhookInput.addEventListener('focus', () => webhookInput.select());

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

mountMessagesSection(i18n);

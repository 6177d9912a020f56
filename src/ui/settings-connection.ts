/**
 * The Settings sidebar's "Connection to Mayar" section: the API key (saved, being replaced or
 * marked for removal), sandbox or production, whose key it is, and Test connection. The key
 * never comes back into the page: the server only ever returns a hint such as "…9f2c".
 */
import { apiKeySchema, apiKeyWarning, type Environment, type KeyScope, type SettingsInput, type SettingsView } from '../core/settings';
import { h, type I18n, show } from './dom';
import { type AsyncServer, errorText } from './server';
import { label, radio, section, setStatus } from './settings-form';
import { clearErrors, errorSlot, localizeIssue, showIssues } from './settings-validation';

type KeyMode = 'none' | 'saved' | 'replace' | 'remove';

export interface ConnectionSection {
  node: HTMLElement;
  apply(view: SettingsView): void;
  /** The section's part of what Save sends: the key only when one was typed, or its removal. */
  values(): Pick<SettingsInput, 'environment' | 'keyScope' | 'apiKey' | 'removeApiKey'>;
}

export function createConnectionSection(i18n: I18n, server: AsyncServer): ConnectionSection {
  let view: SettingsView | null = null;
  let keyMode: KeyMode = 'none';

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

  const node = section(
    i18n,
    'ui.settings.sectionConnection',
    h(
      'div',
      { className: 'field' },
      label(i18n, 'apiKey', 'ui.settings.apiKey'),
      keySaved,
      keyRemoving,
      keyInputRow,
      errorSlot('apiKey', apiKeyInput),
      keyWarning,
    ),
    h(
      'fieldset',
      { className: 'field' },
      h('legend', { className: 'label' }, i18n.text('ui.settings.environment')),
      sandbox.wrap,
      production.wrap,
      productionWarning,
      errorSlot('environment'),
    ),
    h(
      'fieldset',
      { className: 'field' },
      h('legend', { className: 'label' }, i18n.text('ui.settings.keyScope')),
      scopeUser.wrap,
      scopeDocument.wrap,
      scopeUserHelp,
      scopeDocumentHelp,
      h('p', { className: 'help', id: 'scope-limits' }, i18n.text('ui.settings.scopeLimits')),
      errorSlot('keyScope'),
    ),
    h('div', { className: 'field' }, testButton, testResult),
  );

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
    keyWarning.textContent = warning ? localizeIssue(i18n, warning) : '';
    show(keyWarning, warning !== null);
  }
  i18n.bind(renderKey);

  function renderChoices(): void {
    show(productionWarning, selectedEnvironment() === 'production');
    show(scopeUserHelp, selectedScope() === 'user');
    show(scopeDocumentHelp, selectedScope() === 'document');
  }

  function typedKey(): string | undefined {
    if (keyMode !== 'none' && keyMode !== 'replace') return undefined;
    return apiKeyInput.value.trim() === '' ? undefined : apiKeyInput.value;
  }

  async function testConnection(): Promise<void> {
    clearErrors();
    const key = typedKey();
    if (key !== undefined) {
      const parsed = apiKeySchema.safeParse(key);
      if (!parsed.success) {
        // Issues of the bare key schema have an empty path, which showIssues files under apiKey.
        showIssues(i18n, parsed.error);
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

  return {
    node,
    apply(next) {
      view = next;
      keyMode = next.hasApiKey ? 'saved' : 'none';
      apiKeyInput.value = '';
      sandbox.input.checked = next.environment === 'sandbox';
      production.input.checked = next.environment === 'production';
      scopeUser.input.checked = next.keyScope === 'user';
      scopeDocument.input.checked = next.keyScope === 'document';
      renderKey();
      renderChoices();
    },
    values() {
      const values: ReturnType<ConnectionSection['values']> = { environment: selectedEnvironment(), keyScope: selectedScope() };
      const key = typedKey();
      if (key !== undefined) values.apiKey = key;
      if (keyMode === 'remove') values.removeApiKey = true;
      return values;
    },
  };
}

/**
 * The Settings sidebar's "Payment links" section: how long a link stays valid, the link title,
 * and whether sandbox runs ask before they start; how fast links are created goes under Advanced.
 */
import type { UiMessageKey as MessageKey } from '../core/messages';
import type { SettingsView } from '../core/settings';
import { h, type I18n } from './dom';
import { type FormValues, label, section } from './settings-form';
import { errorSlot, type FieldName } from './settings-validation';

export interface LinksSection {
  node: HTMLElement;
  /** Fields most people never change (requests per minute), for the form's Advanced fold. */
  advanced: HTMLElement;
  apply(view: SettingsView): void;
  values(): FormValues;
}

export function createLinksSection(i18n: I18n): LinksSection {
  /** A labelled input with its help line and its error line. */
  const field = (name: FieldName, labelKey: MessageKey, input: HTMLElement, helpKey: MessageKey) =>
    h('div', { className: 'field' }, label(i18n, name, labelKey), input, h('p', { className: 'help' }, i18n.text(helpKey)), errorSlot(name, input));

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

  const node = section(
    i18n,
    'ui.settings.sectionLinks',
    field('defaultExpiryDays', 'ui.settings.expiry', expiryInput, 'ui.settings.expiryHelp'),
    field('titleTemplate', 'ui.settings.titleTemplate', titleTemplateInput, 'ui.settings.titleTemplateHelp'),
    h(
      'div',
      { className: 'field' },
      h('label', { className: 'choice', attrs: { for: 'confirmInSandbox' } }, confirmInSandboxInput, h('span', {}, i18n.text('ui.settings.confirmInSandbox'))),
      h('p', { className: 'help indent' }, i18n.text('ui.settings.confirmInSandboxHelp')),
      errorSlot('confirmInSandbox'),
    ),
  );

  const advanced = section(i18n, 'ui.settings.sectionLinks', field('requestsPerMinute', 'ui.settings.rpm', rpmInput, 'ui.settings.rpmHelp'));

  return {
    node,
    advanced,
    apply(view) {
      expiryInput.value = String(view.defaultExpiryDays);
      rpmInput.value = String(view.requestsPerMinute);
      confirmInSandboxInput.checked = view.confirmInSandbox;
      titleTemplateInput.value = view.titleTemplate;
    },
    values: () => ({
      defaultExpiryDays: expiryInput.value,
      requestsPerMinute: rpmInput.value,
      confirmInSandbox: confirmInSandboxInput.checked,
      titleTemplate: titleTemplateInput.value,
    }),
  };
}

/**
 * The Settings sidebar's "Preferences" section: the language (previewed on the page as soon as
 * it is chosen), automatic refresh, and billing each new Google Form response.
 */
import { type Locale, localeFrom } from '../core/messages';
import type { Language, SettingsView } from '../core/settings';
import { h, type I18n } from './dom';
import { type FormValues, label, section } from './settings-form';
import { errorSlot } from './settings-validation';

export interface PreferencesSection {
  node: HTMLElement;
  apply(view: SettingsView): void;
  values(): FormValues;
}

export function createPreferencesSection(i18n: I18n): PreferencesSection {
  let view: SettingsView | null = null;

  const languageSelect = h(
    'select',
    { id: 'language', attrs: { name: 'language' } },
    h('option', { attrs: { value: 'auto' } }, i18n.text('ui.settings.langAuto')),
    h('option', { attrs: { value: 'en' } }, i18n.text('ui.settings.langEn')),
    h('option', { attrs: { value: 'id' } }, i18n.text('ui.settings.langId')),
  );
  const autoRefreshInput = h('input', { id: 'autoRefresh', attrs: { type: 'checkbox', name: 'autoRefresh' } });
  // forms
  const billFormsInput = h('input', { id: 'billFormResponses', attrs: { type: 'checkbox', name: 'billFormResponses' } });
  const emailFormsInput = h('input', { id: 'emailFormResponses', attrs: { type: 'checkbox', name: 'emailFormResponses' } });
  const formAmountInput = h('input', {
    id: 'formAmount',
    className: 'input',
    attrs: { type: 'text', inputmode: 'numeric', name: 'formAmount', 'aria-describedby': 'formAmount-error' },
  });

  const node = section(
    i18n,
    'ui.settings.sectionPreferences',
    h('div', { className: 'field' }, label(i18n, 'language', 'ui.settings.language'), languageSelect, errorSlot('language')),
    h(
      'div',
      { className: 'field' },
      h('label', { className: 'choice', attrs: { for: 'autoRefresh' } }, autoRefreshInput, h('span', {}, i18n.text('ui.settings.autoRefresh'))),
      h('p', { className: 'help indent' }, i18n.text('ui.settings.autoRefreshHelp')),
      errorSlot('autoRefresh'),
    ),
    h(
      'div',
      { className: 'field' },
      h('label', { className: 'choice', attrs: { for: 'billFormResponses' } }, billFormsInput, h('span', {}, i18n.text('ui.settings.billForms'))),
      h('p', { className: 'help indent' }, i18n.text('ui.settings.billFormsHelp')),
      errorSlot('billFormResponses'),
    ),
    h(
      'div',
      { className: 'field' },
      h('label', { className: 'choice', attrs: { for: 'emailFormResponses' } }, emailFormsInput, h('span', {}, i18n.text('ui.settings.emailForms'))),
      h('p', { className: 'help indent' }, i18n.text('ui.settings.emailFormsHelp')),
      errorSlot('emailFormResponses'),
    ),
    h(
      'div',
      { className: 'field' },
      label(i18n, 'formAmount', 'ui.settings.formAmount'),
      formAmountInput,
      h('p', { className: 'help' }, i18n.text('ui.settings.formAmountHelp')),
      errorSlot('formAmount'),
    ),
  );

  /** The language the page should speak for a language choice, before the server confirms it. */
  function previewLocale(language: Language): Locale {
    if (language !== 'auto') return language;
    return view && view.language === 'auto' ? view.locale : localeFrom(navigator.language);
  }

  languageSelect.addEventListener('change', () => {
    i18n.setLocale(previewLocale(languageSelect.value as Language));
  });

  return {
    node,
    apply(next) {
      view = next;
      languageSelect.value = next.language;
      autoRefreshInput.checked = next.autoRefresh;
      billFormsInput.checked = next.billFormResponses;
      emailFormsInput.checked = next.emailFormResponses;
      formAmountInput.value = String(next.formAmount);
    },
    values: () => ({
      language: languageSelect.value,
      autoRefresh: autoRefreshInput.checked,
      // Saved only when changed: turning it on makes the form trigger this person's.
      ...(view && billFormsInput.checked === view.billFormResponses ? {} : { billFormResponses: billFormsInput.checked }),
      emailFormResponses: emailFormsInput.checked,
      formAmount: formAmountInput.value.trim() === '' ? 0 : formAmountInput.value,
    }),
  };
}

/**
 * The Settings sidebar's "Preferences" section: the language (previewed on the page as soon as
 * it is chosen) and automatic refresh.
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
    },
    values: () => ({ language: languageSelect.value, autoRefresh: autoRefreshInput.checked }),
  };
}

/**
 * Small DOM helpers for the sidebars. Every piece of text goes in through text nodes or
 * textContent, never innerHTML, so customer names and server messages always render as text.
 */
import { type Locale, type UiMessageKey as MessageKey, type MessageParams, tUi as t } from '../core/messages';

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  className?: string;
  id?: string;
  /** Plain attributes (type, name, for, role, aria-*). Values are set with setAttribute. */
  attrs?: Record<string, string>;
  hidden?: boolean;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.id) node.id = props.id;
  if (props.hidden) node.hidden = true;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function show(node: HTMLElement, visible: boolean): void {
  node.hidden = !visible;
}

/**
 * Text that follows the sidebar's language: every bound node is re-rendered when the
 * locale changes, so switching language does not rebuild the form (typed values survive).
 */
export class I18n {
  private readonly updates: Array<() => void> = [];

  constructor(public locale: Locale) {
    // The page template says lang="en"; screen readers and hyphenation follow this attribute.
    document.documentElement.lang = locale;
  }

  t(key: MessageKey, params?: MessageParams): string {
    return t(this.locale, key, params);
  }

  /** Runs `update` now and again after every language change. */
  bind(update: () => void): void {
    this.updates.push(update);
    update();
  }

  /** A text node showing a catalogue message in the current language. */
  text(key: MessageKey, params?: MessageParams): Text {
    const node = document.createTextNode('');
    this.bind(() => {
      node.textContent = this.t(key, params);
    });
    return node;
  }

  /** Sets an attribute (placeholder, aria-label) from the catalogue, kept in the current language. */
  attr(element: Element, name: string, key: MessageKey): void {
    this.bind(() => element.setAttribute(name, this.t(key)));
  }

  setLocale(locale: Locale): void {
    if (locale === this.locale) return;
    this.locale = locale;
    document.documentElement.lang = locale;
    for (const update of this.updates) update();
  }
}

/** "Rp 1.250.000": Indonesian grouping with dots, whole rupiah, no reliance on Intl data. */
export function formatRupiah(amount: number): string {
  const whole = Math.round(Math.abs(amount));
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${amount < 0 ? '-' : ''}Rp ${grouped}`;
}

/** Thousands grouping for counts, in the locale's style (1,250 or 1.250). */
export function formatCount(value: number, locale: Locale): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'id' ? '.' : ',');
}

/** "less than a minute", "about 5 min", "about 1 h 20 min", in the given language. */
export function formatDuration(i18n: I18n, ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (ms < 60_000) return i18n.t('ui.progress.lessThanMinute');
  if (minutes < 60) return i18n.t('ui.progress.minutes', { m: minutes });
  return i18n.t('ui.progress.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

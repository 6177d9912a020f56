/** Building blocks of the Settings form: sections, labels, radio choices and status lines. */
import type { UiMessageKey as MessageKey } from '../core/messages';
import type { SettingsInput } from '../core/settings';
import { h, type I18n, show } from './dom';

export type Tone = 'info' | 'ok' | 'error';
/** What the form hands to the settings checks: numbers still as typed, so the checks word every problem. */
export type FormValues = { [K in keyof SettingsInput]?: unknown };

export function setStatus(node: HTMLElement, text: string, tone: Tone): void {
  node.textContent = text;
  node.dataset.tone = tone;
  show(node, text !== '');
}

export function radio(name: string, value: string, label: Node, id: string): { wrap: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { id, attrs: { type: 'radio', name, value } });
  const wrap = h('label', { className: 'choice', attrs: { for: id } }, input, h('span', {}, label));
  return { wrap, input };
}

export function section(i18n: I18n, titleKey: MessageKey, ...children: Node[]): HTMLElement {
  return h('section', { className: 'section' }, h('h2', {}, i18n.text(titleKey)), ...children);
}

export function label(i18n: I18n, forId: string, key: MessageKey): HTMLElement {
  return h('label', { className: 'label', attrs: { for: forId } }, i18n.text(key));
}

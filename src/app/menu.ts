/**
 * The Mayar menu: at most eight entries, Create payment links first, the rest grouped in
 * submenus, in the user's language. Messages that name an item say the path shown here.
 */
import { type Locale, type MessageKey, t } from '../core/messages';
import type { MenuHandler } from './trigger-handlers';

/** An item (caption, global function), a submenu, or a separator (null). */
export type MenuEntry = { caption: string; fn: MenuHandler } | { caption: string; items: readonly MenuEntry[] } | null;

/** Only names listed in MENU_HANDLERS (trigger-handlers.ts), which the compiler checks against main.ts. */
type Spec = readonly ([MessageKey, MenuHandler] | [MessageKey, readonly [MessageKey, MenuHandler][]] | null)[];

const MENU: Spec = [
  ['menu.create', 'createPaymentLinks'],
  ['menu.createSelection', 'createPaymentLinksForSelection'],
  [
    'menu.sendGroup',
    [
      ['menu.email', 'sendPaymentLinksByEmail'],
      ['menu.whatsapp', 'showWhatsApp'],
    ],
  ],
  [
    'menu.statusGroup',
    [
      ['menu.refresh', 'refreshPaymentStatus'],
      ['menu.close', 'closeSelectedPaymentLinks'],
      ['menu.renew', 'renewExpiredLinks'],
      ['menu.summary', 'updateSummary'],
    ],
  ],
  ['menu.billAgain', 'billNextPeriod'],
  ['menu.progress', 'showProgress'],
  null,
  [
    'menu.moreGroup',
    [
      ['menu.setup', 'setUpSheet'],
      ['menu.check', 'checkRows'],
      ['menu.diagnostics', 'showDiagnostics'],
    ],
  ],
  ['menu.settings', 'showSettings'],
];

export function menuEntries(locale: Locale): MenuEntry[] {
  return MENU.map((entry) => {
    if (entry === null) return null;
    const [key, target] = entry;
    if (typeof target === 'string') return { caption: t(locale, key), fn: target };
    return { caption: t(locale, key), items: target.map(([itemKey, fn]) => ({ caption: t(locale, itemKey), fn })) };
  });
}

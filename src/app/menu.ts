/**
 * The Mayar menu: at most eight entries, Create payment links first, the rest grouped in
 * submenus, in the user's language. Messages that name an item say the path shown here.
 */
import { type Locale, type MessageKey, t } from '../core/messages';

/** An item (caption, global function), a submenu, or a separator (null). */
export type MenuEntry = { caption: string; fn: string } | { caption: string; items: readonly MenuEntry[] } | null;

type Spec = readonly ([MessageKey, string] | [MessageKey, readonly [MessageKey, string][]] | null)[];

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

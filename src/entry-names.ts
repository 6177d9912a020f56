/**
 * A check for the compiler, imported by nothing: every name Apps Script calls the add-on by (the
 * triggers' and menu items' in src/app/trigger-handlers.ts, the sidebars' in src/ui/server.ts)
 * is an export of src/main.ts, which the build turns into a top-level function. Renaming an
 * entry point without its trigger or menu item fails `npm run typecheck`.
 */
import { MENU_HANDLERS, TRIGGER_HANDLERS } from './app/trigger-handlers';
import type * as Main from './main';
import { SIDEBAR_FUNCTIONS } from './ui/server';

/** Every name the platform calls by: the platform's own, the triggers', the menu's and the sidebars'. */
export const CALLED_BY_NAME = [
  'onOpen',
  'onInstall',
  'doPost',
  ...TRIGGER_HANDLERS,
  ...MENU_HANDLERS,
  ...SIDEBAR_FUNCTIONS,
] as const satisfies readonly (keyof typeof Main)[];

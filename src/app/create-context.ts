/**
 * Builds the context of one execution. Apart from context.ts (types only), so that what the
 * context's ports are wrapped with (account.ts) may take the context's type without a circle.
 */
import { localeFrom, t } from '../core/messages';
import { sandboxRouted } from './account';
import type { AppContext } from './context';
import type { Ports } from './ports';
import { Store } from './store';

export function createContext(ports: Ports, kinds: AppContext['kinds']): AppContext {
  const store = new Store(ports.documentStore, ports.userStore);
  const settings = store.settings();
  const locale = settings.language === 'auto' ? localeFrom(ports.session.userLocale() || ports.spreadsheet.locale()) : settings.language;
  const ctx: AppContext = {
    ports,
    store,
    settings,
    locale,
    user: ports.session.user(),
    userKey: ports.session.userKey(),
    kinds,
    startedAt: ports.clock.now(),
    say: (key, params) => t(locale, key, params),
  };
  // Sandbox calls go to whichever of Mayar's two sandbox hosts accepts the key.
  ctx.ports = { ...ports, http: sandboxRouted(ctx, ports.http) };
  return ctx;
}

/** Who is running the add-on, over Session, and the web app's address. */
import type { SessionPort } from '../app/ports';

export function sessionPort(): SessionPort {
  return {
    // The email is only for display: "" for a consumer account in someone else's document and
    // in web apps that run as the deployer. Identity comes from userKey().
    user: () => {
      try {
        return Session.getActiveUser().getEmail() || Session.getEffectiveUser().getEmail() || 'unknown user';
      } catch {
        return 'unknown user';
      }
    },
    userKey: () => {
      try {
        return Session.getTemporaryActiveUserKey() || '';
      } catch {
        return '';
      }
    },
    userLocale: () => Session.getActiveUserLocale(),
    webAppUrl() {
      try {
        return ScriptApp.getService().getUrl() || null;
      } catch {
        return null;
      }
    },
  };
}

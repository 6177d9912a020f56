/** Email to customers over MailApp. */
import type { MailPort } from '../app/ports';

/** MailApp's daily-quota error: "Service invoked too many times for one day: email." */
const QUOTA_ERROR = /too many times for one day: email/i;

export function mailPort(): MailPort {
  return {
    remainingDailyQuota: () => MailApp.getRemainingDailyQuota(),
    send(email) {
      try {
        // https://developers.google.com/apps-script/reference/mail/mail-app#sendEmail(Object)
        MailApp.sendEmail({
          to: email.to,
          subject: email.subject,
          body: email.text,
          htmlBody: email.html,
          ...(email.name ? { name: email.name } : {}),
          ...(email.replyTo ? { replyTo: email.replyTo } : {}),
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { sent: false, overQuota: QUOTA_ERROR.test(message), error: message };
      }
      return { sent: true };
    },
  };
}

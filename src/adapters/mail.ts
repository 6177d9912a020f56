/** Email to customers over MailApp. */
import type { MailPort } from '../app/ports';

export function mailPort(): MailPort {
  return {
    remainingDailyQuota: () => MailApp.getRemainingDailyQuota(),
    send(email) {
      // https://developers.google.com/apps-script/reference/mail/mail-app#sendEmail(Object)
      MailApp.sendEmail({
        to: email.to,
        subject: email.subject,
        body: email.text,
        htmlBody: email.html,
        ...(email.name ? { name: email.name } : {}),
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
      });
    },
  };
}

/**
 * The entry points (src/main.ts) Apps Script calls by name, other than the sidebars' (those are
 * in src/ui/server.ts): triggers and menu items. src/entry-names.ts checks every name here
 * against main.ts's exports, so renaming an entry point without its trigger or menu item fails
 * the type check. schedule.ts decides when each trigger exists.
 */

/** The one-off continuation of a run in a bound script. */
export const CONTINUE_HANDLER = 'processNextBatch';
/** The hourly trigger: reminders, thank-you emails, the automatic refresh; in an add-on, runs too. */
export const HOURLY_HANDLER = 'hourlyTick';
/** The one-off trigger that confirms webhooks kept for later. */
export const INBOX_HANDLER = 'processWebhookInbox';
/** Hourly handlers of earlier versions: replaced by hourlyTick wherever they are found. */
export const RETIRED_HOURLY_HANDLERS = ['autoRefreshStatus', 'sendReminders'] as const;
/** The onFormSubmit trigger of the spreadsheet: bills each new form response (Settings → bill form responses). */
export const FORM_HANDLER = 'onFormResponse';
/** A bound script's one-off look at form responses kept while another run held the slot. */
export const FORM_INBOX_HANDLER = 'processFormResponses';

/** Every handler a trigger may name, today's and earlier versions'. */
export const TRIGGER_HANDLERS = [CONTINUE_HANDLER, HOURLY_HANDLER, INBOX_HANDLER, FORM_HANDLER, FORM_INBOX_HANDLER, ...RETIRED_HOURLY_HANDLERS] as const;

/** The functions the Mayar menu's items call (onOpen builds the menu). */
export const MENU_HANDLERS = [
  'createPaymentLinks',
  'createPaymentLinksForSelection',
  'showProgress',
  'refreshPaymentStatus',
  'updateSummary',
  'closeSelectedPaymentLinks',
  'renewExpiredLinks',
  'billNextPeriod',
  'sendPaymentLinksByEmail',
  'showWhatsApp',
  'setUpSheet',
  'checkRows',
  'showSettings',
  'showDiagnostics',
] as const;

export type MenuHandler = (typeof MENU_HANDLERS)[number];

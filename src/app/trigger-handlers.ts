/** The entry points (src/main.ts) that triggers call; schedule.ts decides when each exists. */

/** The one-off continuation of a run in a bound script. */
export const CONTINUE_HANDLER = 'processNextBatch';
/** The hourly trigger: reminders, thank-you emails, the automatic refresh; in an add-on, runs too. */
export const HOURLY_HANDLER = 'hourlyTick';
/** Hourly handlers of earlier versions: replaced by hourlyTick wherever they are found. */
export const RETIRED_HOURLY_HANDLERS = ['autoRefreshStatus', 'sendReminders'] as const;
/** The onFormSubmit trigger of the spreadsheet: bills each new form response (Settings → bill form responses). */
export const FORM_HANDLER = 'onFormResponse';
/** A bound script's one-off look at form responses kept while another run held the slot. */
export const FORM_INBOX_HANDLER = 'processFormResponses';

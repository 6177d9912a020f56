/**
 * How the script is installed (add-on or bound), and what depends on it: the lock that keeps
 * executions apart, the triggers, and the probe that diagnostics reads. ScriptApp and
 * LockService.
 */
import type { LockPort, PlatformProbe, TriggerPort } from '../app/ports';

declare global {
  // A declaration merged into the Apps Script types, which are namespaces themselves.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace GoogleAppsScript.Script {
    /** Newer than the type definitions: https://developers.google.com/apps-script/reference/script/authorization-info#getAuthorizedScopes() */
    interface AuthorizationInfo {
      getAuthorizedScopes?(): string[];
    }
  }
}

/** Whether the script runs as an add-on; `whenUnknown` where Apps Script refuses the question. */
export function isAddOn(whenUnknown: boolean): boolean {
  try {
    return ScriptApp.getInstallationSource() !== ScriptApp.InstallationSource.NONE;
  } catch {
    return whenUnknown;
  }
}

// Never let the question stop a command: a bound script is the safer guess for locks and triggers.
const BOUND_WHEN_UNKNOWN = false;

/**
 * A bound script serves one spreadsheet, so its script lock is that document's lock, and it
 * exists in the web app too (getDocumentLock() is null there): the webhook and the batches
 * exclude each other. An add-on's script lock would be shared by every document using it:
 * there, the document lock (and the script lock only where no document lock exists).
 */
export function lockPort(): LockPort {
  const lock = (isAddOn(BOUND_WHEN_UNKNOWN) ? LockService.getDocumentLock() : null) ?? LockService.getScriptLock();
  return {
    tryLock: (ms) => lock.tryLock(ms),
    release() {
      if (lock && lock.hasLock()) lock.releaseLock();
    },
  };
}

export function triggerPort(): TriggerPort {
  const addOn = isAddOn(BOUND_WHEN_UNKNOWN);
  // In an add-on, getProjectTriggers() also lists this user's triggers in other documents.
  const all = () => (addOn ? ScriptApp.getUserTriggers(SpreadsheetApp.getActiveSpreadsheet()) : ScriptApp.getProjectTriggers());
  const mine = (handler: string) => all().filter((t) => t.getHandlerFunction() === handler);
  return {
    addOn,
    scheduleOnce(handler, afterMs) {
      // The new one first: an execution that dies in between leaves two triggers, never none.
      const old = mine(handler);
      ScriptApp.newTrigger(handler)
        .timeBased()
        .after(Math.max(1000, Math.round(afterMs)))
        .create();
      for (const trigger of old) ScriptApp.deleteTrigger(trigger);
    },
    cancel(...handlers) {
      // One listing for all of them: each getProjectTriggers() is a call to Google.
      for (const trigger of all()) if (handlers.includes(trigger.getHandlerFunction())) ScriptApp.deleteTrigger(trigger);
    },
    ensureHourly(handler) {
      if (mine(handler).length === 0) ScriptApp.newTrigger(handler).timeBased().everyHours(1).create();
    },
    exists(handler) {
      return mine(handler).length > 0;
    },
    ensureFormSubmit(handler) {
      if (mine(handler).length === 0) ScriptApp.newTrigger(handler).forSpreadsheet(SpreadsheetApp.getActiveSpreadsheet()).onFormSubmit().create();
    },
  };
}

/** Tries a lock without waiting and gives it back at once. */
function lockFree(lock: GoogleAppsScript.Lock.Lock): boolean {
  if (!lock.tryLock(0)) return false;
  lock.releaseLock();
  return true;
}

export function platformProbe(): PlatformProbe {
  return {
    authorization() {
      const info = ScriptApp.getAuthorizationInfo(ScriptApp.AuthMode.FULL);
      return {
        required: info.getAuthorizationStatus() === ScriptApp.AuthorizationStatus.REQUIRED,
        // Newer than the type definitions: https://developers.google.com/apps-script/reference/script/authorization-info#getAuthorizedScopes()
        scopes: info.getAuthorizedScopes?.() ?? [],
      };
    },
    installationSource: () => String(ScriptApp.getInstallationSource()),
    documentTriggers: () => ScriptApp.getUserTriggers(SpreadsheetApp.getActiveSpreadsheet()).map((t) => t.getHandlerFunction()),
    documentLockFree() {
      const lock = LockService.getDocumentLock();
      return lock ? lockFree(lock) : null;
    },
    scriptLockFree: () => lockFree(LockService.getScriptLock()),
  };
}

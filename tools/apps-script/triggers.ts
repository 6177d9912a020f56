/**
 * ScriptApp: installable time-driven and form-submit triggers (per user, at most 20), the web app URL, enums,
 * the installation source, authorization info, and the stricter trigger rules of add-ons.
 */
import { AuthMode, AuthorizationStatus, EventType, InstallationSource, TriggerSource } from './enums';
import { type Exec, isDateValue } from './execution';
import { hasScope } from './scopes';
import { spreadsheetIdOf } from './spreadsheet-service';

// https://developers.google.com/apps-script/guides/services/quotas ("Triggers: 20 / user / script")
export const MAX_TRIGGERS_PER_USER = 20;
export const TOO_MANY_TRIGGERS = 'This script has too many triggers. Triggers must be deleted from the script before more can be added.';
// Editor add-ons: "Each add-on can only have one trigger of each type, per user, per document"
// and "Time-driven triggers cannot run more frequently than once per hour."
// https://developers.google.com/workspace/add-ons/concepts/editor-triggers#restrictions
export const ADDON_ONE_TRIGGER_PER_DOCUMENT = 'Each add-on can only have one trigger of each type, per user, per document.';
export const ADDON_HOURLY_ONLY = 'Time-driven triggers cannot run more frequently than once per hour.';
/** Apps Script's answer when a service fails for a moment. */
export const SERVER_ERROR_MESSAGE = "We're sorry, a server error occurred. Please wait a bit and try again.";

export type Installation = 'bound' | 'addon';
export type AddonSource = 'WEB_STORE_ADD_ON' | 'APPS_MARKETPLACE_DOMAIN_ADD_ON';

export type TriggerSchedule = 'after' | 'at' | 'everyMinutes' | 'everyHours' | 'everyDays' | 'formSubmit';

export interface FakeTrigger {
  id: string;
  handler: string;
  /** The user who created it; it runs as them and only they see it in getProjectTriggers(). */
  owner: string;
  schedule: TriggerSchedule;
  /** When it fires next (virtual ms). */
  nextAt: number;
  /** Recurring triggers only. */
  intervalMs: number | null;
  createdAt: number;
  /** The document the trigger belongs to (an add-on's triggers of other documents never fire here). */
  documentId: string;
}

export class TriggerStore {
  readonly list: FakeTrigger[] = [];
  private nextId = 1;

  newId(): string {
    // Apps Script ids are long digit strings.
    return String(4711000000 + this.nextId++);
  }

  ofUser(user: string): FakeTrigger[] {
    return this.list.filter((t) => t.owner === user);
  }

  ofUserInDocument(user: string, documentId: string): FakeTrigger[] {
    return this.list.filter((t) => t.owner === user && t.documentId === documentId);
  }

  remove(id: string): void {
    const index = this.list.findIndex((t) => t.id === id);
    if (index >= 0) this.list.splice(index, 1);
  }

  /** The next time-driven trigger of `documentId` due, earliest first, then in creation order. */
  next(documentId: string): FakeTrigger | null {
    let best: FakeTrigger | null = null;
    for (const t of this.list) if (t.documentId === documentId && t.schedule !== 'formSubmit' && (!best || t.nextAt < best.nextAt)) best = t;
    return best;
  }

  /** The form-submit triggers of `documentId`, in creation order. */
  formSubmit(documentId: string): FakeTrigger[] {
    return this.list.filter((t) => t.documentId === documentId && t.schedule === 'formSubmit');
  }
}

const SCRIPT_ID = '1MayarSheetsFakeScriptId00000000000000000000000000000';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const triggerIds = new WeakMap<TriggerHandle, string>();

export class TriggerHandle {
  readonly #trigger: FakeTrigger;

  constructor(trigger: FakeTrigger) {
    this.#trigger = trigger;
    triggerIds.set(this, trigger.id);
  }

  getUniqueId(): string {
    return this.#trigger.id;
  }

  getHandlerFunction(): string {
    return this.#trigger.handler;
  }

  getEventType(): unknown {
    return this.#trigger.schedule === 'formSubmit' ? EventType.ON_FORM_SUBMIT : EventType.CLOCK;
  }

  getTriggerSource(): unknown {
    return this.#trigger.schedule === 'formSubmit' ? TriggerSource.SPREADSHEETS : TriggerSource.CLOCK;
  }

  /** The spreadsheet's id for a spreadsheet trigger, null for a clock trigger. */
  getTriggerSourceId(): string | null {
    return this.#trigger.schedule === 'formSubmit' ? this.#trigger.documentId : null;
  }
}

export interface ScriptAppEnv {
  exec: Exec;
  store: TriggerStore;
  webAppUrl: string | null;
  installation: Installation;
  addonSource: AddonSource;
  documentId: string;
  /** The manifest's oauthScopes (null: none listed). */
  manifestScopes: readonly string[] | null;
  /** How much later than asked a new time-based trigger fires (Apps Script is never early). */
  lateness: () => number;
  /** A pending transient failure of the next create(), or null. */
  takeCreateFailure: () => string | null;
}

class ClockTriggerBuilder {
  readonly #env: ScriptAppEnv;
  readonly #handler: string;
  #schedule: { kind: TriggerSchedule; firstAt: number; intervalMs: number | null } | null = null;

  constructor(env: ScriptAppEnv, handler: string) {
    this.#env = env;
    this.#handler = handler;
  }

  #number(value: unknown, method: string): number {
    const n = Number(value);
    if (typeof value !== 'number' || !Number.isFinite(n)) throw this.#env.exec.signatureError(`ClockTriggerBuilder.${method}`, [value]);
    return n;
  }

  /** Add-ons may only use time-driven triggers at most hourly. */
  #hourlyInAddon(intervalMs: number): void {
    if (this.#env.installation === 'addon' && intervalMs < HOUR) throw this.#env.exec.error(ADDON_HOURLY_ONLY);
  }

  after(durationMilliseconds: unknown): ClockTriggerBuilder {
    const ms = Math.max(0, Math.ceil(this.#number(durationMilliseconds, 'after')));
    this.#hourlyInAddon(ms);
    this.#schedule = { kind: 'after', firstAt: this.#env.exec.now() + ms, intervalMs: null };
    return this;
  }

  at(date: unknown): ClockTriggerBuilder {
    if (!isDateValue(date)) throw this.#env.exec.signatureError('ClockTriggerBuilder.at', [date]);
    this.#schedule = { kind: 'at', firstAt: Math.ceil(date.getTime()), intervalMs: null };
    return this;
  }

  everyMinutes(n: unknown): ClockTriggerBuilder {
    const minutes = this.#number(n, 'everyMinutes');
    if (![1, 5, 10, 15, 30].includes(minutes)) throw this.#env.exec.error('The value passed to everyMinutes must be one of 1, 5, 10, 15 or 30.');
    this.#hourlyInAddon(minutes * MINUTE);
    this.#schedule = { kind: 'everyMinutes', firstAt: this.#env.exec.now() + minutes * MINUTE, intervalMs: minutes * MINUTE };
    return this;
  }

  everyHours(n: unknown): ClockTriggerBuilder {
    const hours = this.#number(n, 'everyHours');
    if (![1, 2, 4, 6, 8, 12].includes(hours)) throw this.#env.exec.error('The value passed to everyHours must be one of 1, 2, 4, 6, 8 or 12.');
    this.#schedule = { kind: 'everyHours', firstAt: this.#env.exec.now() + hours * HOUR, intervalMs: hours * HOUR };
    return this;
  }

  everyDays(n: unknown): ClockTriggerBuilder {
    const days = this.#number(n, 'everyDays');
    if (!Number.isInteger(days) || days < 1) throw this.#env.exec.error('The value passed to everyDays must be a positive integer.');
    this.#schedule = { kind: 'everyDays', firstAt: this.#env.exec.now() + days * 24 * HOUR, intervalMs: days * 24 * HOUR };
    return this;
  }

  create(): TriggerHandle {
    const env = this.#env;
    const { exec, store } = env;
    return exec.call('ClockTriggerBuilder.create', exec.costs.triggerMs, () => {
      const schedule = this.#schedule;
      if (!schedule) throw exec.error('A clock trigger needs a schedule: call after, at, everyMinutes, everyHours or everyDays before create.');
      const failure = env.takeCreateFailure();
      if (failure !== null) throw exec.error(failure);
      if (store.ofUser(exec.user).length >= MAX_TRIGGERS_PER_USER) throw exec.error(TOO_MANY_TRIGGERS);
      if (env.installation === 'addon' && store.ofUserInDocument(exec.user, env.documentId).some((t) => t.schedule !== 'formSubmit'))
        throw exec.error(ADDON_ONE_TRIGGER_PER_DOCUMENT);
      const trigger: FakeTrigger = {
        id: store.newId(),
        handler: this.#handler,
        owner: exec.user,
        schedule: schedule.kind,
        nextAt: schedule.firstAt + exec.costs.triggerDelayMs + Math.max(0, Math.round(env.lateness())),
        intervalMs: schedule.intervalMs,
        createdAt: exec.now(),
        documentId: env.documentId,
      };
      store.list.push(trigger);
      return new TriggerHandle(trigger);
    });
  }
}

class TriggerBuilder {
  readonly #env: ScriptAppEnv;
  readonly #handler: string;

  constructor(env: ScriptAppEnv, handler: string) {
    this.#env = env;
    this.#handler = handler;
  }

  timeBased(): ClockTriggerBuilder {
    return new ClockTriggerBuilder(this.#env, this.#handler);
  }

  /** https://developers.google.com/apps-script/reference/script/trigger-builder#forSpreadsheet(Spreadsheet) (a Spreadsheet or its id). */
  forSpreadsheet(sheet: unknown): SpreadsheetTriggerBuilder {
    const id = typeof sheet === 'string' ? sheet : spreadsheetIdOf(sheet);
    if (id === null) throw this.#env.exec.signatureError('TriggerBuilder.forSpreadsheet', [sheet]);
    return new SpreadsheetTriggerBuilder(this.#env, this.#handler, id);
  }
}

/**
 * https://developers.google.com/apps-script/reference/script/spreadsheet-trigger-builder: only
 * onFormSubmit() is modelled. The trigger runs as its creator when a form linked to the
 * spreadsheet gets a response (GasRuntime.submitForm), with the event object of
 * https://developers.google.com/apps-script/guides/triggers/events#form-submit.
 */
class SpreadsheetTriggerBuilder {
  #formSubmit = false;

  constructor(
    private readonly env: ScriptAppEnv,
    private readonly handler: string,
    private readonly documentId: string,
  ) {}

  onFormSubmit(): SpreadsheetTriggerBuilder {
    this.#formSubmit = true;
    return this;
  }

  create(): TriggerHandle {
    const { exec, store } = this.env;
    return exec.call('SpreadsheetTriggerBuilder.create', exec.costs.triggerMs, () => {
      if (!this.#formSubmit) throw exec.error('A spreadsheet trigger needs an event: call onFormSubmit before create.');
      const failure = this.env.takeCreateFailure();
      if (failure !== null) throw exec.error(failure);
      if (store.ofUser(exec.user).length >= MAX_TRIGGERS_PER_USER) throw exec.error(TOO_MANY_TRIGGERS);
      // Editor add-ons: one trigger of each type per user per document.
      if (this.env.installation === 'addon' && store.ofUserInDocument(exec.user, this.documentId).some((t) => t.schedule === 'formSubmit'))
        throw exec.error(ADDON_ONE_TRIGGER_PER_DOCUMENT);
      const trigger: FakeTrigger = {
        id: store.newId(),
        handler: this.handler,
        owner: exec.user,
        schedule: 'formSubmit',
        nextAt: Number.POSITIVE_INFINITY,
        intervalMs: null,
        createdAt: exec.now(),
        documentId: this.documentId,
      };
      store.list.push(trigger);
      return new TriggerHandle(trigger);
    });
  }
}

class ServiceHandle {
  readonly #url: string | null;

  constructor(url: string | null) {
    this.#url = url;
  }

  getUrl(): string | null {
    return this.#url;
  }

  isEnabled(): boolean {
    return this.#url !== null;
  }
}

class AuthorizationInfoFake {
  readonly #status: unknown;
  readonly #scopes: string[];
  readonly #url: string | null;

  constructor(status: unknown, scopes: string[], url: string | null) {
    this.#status = status;
    this.#scopes = scopes;
    this.#url = url;
  }

  getAuthorizationStatus(): unknown {
    return this.#status;
  }

  getAuthorizedScopes(): string[] {
    return [...this.#scopes];
  }

  getAuthorizationUrl(): string | null {
    return this.#url;
  }
}

export class ScriptAppFake {
  readonly AuthMode = AuthMode;
  readonly AuthorizationStatus = AuthorizationStatus;
  readonly EventType = EventType;
  readonly InstallationSource = InstallationSource;
  readonly TriggerSource = TriggerSource;
  readonly #env: ScriptAppEnv;

  constructor(env: ScriptAppEnv) {
    this.#env = env;
  }

  newTrigger(functionName: unknown): TriggerBuilder {
    return this.#env.exec.call('ScriptApp.newTrigger', 0, () => {
      if (typeof functionName !== 'string') throw this.#env.exec.signatureError('ScriptApp.newTrigger', [functionName]);
      return new TriggerBuilder(this.#env, functionName);
    });
  }

  /**
   * The user's triggers of this project. In an add-on that is every document's: "this method
   * returns the triggers of the add-on for the current user across all documents"
   * (https://developers.google.com/apps-script/reference/script/script-app#getProjectTriggers()).
   */
  getProjectTriggers(): TriggerHandle[] {
    const { exec, store } = this.#env;
    return exec.call('ScriptApp.getProjectTriggers', exec.costs.triggerMs, () => {
      const mine = this.#env.installation === 'addon' ? store.ofUser(exec.user) : store.ofUserInDocument(exec.user, this.#env.documentId);
      return exec.guestArray(mine.map((t) => new TriggerHandle(t)));
    });
  }

  /** The user's triggers in one document only. https://developers.google.com/apps-script/reference/script/script-app#getUserTriggers(Spreadsheet) */
  getUserTriggers(document: unknown): TriggerHandle[] {
    const { exec, store } = this.#env;
    return exec.call('ScriptApp.getUserTriggers', exec.costs.triggerMs, () => {
      const id = spreadsheetIdOf(document);
      if (id === null) throw exec.signatureError('ScriptApp.getUserTriggers', [document]);
      return exec.guestArray(store.ofUserInDocument(exec.user, id).map((t) => new TriggerHandle(t)));
    });
  }

  /** https://developers.google.com/apps-script/reference/script/script-app#getInstallationSource() */
  getInstallationSource(): unknown {
    return this.#env.exec.call('ScriptApp.getInstallationSource', 0, () =>
      this.#env.installation === 'addon' ? InstallationSource[this.#env.addonSource] : InstallationSource.NONE,
    );
  }

  /**
   * https://developers.google.com/apps-script/reference/script/script-app#getAuthorizationInfo(AuthMode)
   * REQUIRED while a scope the manifest asks for is not granted (e.g. refused on the consent screen).
   */
  getAuthorizationInfo(authMode: unknown): AuthorizationInfoFake {
    const { exec } = this.#env;
    return exec.call('ScriptApp.getAuthorizationInfo', 0, () => {
      if (authMode === undefined) throw exec.signatureError('ScriptApp.getAuthorizationInfo', [authMode]);
      const wanted = this.#env.manifestScopes ?? [];
      const granted = wanted.filter((s) => hasScope(exec.rules.scopes, s));
      const required = granted.length < wanted.length;
      const url = required ? `https://script.google.com/macros/d/${SCRIPT_ID}/authorize` : null;
      return new AuthorizationInfoFake(required ? AuthorizationStatus.REQUIRED : AuthorizationStatus.NOT_REQUIRED, exec.guestArray(granted), url);
    });
  }

  deleteTrigger(trigger: unknown): void {
    const { exec, store } = this.#env;
    exec.call('ScriptApp.deleteTrigger', exec.costs.triggerMs, () => {
      const id = trigger instanceof TriggerHandle ? triggerIds.get(trigger) : undefined;
      if (id === undefined) throw exec.signatureError('ScriptApp.deleteTrigger', [trigger]);
      // A user can only delete their own triggers.
      if (store.ofUser(exec.user).some((t) => t.id === id)) store.remove(id);
    });
  }

  getService(): ServiceHandle {
    return this.#env.exec.call('ScriptApp.getService', 0, () => new ServiceHandle(this.#env.webAppUrl));
  }

  getScriptId(): string {
    return this.#env.exec.call('ScriptApp.getScriptId', 0, () => SCRIPT_ID);
  }
}

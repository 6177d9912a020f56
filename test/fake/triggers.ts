/** ScriptApp: installable time-driven triggers (per user, at most 20), the web app URL, enums. */
import { AuthMode, EventType, TriggerSource } from './enums';
import { type Exec, isDateValue } from './execution';

export const MAX_TRIGGERS_PER_USER = 20;
export const TOO_MANY_TRIGGERS = 'This script has too many triggers. Triggers must be deleted from the script before more can be added.';

export type TriggerSchedule = 'after' | 'at' | 'everyMinutes' | 'everyHours' | 'everyDays';

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

  remove(id: string): void {
    const index = this.list.findIndex((t) => t.id === id);
    if (index >= 0) this.list.splice(index, 1);
  }

  /** The next trigger due, earliest first, then in creation order. */
  next(): FakeTrigger | null {
    let best: FakeTrigger | null = null;
    for (const t of this.list) if (!best || t.nextAt < best.nextAt) best = t;
    return best;
  }
}

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
    return EventType.CLOCK;
  }

  getTriggerSource(): unknown {
    return TriggerSource.CLOCK;
  }

  getTriggerSourceId(): null {
    return null;
  }
}

interface ScriptAppEnv {
  exec: Exec;
  store: TriggerStore;
  webAppUrl: string | null;
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

  after(durationMilliseconds: unknown): ClockTriggerBuilder {
    const ms = Math.max(0, Math.ceil(this.#number(durationMilliseconds, 'after')));
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
    const { exec, store } = this.#env;
    return exec.call('ClockTriggerBuilder.create', exec.costs.triggerMs, () => {
      const schedule = this.#schedule;
      if (!schedule) throw exec.error('A clock trigger needs a schedule: call after, at, everyMinutes, everyHours or everyDays before create.');
      if (store.ofUser(exec.user).length >= MAX_TRIGGERS_PER_USER) throw exec.error(TOO_MANY_TRIGGERS);
      const trigger: FakeTrigger = {
        id: store.newId(),
        handler: this.#handler,
        owner: exec.user,
        schedule: schedule.kind,
        nextAt: schedule.firstAt + exec.costs.triggerDelayMs,
        intervalMs: schedule.intervalMs,
        createdAt: exec.now(),
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

export class ScriptAppFake {
  readonly AuthMode = AuthMode;
  readonly EventType = EventType;
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

  getProjectTriggers(): TriggerHandle[] {
    const { exec, store } = this.#env;
    return exec.call('ScriptApp.getProjectTriggers', exec.costs.triggerMs, () => exec.guestArray(store.ofUser(exec.user).map((t) => new TriggerHandle(t))));
  }

  deleteTrigger(trigger: unknown): void {
    const { exec, store } = this.#env;
    exec.call('ScriptApp.deleteTrigger', exec.costs.triggerMs, () => {
      const id = trigger instanceof TriggerHandle ? triggerIds.get(trigger) : undefined;
      if (id === undefined) throw exec.signatureError('ScriptApp.deleteTrigger', [trigger]);
      // A user can only delete triggers they can see.
      if (store.ofUser(exec.user).some((t) => t.id === id)) store.remove(id);
    });
  }

  getService(): ServiceHandle {
    return this.#env.exec.call('ScriptApp.getService', 0, () => new ServiceHandle(this.#env.webAppUrl));
  }

  getScriptId(): string {
    return this.#env.exec.call('ScriptApp.getScriptId', 0, () => '1MayarSheetsFakeScriptId00000000000000000000000000000');
  }
}

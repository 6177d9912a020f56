/**
 * One Apps Script execution: its virtual elapsed time, the service calls it makes, the 6-minute
 * limit and test-requested kills, and the conversions between the host realm (the fakes) and the
 * guest realm (the vm context the bundle runs in).
 */
import type { VirtualClock } from './clock';
import type { ServiceCosts } from './costs';
import { type ScopeGrant, scopeRefusal } from './scopes';

export type ExecutionKind = 'user' | 'trigger' | 'webapp';
export type AuthModeName = 'NONE' | 'LIMITED' | 'FULL';
/**
 * What started an execution. 'menu', 'sidebar' (google.script.run) and 'editor' have the UI
 * (kind 'user'); 'simple-trigger' is onOpen; 'trigger' an installable trigger; 'webapp' doPost/doGet.
 */
export type ExecutionContext = 'menu' | 'sidebar' | 'editor' | 'simple-trigger' | 'trigger' | 'webapp';

export function kindOf(context: ExecutionContext): ExecutionKind {
  return context === 'trigger' ? 'trigger' : context === 'webapp' ? 'webapp' : 'user';
}

/** The platform rules one execution runs under. */
export interface ExecRules {
  context: ExecutionContext;
  scopes: ScopeGrant;
  /** The person behind the execution, even when their email is hidden ('' when anonymous). */
  person: string;
  /** False for a web app or a standalone script: no document, so no document lock. */
  hasContainer: boolean;
}

const DEFAULT_RULES: ExecRules = { context: 'menu', scopes: { granted: null, refused: new Set() }, person: '', hasContainer: true };

export interface KillSpec {
  /** 1-based index of the service call at which the execution dies. */
  atCall: number;
  /** 'before' (default): the call has no effect. 'after': it takes effect, then the execution dies. */
  phase?: 'before' | 'after';
}

export interface RunOptions {
  user?: string;
  kill?: KillSpec;
  /** Run as a time-driven trigger would: no UI, first sheet active. Same as context 'trigger'. */
  trigger?: boolean;
  /**
   * What starts the execution. Default 'menu' ('trigger' when `trigger` is set). 'webapp' runs
   * as the manifest's webapp.executeAs says: USER_DEPLOYING runs as the owner for an anonymous caller.
   */
  context?: ExecutionContext;
  /** Scopes this user refused on the granular consent screen, for this execution only. */
  refusedScopes?: string[];
  userLocale?: string;
  authMode?: AuthModeName;
}

export interface Execution {
  fn: string;
  user: string;
  value?: unknown;
  error?: Error;
  killed: boolean;
  startedAt: number;
  elapsedMs: number;
  /** Service calls by method, e.g. 'Range.getValues'. */
  calls: Record<string, number>;
  fetchRequests: number;
  /** Sequence number of the execution in this runtime, from 1. */
  index: number;
  kind: ExecutionKind;
  context: ExecutionContext;
  /** Every service call in order; callLog[n - 1] is the call `kill: { atCall: n }` targets. */
  callLog: string[];
  /** Lines written with Logger.log and console.*. */
  logs: string[];
  /** Sheet cells written and never applied: the execution was killed before a flush, a read or its end. */
  lostWrites: number;
}

export interface RuntimeStats {
  executions: number;
  runtimeMs: number;
  calls: Record<string, number>;
  sheetCalls: number;
  urlFetchCalls: number;
  urlFetchRequests: number;
  triggersFired: number;
  triggerRuntimeMs: number;
  sleepCalls: number;
  sleepMs: number;
  killed: number;
  failed: number;
}

export function emptyStats(): RuntimeStats {
  return {
    executions: 0,
    runtimeMs: 0,
    calls: {},
    sheetCalls: 0,
    urlFetchCalls: 0,
    urlFetchRequests: 0,
    triggersFired: 0,
    triggerRuntimeMs: 0,
    sleepCalls: 0,
    sleepMs: 0,
    killed: 0,
    failed: 0,
  };
}

/** Constructors of the vm context: values handed to the bundle must come from its own realm. */
export interface GuestIntrinsics {
  Array: ArrayConstructor;
  Object: ObjectConstructor;
  Date: DateConstructor;
  Error: ErrorConstructor;
}

export interface ExecHost {
  clock: VirtualClock;
  costs: ServiceCosts;
  stats: RuntimeStats;
}

export const TIMEOUT_MESSAGE = 'Exceeded maximum execution time';

const SHEET_SERVICES = ['SpreadsheetApp.', 'Spreadsheet.', 'Sheet.', 'Range.', 'RangeList.'];
/** What onOpen may call in AuthMode.NONE: building menus and nothing else. */
const ALLOWED_WITHOUT_AUTH = ['SpreadsheetApp.getUi', 'Ui.', 'Menu.', 'Session.getActiveUserLocale'];

function isPlainRecord(value: object, prototypes: readonly unknown[]): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || prototypes.includes(proto);
}

export function isDateValue(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

export class Exec {
  guest: GuestIntrinsics | null = null;
  readonly startedAt: number;
  readonly calls: Record<string, number> = {};
  readonly callLog: string[] = [];
  readonly logs: string[] = [];
  fetchRequests = 0;
  private deathError: Error | null = null;
  private deathMessage: string | null = null;
  private ended = false;

  constructor(
    private readonly host: ExecHost,
    readonly index: number,
    readonly fn: string,
    /** Whose execution it is (effective user): user properties, triggers and user lock. */
    readonly user: string,
    /** Session.getActiveUser(): '' for an anonymous web-app request. */
    readonly activeUser: string,
    readonly kind: ExecutionKind,
    readonly authMode: AuthModeName,
    readonly userLocale: string,
    private readonly kill: KillSpec | undefined,
    /** 6 minutes; 30 s for simple triggers such as onOpen. */
    readonly limitMs: number,
    readonly rules: ExecRules = DEFAULT_RULES,
  ) {
    this.startedAt = host.clock.now();
  }

  /** Owner name under which this execution holds locks. */
  get lockOwner(): string {
    return `execution #${this.index} (${this.fn})`;
  }

  get elapsedMs(): number {
    return this.host.clock.now() - this.startedAt;
  }

  get dead(): boolean {
    return this.deathMessage !== null;
  }

  get deathReason(): string | null {
    return this.deathMessage;
  }

  get costs(): ServiceCosts {
    return this.host.costs;
  }

  now(): number {
    return this.host.clock.now();
  }

  end(): void {
    this.ended = true;
  }

  /**
   * Runs one service call. A fixed cost is charged before the effect, so a call that would cross
   * the time limit never takes effect. A cost computed from the result (UrlFetch) is charged
   * after it: the request reached the server, and the execution may die waiting for the answer.
   */
  call<T>(name: string, cost: number | ((result: T) => number), effect: () => T): T {
    if (this.ended) throw new Error(`${name} called after execution #${this.index} (${this.fn}) ended`);
    this.assertAlive();
    if (this.authMode === 'NONE' && !ALLOWED_WITHOUT_AUTH.some((p) => name.startsWith(p)))
      throw this.error(`You do not have permission to call ${name}. Required permissions are not granted in AuthMode.NONE`);
    const refusal = scopeRefusal(this.rules.scopes, name);
    if (refusal !== null) throw this.error(refusal);
    const n = this.callLog.length + 1;
    this.callLog.push(name);
    this.calls[name] = (this.calls[name] ?? 0) + 1;
    const stats = this.host.stats;
    stats.calls[name] = (stats.calls[name] ?? 0) + 1;
    if (SHEET_SERVICES.some((p) => name.startsWith(p))) stats.sheetCalls++;
    const killHere = this.kill !== undefined && this.kill.atCall === n;
    const killPhase = this.kill?.phase ?? 'before';
    if (killHere && killPhase === 'before') this.die(`Execution killed before service call ${n} (${name})`);

    if (typeof cost === 'number') {
      if (this.elapsedMs + cost > this.limitMs) this.spend(cost);
      let result: T;
      try {
        result = effect();
      } catch (error) {
        this.spend(cost);
        if (killHere) this.die(`Execution killed after service call ${n} (${name})`);
        throw error;
      }
      this.spend(cost);
      if (killHere) this.die(`Execution killed after service call ${n} (${name})`);
      return result;
    }
    const result = effect();
    this.spend(Math.max(0, cost(result)));
    if (killHere) this.die(`Execution killed after service call ${n} (${name})`);
    return result;
  }

  /**
   * Spends virtual time inside a call (costs, lock waits, sleeps). Apps Script stops the execution
   * the moment it reaches the limit, so the clock never runs past it.
   */
  spend(duration: number): void {
    const ms = Math.ceil(duration);
    const remaining = this.limitMs - this.elapsedMs;
    if (ms > remaining) {
      this.host.clock.advance(Math.max(0, remaining));
      this.die(TIMEOUT_MESSAGE);
    }
    this.host.clock.advance(ms);
  }

  assertAlive(): void {
    if (this.deathError) throw this.deathError;
  }

  /** Marks the execution dead; every later service call throws the same error. */
  die(message: string): never {
    if (!this.deathError) {
      this.deathMessage = message;
      this.deathError = this.error(message);
    }
    throw this.deathError;
  }

  /** An error as Apps Script services throw them: name 'Exception', from the guest realm. */
  error(message: string): Error {
    const Ctor = this.guest?.Error ?? Error;
    const error = new Ctor(message);
    error.name = 'Exception';
    return error;
  }

  /** Apps Script's complaint when arguments don't fit a method's Java signature. */
  signatureError(method: string, args: readonly unknown[]): Error {
    const types = args.map((a) =>
      a === null || a === undefined
        ? 'null'
        : isDateValue(a)
          ? 'Date'
          : Array.isArray(a)
            ? 'number[]'
            : typeof a === 'object'
              ? 'Object'
              : typeof a === 'string'
                ? 'String'
                : typeof a,
    );
    return this.error(`The parameters (${types.join(',')}) don't match the method signature for ${method}.`);
  }

  log(line: string): void {
    this.logs.push(line);
  }

  // ------------------------------------------------------------ realm conversion

  toGuest(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    const g = this.guest;
    if (!g) return value;
    if (value instanceof Date) return new g.Date(value.getTime());
    if (Array.isArray(value)) return g.Array.from(value, (item: unknown) => this.toGuest(item));
    if (isPlainRecord(value, [Object.prototype])) {
      const out = new g.Object() as Record<string, unknown>;
      for (const [key, item] of Object.entries(value)) out[key] = this.toGuest(item);
      return out;
    }
    return value;
  }

  /** Guest arrays of guest values, from host rows (getValues and friends). */
  guestRows(rows: readonly (readonly unknown[])[]): unknown[][] {
    const g = this.guest;
    if (!g) return rows.map((r) => [...r]);
    return g.Array.from(rows, (row) => g.Array.from(row, (cell) => (cell instanceof Date ? new g.Date(cell.getTime()) : cell)));
  }

  guestArray<T>(items: readonly T[]): T[] {
    return this.guest ? this.guest.Array.from(items) : [...items];
  }

  toHost(value: unknown): unknown {
    return toHostValue(value, this.guest);
  }
}

export function toHostValue(value: unknown, guest: GuestIntrinsics | null): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (isDateValue(value)) return new Date(value.getTime());
  if (Array.isArray(value)) return value.map((item: unknown) => toHostValue(item, guest));
  if (isPlainRecord(value, [Object.prototype, guest?.Object.prototype])) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toHostValue(item, guest);
    return out;
  }
  return value;
}

/** A thrown guest value as a host Error (instanceof Error works in tests). */
export function toHostError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (thrown !== null && typeof thrown === 'object' && 'message' in thrown) {
    const source = thrown as { message: unknown; name?: unknown; stack?: unknown };
    const error: Error & { cause?: unknown } = new Error(String(source.message));
    error.cause = thrown;
    if (typeof source.name === 'string') error.name = source.name;
    if (typeof source.stack === 'string') error.stack = source.stack;
    return error;
  }
  const error: Error & { cause?: unknown } = new Error(String(thrown));
  error.cause = thrown;
  return error;
}

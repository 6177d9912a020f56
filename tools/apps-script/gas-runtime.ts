/**
 * An in-memory Apps Script runtime. It loads the built bundle (dist/Code.js) the way Apps Script
 * does — a fresh global scope for every execution, only top-level functions callable — and runs
 * its entry points against fakes that keep Apps Script's rules (see
 * /work/shared/apps-script-notes.md): the `=` rule, Date cells, fetchAll's all-or-nothing throw,
 * the 6-minute kill, locks, triggers and quotas. All time is virtual.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import ts from 'typescript';
import { cloneable } from '../clone';
import { VirtualClock } from './clock';
import { DEFAULT_COSTS, type ServiceCosts } from './costs';
import { AuthMode, ChartType } from './enums';
import {
  type AuthModeName,
  emptyStats,
  Exec,
  type ExecHost,
  type Execution,
  type ExecutionContext,
  type ExecutionKind,
  type GuestIntrinsics,
  type KillSpec,
  kindOf,
  type RunOptions,
  type RuntimeStats,
  toHostError,
  toHostValue,
} from './execution';
import { ContentServiceFake, HtmlServiceFake } from './html';
import type { HttpHandler } from './http-types';
import { FakeLock, LockServiceFake } from './lock';
import { MailAppFake, type SentMail } from './mail';
import { type ScopeGrant } from './scopes';
import { FakeProperties, PropertiesServiceFake } from './properties';
import { FakeSpreadsheet } from './spreadsheet';
import { detachedView, persistentView, SpreadsheetAppService } from './spreadsheet-service';
import { type AddonSource, type FakeTrigger, type Installation, ScriptAppFake, SERVER_ERROR_MESSAGE, TriggerStore } from './triggers';
import { UiFake, UiLog } from './ui';
import { UrlFetchAppFake } from './urlfetch';
import { CacheServiceFake, FakeCache, LoggerFake, makeConsole, seededRandom, SessionFake, UtilitiesFake } from './utilities';
import { wallClock } from './timezone';

export type { HttpHandler, HttpOutcome, HttpRequest } from './http-types';
export type { Execution, ExecutionContext, ExecutionKind, KillSpec, RunOptions, RuntimeStats } from './execution';
export type { SentMail } from './mail';
export type { AddonSource, Installation } from './triggers';
export type { ServiceCosts } from './costs';
export type { FakeTrigger } from './triggers';
export type { AlertRecord, DialogRecord, HtmlRecord, MenuRecord, PromptRecord, ToastRecord, UiAnswer } from './ui';
export { DEFAULT_COSTS } from './costs';
export { boundTo, cloneable, type CopyOf, deepClone } from '../clone';
export { FakeSheet, FakeSpreadsheet } from './spreadsheet';
export { FakeProperties } from './properties';
export { FakeLock } from './lock';
export { UiLog } from './ui';
export { FORMULA_VALUE, FORMULA_ERROR_VALUE } from './cell-typing';
export { TIMEOUT_MESSAGE } from './execution';
export { LOCK_TIMEOUT_MESSAGE } from './lock';
export { ADDON_HOURLY_ONLY, ADDON_ONE_TRIGGER_PER_DOCUMENT, SERVER_ERROR_MESSAGE, TOO_MANY_TRIGGERS } from './triggers';
export { MAIL_QUOTA_MESSAGE } from './mail';
export { PROTECTED_MESSAGE, validationMessage } from './spreadsheet';
export { notAllowlistedMessage } from './urlfetch';
export { permissionMessage, requiredScopes, SCOPE } from './scopes';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_START = Date.parse('2026-11-25T03:00:00Z');

export interface GasRuntimeOptions {
  http: HttpHandler;
  /** Folder holding Code.js and the HTML files. Default: <repo>/dist. */
  bundleDir?: string;
  start?: Date | number;
  spreadsheetTimeZone?: string;
  /** appsscript.json's timeZone: the zone of `new Date(y, m, d)` and `getHours()` in the bundle. */
  scriptTimeZone?: string;
  spreadsheetLocale?: string;
  /** The spreadsheet's owner: default user of run(), creator of the web app deployment. */
  user?: string;
  userLocale?: string;
  webAppUrl?: string | null;
  executionLimitMs?: number;
  costs?: Partial<ServiceCosts>;
  /** onOpen and other simple triggers: 30 s. */
  simpleTriggerLimitMs?: number;
  /** UrlFetch calls a user may make in a day (consumer: 20,000; Workspace: 100,000). */
  urlFetchDailyQuota?: number;
  /** Trigger runtime a user may use in a day (consumer: 90 min; Workspace: 6 h). */
  triggerRuntimeDailyMs?: number;
  /** Seed of Math.random and Utilities.getUuid. */
  seed?: number;
  /** The title createAddonMenu() menus get. */
  addonName?: string;
  /** Also print Logger/console lines to stdout (they are always in Execution.logs). */
  echoLogs?: boolean;
  /**
   * The manifest. Default: appsscript.json next to Code.js, if any. When it lists oauthScopes,
   * only those are granted; its urlFetchWhitelist limits UrlFetch; webapp.executeAs decides who
   * a web-app execution runs as. null: no manifest (every scope, every URL).
   */
  manifest?: Manifest | null;
  /** Scopes the user refused on Google's granular consent screen: calls needing only them throw. */
  refusedScopes?: string[];
  /** 'bound' (default): a script bound to this spreadsheet. 'addon': an installed editor add-on. */
  installation?: Installation;
  /** How an add-on was installed (getInstallationSource). Default WEB_STORE_ADD_ON. */
  addonSource?: AddonSource;
  /** False: a standalone script, with no container document (getDocumentLock() is null). */
  container?: boolean;
  /**
   * Opt-out, not the platform: give web-app executions a document lock (Apps Script gives them
   * null). Only for old tests written before the rule.
   */
  documentLockInWebApp?: boolean;
  /**
   * Session.getActiveUser().getEmail() is "" for everyone but the owner, as for consumer
   * accounts in someone else's document. Default false.
   */
  hideOtherUsersEmail?: boolean;
  /** Recipients MailApp may send to per user and day (consumer: 100). */
  mailDailyQuota?: number;
  /**
   * How much later than asked a time-based trigger fires, drawn per trigger from a seeded
   * random in [minMs, maxMs]. Default 5 to 60 s: Apps Script never fires one early and often
   * late ("The actual duration might vary, but won't be less than your specified minimum",
   * https://developers.google.com/apps-script/reference/script/clock-trigger-builder#after(Integer)).
   * Pass { minMs: 0, maxMs: 0 } only to test trigger timing itself.
   */
  triggerLateness?: { minMs: number; maxMs: number };
}

/** The parts of appsscript.json the runtime obeys. */
export interface Manifest {
  timeZone?: string;
  oauthScopes?: string[];
  urlFetchWhitelist?: string[];
  webapp?: { executeAs?: 'USER_DEPLOYING' | 'USER_ACCESSING'; access?: string };
}

function readManifest(bundleDir: string): Manifest | null {
  const path = join(bundleDir, 'appsscript.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : null;
}

// ------------------------------------------------------------ bundle loading

interface LoadedBundle {
  script: vm.Script;
  /** Names Apps Script can call: top-level `function f` and `var f = function`. */
  callable: Set<string>;
}

const bundleCache = new Map<string, { mtimeMs: number; size: number; bundle: LoadedBundle }>();

/** Apps Script finds entry points by reading the source, not by looking at the global object. */
function callableFunctions(code: string, fileName: string): Set<string> {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2020, false, ts.ScriptKind.JS);
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) names.add(statement.name.text);
    if (ts.isVariableStatement(statement) && (statement.declarationList.flags & ts.NodeFlags.BlockScoped) === 0) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer && (ts.isFunctionExpression(d.initializer) || ts.isArrowFunction(d.initializer))) names.add(d.name.text);
    }
  }
  return names;
}

function loadBundle(bundleDir: string): LoadedBundle {
  const path = join(bundleDir, 'Code.js');
  if (!existsSync(path)) throw new Error(`GasRuntime: ${path} not found. Run \`npm run build\` first to produce the Apps Script bundle.`);
  const { mtimeMs, size } = statSync(path);
  const cached = bundleCache.get(path);
  if (cached && cached.mtimeMs === mtimeMs && cached.size === size) return cached.bundle;
  const code = readFileSync(path, 'utf8');
  const bundle = { script: new vm.Script(code, { filename: path }), callable: callableFunctions(code, path) };
  bundleCache.set(path, { mtimeMs, size, bundle });
  return bundle;
}

/**
 * Replaces the context's Date so `new Date()` and `Date.now()` read the virtual clock while
 * dates made with arguments, the prototype and `instanceof` stay the native ones.
 */
const DATE_SETUP = new vm.Script(
  `(function (now) {
    const NativeDate = globalThis.Date;
    const Date = function Date(...args) {
      if (new.target === undefined) return new NativeDate(now()).toString();
      return Reflect.construct(NativeDate, args.length === 0 ? [now()] : args, new.target);
    };
    Object.defineProperty(Date, 'length', { value: 7 });
    Date.prototype = NativeDate.prototype;
    Date.now = function now_() { return now(); };
    Date.parse = NativeDate.parse;
    Date.UTC = NativeDate.UTC;
    Object.defineProperty(NativeDate.prototype, 'constructor', { value: Date, writable: true, configurable: true });
    globalThis.Date = Date;
    return { Array, Object, Date: NativeDate, Error };
  })`,
  { filename: 'gas-runtime-setup.js' },
);
const DRAIN = new vm.Script('void 0', { filename: 'gas-runtime-drain.js' });
const SETTLE = new vm.Script(
  `(function (promise) {
    const box = { done: false };
    Promise.resolve(promise).then(
      function (value) { box.done = true; box.ok = true; box.value = value; },
      function (error) { box.done = true; box.ok = false; box.error = error; });
    return box;
  })`,
  { filename: 'gas-runtime-settle.js' },
);

/** Globals Node's vm adds that Apps Script's V8 runtime does not have. */
const NOT_IN_APPS_SCRIPT = ['SharedArrayBuffer', 'Atomics', 'WebAssembly'];

interface ExecutionSpec {
  context: ExecutionContext;
  user: string;
  activeUser: string;
  /** The person behind it ('' for an anonymous web-app caller). */
  person: string;
  refusedScopes?: string[];
  authMode: AuthModeName;
  userLocale: string;
  kill: KillSpec | undefined;
  limitMs?: number;
}

export const URLFETCH_QUOTA_MESSAGE = 'Service invoked too many times for one day: urlfetch.';
export const TRIGGER_RUNTIME_QUOTA_MESSAGE = 'Service using too much computer time for one day. Try again later.';

/** Daily quotas, per user and UTC day. */
class DailyQuota {
  private readonly used = new Map<string, number>();

  constructor(private readonly clock: VirtualClock) {}

  private key(user: string): string {
    return `${user}|${new Date(this.clock.now()).toISOString().slice(0, 10)}`;
  }

  get(user: string): number {
    return this.used.get(this.key(user)) ?? 0;
  }

  add(user: string, amount: number): void {
    const key = this.key(user);
    this.used.set(key, (this.used.get(key) ?? 0) + amount);
  }
}

export class GasRuntime {
  readonly clock: VirtualClock;
  readonly spreadsheet: FakeSpreadsheet;
  readonly properties: { document: FakeProperties; script: FakeProperties; user(email: string): FakeProperties };
  readonly caches: { document: FakeCache; script: FakeCache; user(email: string): FakeCache };
  readonly ui = new UiLog();
  readonly lock = new FakeLock();
  readonly stats: RuntimeStats = emptyStats();
  /** Every execution so far, in order. */
  readonly executions: Execution[] = [];
  readonly costs: ServiceCosts;
  readonly user: string;
  readonly userLocale: string;
  readonly scriptTimeZone: string;
  readonly bundleDir: string;
  readonly executionLimitMs: number;
  private readonly http: HttpHandler;
  private readonly webAppUrl: string | null;
  private readonly seed: number;
  private readonly addonName: string;
  private readonly echoLogs: boolean;
  private readonly triggerStore = new TriggerStore();
  private readonly host: ExecHost;
  private readonly uuidRandom: () => number;
  private readonly simpleTriggerLimitMs: number;
  private readonly urlFetchDailyQuota: number;
  private readonly triggerRuntimeDailyMs: number;
  private readonly urlFetchUse: DailyQuota;
  private readonly triggerRuntimeUse: DailyQuota;
  private readonly pendingKills: { fn: string; kill: KillSpec }[] = [];
  readonly manifest: Manifest | null;
  /** Mail MailApp "sent", in order. */
  readonly mail: SentMail[] = [];
  readonly installation: Installation;
  private readonly addonSource: AddonSource;
  private readonly container: boolean;
  private readonly documentLockInWebApp: boolean;
  private readonly hideOtherUsersEmail: boolean;
  private readonly refusedScopes: string[];
  private readonly mailDailyQuota: number;
  private readonly mailUse: DailyQuota;
  private readonly triggerLateness: { minMs: number; maxMs: number };
  private readonly latenessRandom: () => number;
  private readonly createFailures: string[] = [];

  constructor(options: GasRuntimeOptions) {
    const start = options.start === undefined ? DEFAULT_START : typeof options.start === 'number' ? options.start : options.start.getTime();
    this.clock = new VirtualClock(start);
    this.http = options.http;
    this.bundleDir = options.bundleDir ?? join(REPO_ROOT, 'dist');
    this.spreadsheet = new FakeSpreadsheet(options.spreadsheetTimeZone ?? 'Asia/Jakarta', options.spreadsheetLocale ?? 'en_US');
    this.scriptTimeZone = options.scriptTimeZone ?? 'Asia/Jakarta';
    this.user = options.user ?? 'owner@example.com';
    this.userLocale = options.userLocale ?? 'en';
    this.webAppUrl = options.webAppUrl ?? null;
    this.executionLimitMs = options.executionLimitMs ?? 360_000;
    this.costs = { ...DEFAULT_COSTS, ...options.costs };
    this.seed = options.seed ?? 20261125;
    this.addonName = options.addonName ?? 'Mayar Sheets';
    this.echoLogs = options.echoLogs ?? false;
    this.uuidRandom = seededRandom(this.seed ^ 0x5eed);
    this.simpleTriggerLimitMs = options.simpleTriggerLimitMs ?? 30_000;
    this.urlFetchDailyQuota = options.urlFetchDailyQuota ?? 20_000;
    this.triggerRuntimeDailyMs = options.triggerRuntimeDailyMs ?? 90 * 60_000;
    this.urlFetchUse = new DailyQuota(this.clock);
    this.triggerRuntimeUse = new DailyQuota(this.clock);
    this.manifest = options.manifest === undefined ? readManifest(this.bundleDir) : options.manifest;
    this.installation = options.installation ?? 'bound';
    this.addonSource = options.addonSource ?? 'WEB_STORE_ADD_ON';
    this.container = options.container ?? true;
    this.documentLockInWebApp = options.documentLockInWebApp ?? false;
    this.hideOtherUsersEmail = options.hideOtherUsersEmail ?? false;
    this.refusedScopes = [...(options.refusedScopes ?? [])];
    // https://developers.google.com/apps-script/guides/services/quotas ("Email recipients per day": 100 consumer)
    this.mailDailyQuota = options.mailDailyQuota ?? 100;
    this.mailUse = new DailyQuota(this.clock);
    this.triggerLateness = options.triggerLateness ?? { minMs: 5_000, maxMs: 60_000 };
    this.latenessRandom = seededRandom(this.seed ^ 0x7a7e);
    this.properties = { document: new FakeProperties(), script: new FakeProperties(), user: perUser(new Map(), () => new FakeProperties()) };
    this.caches = { document: new FakeCache(), script: new FakeCache(), user: perUser(new Map(), () => new FakeCache()) };
    this.host = { clock: this.clock, costs: this.costs, stats: this.stats };
  }

  /** Installed time-driven triggers of every user (live list). */
  get triggers(): FakeTrigger[] {
    return this.triggerStore.list;
  }

  /**
   * Runs a top-level function of the bundle as a new execution: a menu item by default, or what
   * `options.context` says (google.script.run from a sidebar, an installable trigger, the web app).
   */
  run(fn: string, args: unknown[] = [], options: RunOptions = {}): Execution {
    const context: ExecutionContext = options.context ?? (options.trigger ? 'trigger' : 'menu');
    const asDeployer = context === 'webapp' && this.webAppRunsAsDeployer;
    // A web app executing as the deployer runs as the owner; its caller is anonymous unless named.
    const user = asDeployer ? this.user : (options.user ?? this.user);
    const person = asDeployer ? (options.user ?? '') : user;
    return this.execute(fn, args, {
      context,
      user,
      activeUser: this.visibleEmail(context, person),
      person,
      authMode: options.authMode ?? 'FULL',
      userLocale: options.userLocale ?? (context === 'webapp' ? '' : this.userLocale),
      kill: options.kill,
      ...(options.refusedScopes ? { refusedScopes: options.refusedScopes } : {}),
      ...(context === 'simple-trigger' ? { limitMs: Math.min(this.simpleTriggerLimitMs, this.executionLimitMs) } : {}),
    });
  }

  /** webapp.executeAs: USER_DEPLOYING (the default) runs every request as the owner. */
  private get webAppRunsAsDeployer(): boolean {
    return (this.manifest?.webapp?.executeAs ?? 'USER_DEPLOYING') === 'USER_DEPLOYING';
  }

  /**
   * Session.getActiveUser().getEmail(): "" where a script runs without the user's own
   * authorization — a simple trigger or a web app executing as the deployer — unless the user is
   * the owner, and for other users' consumer accounts when configured.
   * https://developers.google.com/apps-script/reference/base/session#getActiveUser()
   */
  private visibleEmail(context: ExecutionContext, person: string): string {
    if (person === '') return '';
    if (context === 'webapp' && this.webAppRunsAsDeployer) return '';
    if (person === this.user) return person;
    if (context === 'simple-trigger' || this.hideOtherUsersEmail) return '';
    return person;
  }

  /** The scopes an execution has: the manifest's (all when it lists none), less refused ones. */
  private scopeGrant(extraRefused: readonly string[] = []): ScopeGrant {
    const listed = this.manifest?.oauthScopes;
    return { granted: listed ? new Set(listed) : null, refused: new Set([...this.refusedScopes, ...extraRefused]) };
  }

  /** The user refuses (granular consent) or grants back a scope, from now on. */
  refuseScope(scope: string, refused = true): void {
    const index = this.refusedScopes.indexOf(scope);
    if (refused && index < 0) this.refusedScopes.push(scope);
    if (!refused && index >= 0) this.refusedScopes.splice(index, 1);
  }

  /** Sets how many UrlFetch calls `user` has left today. */
  setUrlFetchRemaining(remaining: number, user = this.user): void {
    this.urlFetchUse.add(user, this.urlFetchDailyQuota - remaining - this.urlFetchUse.get(user));
  }

  /** Sets how many email recipients `user` has left today. */
  setMailRemaining(remaining: number, user = this.user): void {
    this.mailUse.add(user, this.mailDailyQuota - remaining - this.mailUse.get(user));
  }

  /** The next `times` trigger creations fail with a transient service error (or `message`). */
  failTriggerCreation(times = 1, message = SERVER_ERROR_MESSAGE): void {
    for (let i = 0; i < times; i++) this.createFailures.push(message);
  }

  /**
   * An hourly trigger that already exists, as if made earlier (by an earlier version of the
   * script, say) — by `owner`, in this document unless another `documentId` is given (an
   * add-on's trigger in another document never fires here).
   */
  addHourlyTrigger(handler: string, owner = this.user, documentId = this.spreadsheet.id): FakeTrigger {
    const trigger: FakeTrigger = {
      id: this.triggerStore.newId(),
      handler,
      owner,
      schedule: 'everyHours',
      nextAt: this.clock.now() + 3_600_000,
      intervalMs: 3_600_000,
      createdAt: this.clock.now(),
      documentId,
    };
    this.triggerStore.list.push(trigger);
    return trigger;
  }

  /** A trigger `owner` made in another document with the same add-on (it never fires here). */
  addTriggerInOtherDocument(owner: string, handler: string, documentId = '1OtherSpreadsheet0000000000000000000000000'): FakeTrigger {
    return this.addHourlyTrigger(handler, owner, documentId);
  }

  /** Opens the spreadsheet: runs onOpen(e) in the given auth mode (an add-on not yet used runs in NONE). */
  open(options: { authMode?: AuthModeName; user?: string } = {}): Execution {
    const authMode = options.authMode ?? 'LIMITED';
    const user = options.user ?? this.user;
    return this.execute('onOpen', [{ authMode: AuthMode[authMode], user }], {
      context: 'simple-trigger',
      user,
      activeUser: this.visibleEmail('simple-trigger', user),
      person: user,
      authMode,
      userLocale: this.userLocale,
      kill: undefined,
      limitMs: Math.min(this.simpleTriggerLimitMs, this.executionLimitMs),
    });
  }

  /** A POST to the web app: runs doPost(e) as the deployer, for an anonymous caller. */
  post(query: Record<string, string>, body: string, contentType = 'application/json', options: { kill?: KillSpec } = {}): Execution {
    const queryString = Object.entries(query)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    const length = Buffer.byteLength(body, 'utf8');
    const event = {
      parameter: { ...query },
      parameters: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
      queryString,
      contextPath: '',
      contentLength: length,
      postData: { contents: body, type: contentType, length, name: 'postData' },
    };
    return this.execute('doPost', [event], {
      context: 'webapp',
      user: this.user,
      activeUser: '',
      person: '',
      authMode: 'FULL',
      userLocale: '',
      kill: options.kill,
    });
  }

  /**
   * Kills the next execution of `fn`, whatever starts it (a trigger, a driver, doPost), at the
   * given service call. One-shot; an explicit `kill` run option takes precedence.
   */
  killNext(fn: string, kill: KillSpec): void {
    this.pendingKills.push({ fn, kill });
  }

  /** UrlFetch calls `user` made today (UTC day), against urlFetchDailyQuota. */
  urlFetchesToday(user = this.user): number {
    return this.urlFetchUse.get(user);
  }

  /** Trigger runtime `user` used today (UTC day), against triggerRuntimeDailyMs. */
  triggerRuntimeToday(user = this.user): number {
    return this.triggerRuntimeUse.get(user);
  }

  /**
   * Someone submits the form linked to `sheetName` (Google's "Form Responses 1"): the response is
   * appended as a row (a timestamp, then the answers in column order: digits as numbers, other
   * answers as text), and every onFormSubmit trigger of this spreadsheet runs as its creator
   * with the event Google documents for a spreadsheet's form submit
   * (https://developers.google.com/apps-script/guides/triggers/events#form-submit): `authMode`,
   * `range` (the new row), `values` (strings in column order), `namedValues` ({ header: [answer] })
   * and `triggerUid`. `twice` fires it again `afterMs` later, as Apps Script is known to do
   * (https://issuetracker.google.com/issues/36763096): 'same' with the same values, 'blank' with
   * empty ones. Returns the executions, in order.
   */
  submitForm(sheetName: string, answers: readonly (string | number)[], options: { twice?: 'same' | 'blank'; afterMs?: number } = {}): Execution[] {
    const sheet = this.spreadsheet.sheet(sheetName);
    const row = sheet.lastRow() + 1;
    const stamp = new Date(this.clock.now());
    const cells = [stamp, ...answers.map((a) => (typeof a === 'string' && /^\d+$/.test(a) ? Number(a) : a))];
    sheet.putRows([cells], row);
    const header = (sheet.values()[0] ?? []).map((h) => String(h));
    const texts = [formatStamp(stamp), ...answers.map(String)];
    const fireAll = (values: string[]): Execution[] =>
      this.triggerStore.formSubmit(this.spreadsheet.id).map((trigger) => {
        this.stats.triggersFired++;
        return this.execute(
          trigger.handler,
          (global) => {
            const app = global.SpreadsheetApp as {
              getActiveSpreadsheet(): { getSheetByName(n: string): { getRange(r: number, c: number, h: number, w: number): unknown } };
            };
            const range = app.getActiveSpreadsheet().getSheetByName(sheetName).getRange(row, 1, 1, cells.length);
            const namedValues: Record<string, string[]> = {};
            header.forEach((h, i) => (namedValues[h] = [values[i] ?? '']));
            return [{ authMode: AuthMode.FULL, range, values, namedValues, triggerUid: trigger.id }];
          },
          {
            context: 'trigger',
            user: trigger.owner,
            activeUser: trigger.owner,
            person: trigger.owner,
            authMode: 'FULL',
            userLocale: this.userLocale,
            kill: undefined,
          },
        );
      });
    const runs = fireAll(texts);
    if (options.twice) {
      runs.push(...this.advance(options.afterMs ?? 2_000));
      runs.push(...fireAll(options.twice === 'same' ? texts : texts.map(() => '')));
    }
    return runs;
  }

  /** When the next time-driven trigger is due, or null. */
  nextTriggerAt(): number | null {
    return this.triggerStore.next(this.spreadsheet.id)?.nextAt ?? null;
  }

  /** Fires every trigger already due, in time order. */
  runDueTriggers(): Execution[] {
    return this.advance(0);
  }

  /** Moves the clock, firing due time-driven triggers in time order (each as its creator). */
  advance(ms: number): Execution[] {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`GasRuntime.advance: invalid duration ${ms}`);
    const target = this.clock.now() + ms;
    const runs: Execution[] = [];
    for (;;) {
      const next = this.triggerStore.next(this.spreadsheet.id);
      if (!next || next.nextAt > target) break;
      this.clock.advanceTo(next.nextAt);
      runs.push(this.fire(next));
    }
    this.clock.advanceTo(target);
    return runs;
  }

  private fire(trigger: FakeTrigger): Execution {
    const now = this.clock.now();
    if (trigger.intervalMs === null) this.triggerStore.remove(trigger.id);
    else while (trigger.nextAt <= now) trigger.nextAt += trigger.intervalMs;
    this.stats.triggersFired++;
    const w = wallClock(now, 'UTC');
    const event = {
      authMode: AuthMode.FULL,
      triggerUid: trigger.id,
      timezone: 'UTC',
      year: w.year,
      month: w.month,
      'day-of-month': w.day,
      'day-of-week': w.weekday === 0 ? 7 : w.weekday,
      'week-of-year': Math.ceil(((Date.UTC(w.year, w.month - 1, w.day) - Date.UTC(w.year, 0, 1)) / 86400000 + 1) / 7),
      hour: w.hour,
      minute: w.minute,
      second: w.second,
    };
    const overQuota = this.triggerRuntimeUse.get(trigger.owner) >= this.triggerRuntimeDailyMs;
    const execution = this.execute(
      trigger.handler,
      [event],
      {
        context: 'trigger',
        user: trigger.owner,
        activeUser: trigger.owner,
        person: trigger.owner,
        authMode: 'FULL',
        userLocale: this.userLocale,
        kill: undefined,
      },
      overQuota ? TRIGGER_RUNTIME_QUOTA_MESSAGE : undefined,
    );
    this.stats.triggerRuntimeMs += execution.elapsedMs;
    this.triggerRuntimeUse.add(trigger.owner, execution.elapsedMs);
    return execution;
  }

  // ------------------------------------------------------------ one execution

  /** `refusal`: Apps Script refuses to start it (a quota), failing with that message. */
  /** `args` may be built inside the execution (an event whose range is one of its Range objects). */
  private execute(fn: string, args: unknown[] | ((global: vm.Context) => unknown[]), spec: ExecutionSpec, refusal?: string): Execution {
    const bundle = loadBundle(this.bundleDir);
    const index = this.stats.executions + 1;
    this.stats.executions = index;
    let kill = spec.kill;
    const pending = this.pendingKills.findIndex((k) => k.fn === fn);
    if (pending >= 0) {
      kill ??= this.pendingKills[pending]?.kill;
      this.pendingKills.splice(pending, 1);
    }
    const limitMs = spec.limitMs ?? this.executionLimitMs;
    const kind = kindOf(spec.context);
    const exec = new Exec(this.host, index, fn, spec.user, spec.activeUser, kind, spec.authMode, spec.userLocale, kill, limitMs, {
      context: spec.context,
      scopes: this.scopeGrant(spec.refusedScopes),
      person: spec.person,
      hasContainer: this.container && (spec.context !== 'webapp' || this.documentLockInWebApp),
    });
    const savedTz = process.env.TZ;
    // Local-time Date methods in Apps Script follow the script's time zone (appsscript.json).
    process.env.TZ = this.scriptTimeZone;
    let value: unknown;
    let thrown: unknown;
    let failed = false;
    let guest: GuestIntrinsics | null = null;
    try {
      const context = this.createContext(exec, index);
      guest = context.guest;
      try {
        if (refusal !== undefined) throw exec.error(refusal);
        exec.spend(this.costs.startupMs);
        bundle.script.runInContext(context.global);
        const target = context.global[fn];
        if (!bundle.callable.has(fn) || typeof target !== 'function') throw exec.error(`Script function not found: ${fn}`);
        const callArgs = typeof args === 'function' ? args(context.global) : args;
        const result: unknown = Reflect.apply(target, context.global, exec.toGuest(callArgs) as unknown[]);
        value = this.settle(result, context.global);
      } catch (error) {
        failed = true;
        thrown = error;
      }
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
      exec.end();
      this.lock.releaseAll(exec.lockOwner);
    }
    const killed = exec.dead;
    // The normal end applies the execution's pending Sheets writes; a killed one loses them.
    let lostWrites = 0;
    if (killed) lostWrites = this.spreadsheet.dropPending();
    else this.spreadsheet.applyPending();
    const execution: Execution = {
      fn,
      user: spec.user,
      killed,
      startedAt: exec.startedAt,
      elapsedMs: exec.elapsedMs,
      calls: exec.calls,
      fetchRequests: exec.fetchRequests,
      index,
      kind,
      context: spec.context,
      callLog: exec.callLog,
      logs: exec.logs,
      lostWrites,
    };
    // A killed execution has no result, whatever the code did after the kill.
    if (killed) {
      const error = new Error(exec.deathReason ?? 'killed');
      error.name = 'Exception';
      execution.error = error;
    } else if (failed) execution.error = toHostError(thrown);
    else execution.value = toHostValue(value, guest);
    this.stats.runtimeMs += execution.elapsedMs;
    if (killed) this.stats.killed++;
    else if (failed) this.stats.failed++;
    this.executions.push(execution);
    return execution;
  }

  /** Apps Script drains pending promise jobs before the execution ends; so does the fake. */
  private settle(result: unknown, global: vm.Context): unknown {
    DRAIN.runInContext(global);
    if (result === null || (typeof result !== 'object' && typeof result !== 'function')) return result;
    if (typeof (result as { then?: unknown }).then !== 'function') return result;
    // The reactions must be guest functions: a host callback would be queued on Node's own
    // microtask queue, which does not run until the test yields.
    const watch = SETTLE.runInContext(global) as (promise: unknown) => { done: boolean; ok?: boolean; value?: unknown; error?: unknown };
    const box = watch(result);
    DRAIN.runInContext(global);
    if (!box.done) return undefined;
    if (!box.ok) throw box.error;
    return box.value;
  }

  private createContext(exec: Exec, index: number): { global: vm.Context; guest: GuestIntrinsics } {
    const global = vm.createContext({}, { name: `apps-script #${index}`, microtaskMode: 'afterEvaluate' });
    const setup = DATE_SETUP.runInContext(global) as (now: () => number) => GuestIntrinsics;
    const guest = setup(() => this.clock.now());
    exec.guest = guest;
    for (const name of NOT_IN_APPS_SCRIPT) Reflect.deleteProperty(global, name);
    const math = vm.runInContext('Math', global) as Math;
    math.random = seededRandom(this.seed + index * 0x9e3779b9);

    const view = spec(exec.kind) === 'ui' ? persistentView(this.spreadsheet) : detachedView(this.spreadsheet);
    const uiFake = new UiFake(exec, this.ui, this.addonName);
    const services: Record<string, unknown> = {
      SpreadsheetApp: new SpreadsheetAppService({
        exec,
        spreadsheet: this.spreadsheet,
        ui: this.ui,
        view,
        getUi: () => {
          if (exec.kind !== 'user') throw exec.error('Cannot call SpreadsheetApp.getUi() from this context.');
          return uiFake;
        },
      }),
      // Only the enum: charts are built with Sheet.newChart().
      Charts: Object.freeze({ ChartType }),
      PropertiesService: new PropertiesServiceFake(exec, this.properties),
      LockService: new LockServiceFake(exec, this.lock),
      ScriptApp: new ScriptAppFake({
        exec,
        store: this.triggerStore,
        webAppUrl: this.webAppUrl,
        installation: this.installation,
        addonSource: this.addonSource,
        documentId: this.spreadsheet.id,
        manifestScopes: this.manifest?.oauthScopes ?? null,
        lateness: () => this.triggerLateness.minMs + this.latenessRandom() * (this.triggerLateness.maxMs - this.triggerLateness.minMs),
        takeCreateFailure: () => this.createFailures.shift() ?? null,
      }),
      MailApp: new MailAppFake({
        exec,
        sent: this.mail,
        remaining: () => this.mailDailyQuota - this.mailUse.get(exec.user),
        use: (recipients) => this.mailUse.add(exec.user, recipients),
      }),
      UrlFetchApp: new UrlFetchAppFake({
        exec,
        http: this.http,
        stats: this.stats,
        quota: (requests) => {
          if (this.urlFetchUse.get(exec.user) + requests > this.urlFetchDailyQuota) throw exec.error(URLFETCH_QUOTA_MESSAGE);
          this.urlFetchUse.add(exec.user, requests);
        },
        allowlist: this.manifest?.urlFetchWhitelist ?? null,
      }),
      Utilities: new UtilitiesFake({ exec, stats: this.stats, uuidRandom: this.uuidRandom }),
      Session: new SessionFake(exec, this.scriptTimeZone),
      HtmlService: new HtmlServiceFake(exec, this.bundleDir),
      ContentService: new ContentServiceFake(exec),
      CacheService: new CacheServiceFake(exec, this.caches),
      Logger: new LoggerFake(exec, this.echoLogs),
      console: makeConsole(exec, this.echoLogs),
    };
    for (const [name, service] of Object.entries(services))
      Object.defineProperty(global, name, { value: service, writable: true, configurable: true, enumerable: false });
    return { global, guest };
  }
}

/** One store per user, made on first use (user properties, user cache). */
function perUser<T>(stores: Map<string, T>, make: () => T): (email: string) => T {
  const get = (email: string): T => {
    let store = stores.get(email);
    if (!store) {
      store = make();
      stores.set(email, store);
    }
    return store;
  };
  return cloneable(get, (copyOf) => perUser(copyOf(stores), make));
}

function spec(kind: ExecutionKind): 'ui' | 'detached' {
  return kind === 'user' ? 'ui' : 'detached';
}

// ------------------------------------------------------------ drivers

/** What google.script.run lets through: plain values only. */
function transportable(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(transportable);
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(value).every(transportable);
  }
  return false;
}

/**
 * Calls a server function the way a sidebar's google.script.run does: names ending in `_` are
 * private, arguments must be plain values, and a result holding a Date (or any non-plain
 * object) reaches the browser as null.
 */
export function sidebarCall(runtime: GasRuntime, fn: string, args: unknown[] = [], options: RunOptions = {}): { execution: Execution; value: unknown } {
  if (fn.endsWith('_')) throw new Error(`google.script.run cannot call ${fn}: functions ending in _ are private`);
  if (!transportable(args)) throw new Error(`google.script.run: arguments of ${fn} must be plain values (no Date, functions or class instances)`);
  const execution = runtime.run(fn, args, options);
  if (execution.error || execution.killed) return { execution, value: undefined };
  return { execution, value: transportable(execution.value) ? structuredClone(execution.value) : null };
}

export interface SidebarDriveOptions {
  user?: string;
  maxSteps?: number;
  /** Server function the sidebar polls. Default 'processNextBatch'. */
  fn?: string;
  args?: unknown[];
  /** Run options for one step (0-based), e.g. a kill in the third batch. */
  stepOptions?: (step: number) => RunOptions | undefined;
  /** What the sidebar does when a call fails: stop (default), or wait retryAfterMs and call again. */
  onFailure?: 'stop' | 'retry';
  retryAfterMs?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Plays an open progress sidebar: calls processNextBatch, waits the returned waitMs (time in
 * which due triggers fire), and again, until the result says done or maxSteps is reached.
 */
export function driveLikeSidebar(runtime: GasRuntime, options: SidebarDriveOptions = {}): { steps: Execution[]; result: unknown; triggerRuns: Execution[] } {
  const steps: Execution[] = [];
  const triggerRuns: Execution[] = [];
  const maxSteps = options.maxSteps ?? 10_000;
  let result: unknown;
  for (let step = 0; step < maxSteps; step++) {
    const runOptions: RunOptions = { ...(options.user ? { user: options.user } : {}), ...options.stepOptions?.(step) };
    const { execution, value } = sidebarCall(runtime, options.fn ?? 'processNextBatch', options.args ?? [], runOptions);
    steps.push(execution);
    if (execution.error || execution.killed) {
      if (options.onFailure !== 'retry') break;
      triggerRuns.push(...runtime.advance(options.retryAfterMs ?? 5000));
      continue;
    }
    result = value;
    if (!isRecord(value) || value.done === true) break;
    const wait = typeof value.waitMs === 'number' && Number.isFinite(value.waitMs) && value.waitMs > 0 ? value.waitMs : 0;
    triggerRuns.push(...runtime.advance(wait));
  }
  return { steps, result, triggerRuns };
}

/** Advances the clock from trigger to trigger until none is left or maxMs has passed. */
export function driveByTriggers(runtime: GasRuntime, maxMs: number): Execution[] {
  const deadline = runtime.clock.now() + maxMs;
  const runs: Execution[] = [];
  for (;;) {
    const next = runtime.nextTriggerAt();
    if (next === null || next > deadline) break;
    runs.push(...runtime.advance(Math.max(0, next - runtime.clock.now())));
  }
  return runs;
}

/** 1-based index of the n-th call to `method` in an execution's call log, for `kill: { atCall }`. */
export function callIndexOf(execution: Execution, method: string, occurrence = 1): number {
  let seen = 0;
  for (let i = 0; i < execution.callLog.length; i++) {
    if (execution.callLog[i] === method && ++seen === occurrence) return i + 1;
  }
  throw new Error(`${method} call #${occurrence} not found in execution #${execution.index} (${execution.fn})`);
}

/** A form response's timestamp as Google writes it into e.values (M/d/yyyy H:mm:ss, UTC here). */
function formatStamp(date: Date): string {
  const w = wallClock(date.getTime(), 'UTC');
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.month}/${w.day}/${w.year} ${w.hour}:${pad(w.minute)}:${pad(w.second)}`;
}

/** Utilities, Session, Logger, console and CacheService. */
import { createHash, createHmac } from 'node:crypto';
import { cloneable } from '../clone';
import { Charset, DigestAlgorithm, enumName, MacAlgorithm } from './enums';
import { type Exec, isDateValue, type RuntimeStats } from './execution';
import { DatePatternError, formatJavaDate } from './format-date';

/** Apps Script byte arrays are plain arrays of signed bytes (-128..127). */
function signedBytes(exec: Exec, buffer: Buffer): number[] {
  return exec.guestArray(Array.from(buffer, (b) => (b > 127 ? b - 256 : b)));
}

function bufferOf(value: unknown): Buffer {
  if (Array.isArray(value)) return Buffer.from((value as unknown[]).map((b) => Number(b) & 0xff));
  if (value instanceof BlobFake) return Buffer.from(value.getBytes().map((b) => b & 0xff));
  return Buffer.from(String(value), 'utf8');
}

export class BlobFake {
  readonly #exec: Exec;
  #data: Buffer;
  #contentType: string | null;
  #name: string | null;

  constructor(exec: Exec, data: Buffer, contentType: string | null, name: string | null) {
    this.#exec = exec;
    this.#data = data;
    this.#contentType = contentType;
    this.#name = name;
  }

  getBytes(): number[] {
    return signedBytes(this.#exec, this.#data);
  }

  getDataAsString(_charset?: unknown): string {
    return this.#data.toString('utf8');
  }

  setDataFromString(text: unknown): BlobFake {
    this.#data = Buffer.from(String(text), 'utf8');
    return this;
  }

  getContentType(): string | null {
    return this.#contentType;
  }

  setContentType(contentType: unknown): BlobFake {
    this.#contentType = contentType === null ? null : String(contentType);
    return this;
  }

  getName(): string | null {
    return this.#name;
  }

  setName(name: unknown): BlobFake {
    this.#name = String(name);
    return this;
  }

  copyBlob(): BlobFake {
    return new BlobFake(this.#exec, Buffer.from(this.#data), this.#contentType, this.#name);
  }
}

/** Seeded generator (mulberry32): the same test gives the same "random" numbers and UUIDs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // A copied world draws the same numbers from here on as this one would.
  return cloneable(next, () => seededRandom(a));
}

export interface UtilitiesEnv {
  exec: Exec;
  stats: RuntimeStats;
  /** Runtime-wide generator so UUIDs never repeat across executions. */
  uuidRandom: () => number;
}

export class UtilitiesFake {
  readonly DigestAlgorithm = DigestAlgorithm;
  readonly MacAlgorithm = MacAlgorithm;
  readonly Charset = Charset;
  readonly #env: UtilitiesEnv;

  constructor(env: UtilitiesEnv) {
    this.#env = env;
  }

  #call<T>(method: string, effect: () => T): T {
    return this.#env.exec.call(`Utilities.${method}`, this.#env.exec.costs.utilitiesMs, effect);
  }

  formatDate(date: unknown, timeZone: unknown, format: unknown): string {
    return this.#call('formatDate', () => {
      const exec = this.#env.exec;
      if (!isDateValue(date) || typeof timeZone !== 'string' || typeof format !== 'string')
        throw exec.signatureError('Utilities.formatDate', [date, timeZone, format]);
      const ms = date.getTime();
      if (Number.isNaN(ms)) throw exec.error('Invalid argument: date');
      try {
        return formatJavaDate(ms, timeZone, format);
      } catch (error) {
        if (error instanceof DatePatternError) throw exec.error(`Invalid argument: ${error.message}`);
        throw error;
      }
    });
  }

  getUuid(): string {
    return this.#call('getUuid', () => {
      const hex = Array.from({ length: 32 }, () => Math.floor(this.#env.uuidRandom() * 16).toString(16));
      hex[12] = '4';
      hex[16] = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
      const s = hex.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    });
  }

  /** Burns execution time like the real one (which is why the project must not use it). */
  sleep(milliseconds: unknown): void {
    const exec = this.#env.exec;
    const ms = Number(milliseconds);
    exec.call('Utilities.sleep', 0, () => {
      if (!Number.isFinite(ms) || ms < 0) throw exec.error('Invalid argument: milliseconds');
      this.#env.stats.sleepCalls++;
      this.#env.stats.sleepMs += ms;
    });
    exec.spend(ms);
  }

  base64Encode(data: unknown, _charset?: unknown): string {
    return this.#call('base64Encode', () => bufferOf(data).toString('base64'));
  }

  base64EncodeWebSafe(data: unknown, _charset?: unknown): string {
    return this.#call('base64EncodeWebSafe', () => bufferOf(data).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'));
  }

  #decode(method: string, encoded: unknown, webSafe: boolean): number[] {
    return this.#call(method, () => {
      const exec = this.#env.exec;
      const text = String(encoded);
      const pattern = webSafe ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
      if (!pattern.test(text)) throw exec.error('Could not decode string.');
      return signedBytes(exec, Buffer.from(webSafe ? text.replace(/-/g, '+').replace(/_/g, '/') : text, 'base64'));
    });
  }

  base64Decode(encoded: unknown, _charset?: unknown): number[] {
    return this.#decode('base64Decode', encoded, false);
  }

  base64DecodeWebSafe(encoded: unknown, _charset?: unknown): number[] {
    return this.#decode('base64DecodeWebSafe', encoded, true);
  }

  computeDigest(algorithm: unknown, value: unknown, _charset?: unknown): number[] {
    return this.#call('computeDigest', () => {
      const name = enumName(algorithm);
      const node = { MD5: 'md5', SHA_1: 'sha1', SHA_256: 'sha256', SHA_384: 'sha384', SHA_512: 'sha512' }[name ?? ''];
      if (!node) throw this.#env.exec.error('Invalid argument: algorithm');
      return signedBytes(this.#env.exec, createHash(node).update(bufferOf(value)).digest());
    });
  }

  computeHmacSignature(algorithm: unknown, value: unknown, key: unknown, _charset?: unknown): number[] {
    return this.#call('computeHmacSignature', () => {
      const name = enumName(algorithm);
      const node = { HMAC_MD5: 'md5', HMAC_SHA_1: 'sha1', HMAC_SHA_256: 'sha256', HMAC_SHA_384: 'sha384', HMAC_SHA_512: 'sha512' }[name ?? ''];
      if (!node) throw this.#env.exec.error('Invalid argument: algorithm');
      return signedBytes(this.#env.exec, createHmac(node, bufferOf(key)).update(bufferOf(value)).digest());
    });
  }

  computeHmacSha256Signature(value: unknown, key: unknown, _charset?: unknown): number[] {
    return this.#call('computeHmacSha256Signature', () => signedBytes(this.#env.exec, createHmac('sha256', bufferOf(key)).update(bufferOf(value)).digest()));
  }

  newBlob(data: unknown, contentType?: unknown, name?: unknown): BlobFake {
    return this.#call(
      'newBlob',
      () => new BlobFake(this.#env.exec, bufferOf(data), contentType === undefined ? null : String(contentType), name === undefined ? null : String(name)),
    );
  }
}

// ------------------------------------------------------------ Session

class UserFake {
  readonly #email: string;

  constructor(email: string) {
    this.#email = email;
  }

  getEmail(): string {
    return this.#email;
  }
}

export class SessionFake {
  readonly #exec: Exec;
  readonly #scriptTimeZone: string;

  constructor(exec: Exec, scriptTimeZone: string) {
    this.#exec = exec;
    this.#scriptTimeZone = scriptTimeZone;
  }

  #call<T>(method: string, effect: () => T): T {
    return this.#exec.call(`Session.${method}`, this.#exec.costs.sessionMs, effect);
  }

  getActiveUser(): UserFake {
    return this.#call('getActiveUser', () => new UserFake(this.#exec.activeUser));
  }

  getEffectiveUser(): UserFake {
    return this.#call('getEffectiveUser', () => new UserFake(this.#exec.user));
  }

  getActiveUserLocale(): string {
    return this.#call('getActiveUserLocale', () => this.#exec.userLocale);
  }

  getScriptTimeZone(): string {
    return this.#call('getScriptTimeZone', () => this.#scriptTimeZone);
  }

  /**
   * Stable per user and script, and not the email; there even where getActiveUser's email is
   * hidden (https://developers.google.com/apps-script/reference/base/session#getTemporaryActiveUserKey()).
   * An anonymous web-app caller has none.
   */
  getTemporaryActiveUserKey(): string {
    const person = this.#exec.rules.person || this.#exec.activeUser;
    return this.#call('getTemporaryActiveUserKey', () =>
      person === '' ? '' : createHash('sha256').update(`mayar-sheets:${person}`).digest('base64').slice(0, 43),
    );
  }
}

// ------------------------------------------------------------ Logger and console

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isDateValue(value)) return value.toString();
  if (value instanceof Error || (value !== null && typeof value === 'object' && 'stack' in value && 'message' in value)) {
    const e = value as { name?: unknown; message?: unknown };
    return `${String(e.name)}: ${String(e.message)}`;
  }
  if (value !== null && typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

function formatLine(args: readonly unknown[]): string {
  const [first, ...rest] = args;
  if (typeof first === 'string' && /%[sdifoOj]/.test(first)) {
    let index = 0;
    const text = first.replace(/%[sdifoOj]/g, (spec) => {
      if (index >= rest.length) return spec;
      const value = rest[index++];
      if (spec === '%d' || spec === '%i') return String(Math.trunc(Number(value)));
      if (spec === '%f') return String(Number(value));
      return show(value);
    });
    return [text, ...rest.slice(index).map(show)].join(' ');
  }
  return args.map(show).join(' ');
}

export class LoggerFake {
  readonly #exec: Exec;
  readonly #lines: string[] = [];
  readonly #echo: boolean;

  constructor(exec: Exec, echo: boolean) {
    this.#exec = exec;
    this.#echo = echo;
  }

  log(...args: unknown[]): LoggerFake {
    const line = formatLine(args);
    this.#lines.push(line);
    this.#exec.log(line);
    if (this.#echo) process.stdout.write(`[gas #${this.#exec.index} ${this.#exec.fn}] ${line}\n`);
    return this;
  }

  getLog(): string {
    return this.#lines.join('\n');
  }

  clear(): void {
    this.#lines.length = 0;
  }
}

export function makeConsole(exec: Exec, echo: boolean): Record<string, (...args: unknown[]) => void> {
  const timers = new Map<string, number>();
  const write =
    (level: string) =>
    (...args: unknown[]) => {
      const line = level === 'log' ? formatLine(args) : `${level.toUpperCase()}: ${formatLine(args)}`;
      exec.log(line);
      if (echo) process.stdout.write(`[gas #${exec.index} ${exec.fn}] ${line}\n`);
    };
  return {
    log: write('log'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    debug: write('debug'),
    time: (label?: unknown) => {
      timers.set(String(label ?? 'default'), exec.now());
    },
    timeEnd: (label?: unknown) => {
      const key = String(label ?? 'default');
      const start = timers.get(key);
      if (start !== undefined) write('log')(`${key}: ${exec.now() - start}ms`);
      timers.delete(key);
    },
  };
}

// ------------------------------------------------------------ CacheService

const CACHE_VALUE_LIMIT = 100 * 1024;
const CACHE_MAX_TTL_S = 21600;
const CACHE_DEFAULT_TTL_S = 600;

/** One cache store; entries expire on the virtual clock. */
export class FakeCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  get(key: string, now: number): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  put(key: string, value: string, expiresAt: number): void {
    this.entries.set(key, { value, expiresAt });
  }

  remove(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

class CacheHandle {
  readonly #exec: Exec;
  readonly #cache: FakeCache;

  constructor(exec: Exec, cache: FakeCache) {
    this.#exec = exec;
    this.#cache = cache;
  }

  #call<T>(method: string, effect: () => T): T {
    return this.#exec.call(`Cache.${method}`, this.#exec.costs.cacheMs, effect);
  }

  #key(key: unknown): string {
    const k = String(key);
    if (k.length > 250) throw this.#exec.error('Argument too large: key');
    return k;
  }

  #ttl(seconds: unknown): number {
    if (seconds === undefined) return CACHE_DEFAULT_TTL_S;
    return Math.max(1, Math.min(CACHE_MAX_TTL_S, Number(seconds)));
  }

  get(key: unknown): string | null {
    return this.#call('get', () => this.#cache.get(this.#key(key), this.#exec.now()));
  }

  getAll(keys: unknown): Record<string, string> {
    return this.#call('getAll', () => {
      const out: Record<string, string> = {};
      for (const key of Array.isArray(keys) ? (keys as unknown[]) : []) {
        const value = this.#cache.get(this.#key(key), this.#exec.now());
        if (value !== null) out[String(key)] = value;
      }
      return this.#exec.toGuest(out) as Record<string, string>;
    });
  }

  put(key: unknown, value: unknown, expirationInSeconds?: unknown): void {
    this.#call('put', () => {
      const text = String(value);
      if (Buffer.byteLength(text, 'utf8') > CACHE_VALUE_LIMIT) throw this.#exec.error('Argument too large: value');
      this.#cache.put(this.#key(key), text, this.#exec.now() + this.#ttl(expirationInSeconds) * 1000);
    });
  }

  putAll(values: unknown, expirationInSeconds?: unknown): void {
    this.#call('putAll', () => {
      const ttl = this.#ttl(expirationInSeconds);
      for (const [k, v] of Object.entries((values ?? {}) as Record<string, unknown>)) this.#cache.put(this.#key(k), String(v), this.#exec.now() + ttl * 1000);
    });
  }

  remove(key: unknown): void {
    this.#call('remove', () => this.#cache.remove(this.#key(key)));
  }

  removeAll(keys: unknown): void {
    this.#call('removeAll', () => {
      for (const key of Array.isArray(keys) ? (keys as unknown[]) : []) this.#cache.remove(this.#key(key));
    });
  }
}

export interface CacheStores {
  document: FakeCache;
  script: FakeCache;
  user(email: string): FakeCache;
}

export class CacheServiceFake {
  readonly #exec: Exec;
  readonly #stores: CacheStores;

  constructor(exec: Exec, stores: CacheStores) {
    this.#exec = exec;
    this.#stores = stores;
  }

  getDocumentCache(): CacheHandle {
    return this.#exec.call('CacheService.getDocumentCache', 0, () => new CacheHandle(this.#exec, this.#stores.document));
  }

  getScriptCache(): CacheHandle {
    return this.#exec.call('CacheService.getScriptCache', 0, () => new CacheHandle(this.#exec, this.#stores.script));
  }

  getUserCache(): CacheHandle {
    return this.#exec.call('CacheService.getUserCache', 0, () => new CacheHandle(this.#exec, this.#stores.user(this.#exec.user)));
  }
}

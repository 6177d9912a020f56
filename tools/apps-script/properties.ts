/**
 * PropertiesService: three stores with Apps Script's size limits, 9 KB a value and 500 KB a
 * store (developers.google.com/apps-script/guides/services/quotas: "Properties value size
 * 9 KB / val", "Properties total storage 500 KB / property store"), counted in UTF-8 bytes.
 */
import type { Exec } from './execution';

export const PROPERTY_VALUE_LIMIT = 9 * 1024;
export const PROPERTY_STORE_LIMIT = 500 * 1024;

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** One persistent store. Test-facing methods cost nothing and skip the limits. */
export class FakeProperties {
  private readonly data = new Map<string, string>();

  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  set(key: string, value: string): void {
    this.data.set(key, value);
  }

  delete(key: string): void {
    this.data.delete(key);
  }

  clear(): void {
    this.data.clear();
  }

  keys(): string[] {
    return [...this.data.keys()];
  }

  all(): Record<string, string> {
    return Object.fromEntries(this.data);
  }

  /** Bytes counted against the 500 KB quota: keys plus values. */
  size(): number {
    let total = 0;
    for (const [k, v] of this.data) total += bytes(k) + bytes(v);
    return total;
  }

  /** Applies a change only if the result respects the limits; otherwise throws Apps Script's message. */
  commit(exec: Exec, next: Map<string, string>, changed: Iterable<string>): void {
    for (const key of changed) {
      const value = next.get(key);
      if (value !== undefined && bytes(key) + bytes(value) > PROPERTY_VALUE_LIMIT) throw exec.error('Argument too large: value');
    }
    let total = 0;
    for (const [k, v] of next) total += bytes(k) + bytes(v);
    if (total > PROPERTY_STORE_LIMIT) throw exec.error('You have exceeded the property storage quota. Please remove some properties and try again.');
    this.data.clear();
    for (const [k, v] of next) this.data.set(k, v);
  }

  snapshot(): Map<string, string> {
    return new Map(this.data);
  }
}

function asText(exec: Exec, value: unknown, what: string): string {
  if (value === null || value === undefined) throw exec.error(`Invalid argument: ${what}`);
  return String(value);
}

export class PropertiesHandle {
  readonly #exec: Exec;
  readonly #store: FakeProperties;

  constructor(exec: Exec, store: FakeProperties) {
    this.#exec = exec;
    this.#store = store;
  }

  #call<T>(method: string, effect: () => T): T {
    return this.#exec.call(`Properties.${method}`, this.#exec.costs.propertiesMs, effect);
  }

  getProperty(key: unknown): string | null {
    return this.#call('getProperty', () => this.#store.get(asText(this.#exec, key, 'key')));
  }

  getProperties(): Record<string, string> {
    return this.#call('getProperties', () => this.#exec.toGuest(this.#store.all()) as Record<string, string>);
  }

  getKeys(): string[] {
    return this.#call('getKeys', () => this.#exec.guestArray(this.#store.keys()));
  }

  setProperty(key: unknown, value: unknown): PropertiesHandle {
    return this.#call('setProperty', () => {
      const k = asText(this.#exec, key, 'key');
      const next = this.#store.snapshot();
      next.set(k, asText(this.#exec, value, 'value'));
      this.#store.commit(this.#exec, next, [k]);
      return this;
    });
  }

  setProperties(properties: unknown, deleteAllOthers?: unknown): PropertiesHandle {
    return this.#call('setProperties', () => {
      if (properties === null || typeof properties !== 'object') throw this.#exec.signatureError('PropertiesService.Properties.setProperties', [properties]);
      const next = deleteAllOthers === true ? new Map<string, string>() : this.#store.snapshot();
      const changed: string[] = [];
      for (const [k, v] of Object.entries(properties)) {
        next.set(k, asText(this.#exec, v, 'value'));
        changed.push(k);
      }
      this.#store.commit(this.#exec, next, changed);
      return this;
    });
  }

  deleteProperty(key: unknown): PropertiesHandle {
    return this.#call('deleteProperty', () => {
      this.#store.delete(asText(this.#exec, key, 'key'));
      return this;
    });
  }

  deleteAllProperties(): PropertiesHandle {
    return this.#call('deleteAllProperties', () => {
      this.#store.clear();
      return this;
    });
  }
}

export interface PropertyStores {
  document: FakeProperties;
  script: FakeProperties;
  user(email: string): FakeProperties;
}

export class PropertiesServiceFake {
  readonly #exec: Exec;
  readonly #stores: PropertyStores;

  constructor(exec: Exec, stores: PropertyStores) {
    this.#exec = exec;
    this.#stores = stores;
  }

  getDocumentProperties(): PropertiesHandle {
    return this.#exec.call('PropertiesService.getDocumentProperties', 0, () => new PropertiesHandle(this.#exec, this.#stores.document));
  }

  getScriptProperties(): PropertiesHandle {
    return this.#exec.call('PropertiesService.getScriptProperties', 0, () => new PropertiesHandle(this.#exec, this.#stores.script));
  }

  getUserProperties(): PropertiesHandle {
    return this.#exec.call('PropertiesService.getUserProperties', 0, () => new PropertiesHandle(this.#exec, this.#stores.user(this.#exec.user)));
  }
}

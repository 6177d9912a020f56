/**
 * A deep copy of a fake world between executions (the sheet, properties, triggers, locks, mail,
 * the clock, the Mayar simulator, ...), so a test can try many things from one point instead of
 * replaying everything up to it for each. The copy walks the object graph generically: class
 * instances keep their prototype, Maps, Sets, arrays and Dates are copied, shared references
 * stay shared within the copy. New state added to the fakes is copied without changes here.
 *
 * Functions are shared, which is right for pure ones (a fault's matcher). A function that holds
 * state in its closure, or points at an object of the world, says how to rebuild itself in the
 * copy with `cloneable`. Only state between executions is copied: an execution in progress
 * lives in its vm context and its service objects, which are not part of the world.
 */

const REBUILD = Symbol('clone.rebuild');

/** Maps an object of the world being copied to its copy. */
export type CopyOf = <T>(value: T) => T;

type Rebuild<F> = (copyOf: CopyOf) => F;

/**
 * Marks a stateful function: in a copy of the world, `rebuild` makes its counterpart, which
 * must be marked again (for a copy of the copy).
 */
export function cloneable<F extends (...args: never[]) => unknown>(fn: F, rebuild: Rebuild<F>): F {
  Object.defineProperty(fn, REBUILD, { value: rebuild });
  return fn;
}

/**
 * A function that works on one object of the world (`make(owner)`); in a copy it works on the
 * owner's copy, and so on for copies of copies. `make` must reach state only through `owner`.
 */
export function boundTo<O extends object, F extends (...args: never[]) => unknown>(owner: O, make: (owner: O) => F): F {
  return cloneable(make(owner), (copyOf) => boundTo(copyOf(owner), make));
}

function rebuilderOf(fn: unknown): Rebuild<unknown> | undefined {
  return (fn as { [REBUILD]?: Rebuild<unknown> })[REBUILD];
}

/** A deep copy of `root`; see the module comment for what is copied and what is shared. */
export function deepClone<T>(root: T): T {
  const copies = new Map<unknown, unknown>();
  const copyOf = <V>(value: V): V => copy(value) as V;

  function copy(value: unknown): unknown {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    if (copies.has(value)) return copies.get(value);
    if (typeof value === 'function') {
      const rebuild = rebuilderOf(value);
      if (!rebuild) return value;
      // `rebuild` should only look its objects up when called (they may still be being copied).
      const rebuilt = rebuild(copyOf);
      copies.set(value, rebuilt);
      return rebuilt;
    }
    const tag = Object.prototype.toString.call(value);
    if (tag === '[object Date]') {
      const date = new Date((value as Date).getTime());
      copies.set(value, date);
      return date;
    }
    if (tag === '[object RegExp]') return value;
    if (ArrayBuffer.isView(value)) {
      const view = (value as unknown as { slice(): unknown }).slice();
      copies.set(value, view);
      return view;
    }
    if (value instanceof Map) {
      const map = new Map<unknown, unknown>();
      copies.set(value, map);
      for (const [k, v] of value) map.set(copy(k), copy(v));
      return map;
    }
    if (value instanceof Set) {
      const set = new Set<unknown>();
      copies.set(value, set);
      for (const v of value) set.add(copy(v));
      return set;
    }
    const out: object = Array.isArray(value) ? new Array<unknown>(value.length) : Object.create(Object.getPrototypeOf(value) as object | null);
    copies.set(value, out);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (!descriptor) continue;
      if ('value' in descriptor) descriptor.value = copy(descriptor.value);
      Object.defineProperty(out, key, descriptor);
    }
    return out;
  }

  return copy(root) as T;
}

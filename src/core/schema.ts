/**
 * Two habits for zod schemas in a bundle that Apps Script evaluates afresh on every call (each
 * menu click, trigger and sidebar poll): build them on first use, and keep to the parts of zod
 * that stay small. Building a schema costs far more than its bytes: before schemas were built
 * lazily, building them was most of the time it took to evaluate Code.js (`npm run bench`).
 */
import * as z from 'zod/mini';

/**
 * `build()` run once, on the first call; later calls return the same value. Callers mark the
 * call with a PURE annotation, so a bundle that never uses the result (a sidebar) drops it and
 * zod with it: esbuild keeps a top-level call it can't prove free of side effects.
 */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

/**
 * What z.catch(schema, fallback) does (a stored value that is missing or no longer fits becomes
 * the fallback), without z.catch itself: it reaches zod's whole `util` namespace, much more
 * to evaluate. The default covers a missing key, which zod never hands to a transform.
 */
export function withFallback<T extends NonNullable<unknown> | null>(schema: z.ZodMiniType<T>, fallback: T) {
  const valueOrFallback = z.transform((value: unknown): T => {
    const parsed = z.safeParse(schema, value);
    return parsed.success ? parsed.data : fallback;
  });
  // `as never`: the compiler can't resolve zod's NoUndefined<T> for a generic T; the bound on T is that guarantee.
  return z._default(z.pipe(z.unknown(), valueOrFallback), fallback as never);
}

import * as z from 'zod/mini';

/**
 * What z.catch(schema, fallback) does (a stored value that is missing or no longer fits becomes
 * the fallback), without z.catch itself: it reaches zod's whole `util` namespace, about 10 KB
 * that Apps Script would evaluate on every call. The default covers a missing key, which zod
 * never hands to a transform.
 */
export function withFallback<T extends NonNullable<unknown> | null>(schema: z.ZodMiniType<T>, fallback: T) {
  const valueOrFallback = z.transform((value: unknown): T => {
    const parsed = z.safeParse(schema, value);
    return parsed.success ? parsed.data : fallback;
  });
  // `as never`: the compiler can't resolve zod's NoUndefined<T> for a generic T; the bound on T is that guarantee.
  return z._default(z.pipe(z.unknown(), valueOrFallback), fallback as never);
}

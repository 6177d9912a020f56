/** The document's lock around a piece of work, for the executions that never show a dialog. */
import type { AppContext } from './context';

export type Locked<T> = { locked: true; value: T } | { locked: false };

/**
 * Runs `work` holding the lock, waiting up to `waitMs` for it; however `work` ends, the sheet's
 * writes are flushed and the lock released. `{ locked: false }` when another execution held it
 * all that time (nothing ran). Commands that may show a dialog use control.ts's `withLock`.
 */
export function underLock<T>(ctx: AppContext, waitMs: number, work: () => T): Locked<T> {
  if (!ctx.ports.lock.tryLock(waitMs)) return { locked: false };
  try {
    return { locked: true, value: work() };
  } finally {
    ctx.ports.spreadsheet.flush();
    ctx.ports.lock.release();
  }
}

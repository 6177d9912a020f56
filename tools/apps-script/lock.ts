/**
 * LockService. Executions here run one after another, so contention comes from owners a test
 * declares (`holdDocumentLock('other user')`) standing in for a concurrent execution. Locks an
 * execution still holds are released when it ends, killed or not, as Apps Script does.
 */
import type { Exec } from './execution';

export const LOCK_TIMEOUT_MESSAGE = 'Lock timeout: another process was holding the lock for too long.';

export class FakeLock {
  private readonly holders = new Map<string, string>();

  /** Pretends another execution holds the document lock until releaseDocumentLock(). */
  holdDocumentLock(owner: string): void {
    this.hold('document', owner);
  }

  releaseDocumentLock(): void {
    this.holders.delete('document');
  }

  /**
   * Pretends another execution of this spreadsheet holds its lock, whichever one the code
   * takes: the document lock, or the script lock (a bound script's, which web apps have too).
   */
  holdSpreadsheetLock(owner: string): void {
    this.hold('document', owner);
    this.hold('script', owner);
  }

  releaseSpreadsheetLock(): void {
    this.holders.delete('document');
    this.holders.delete('script');
  }

  /** Who holds a lock: 'document' (default), 'script', or 'user:<email>'. */
  holder(key = 'document'): string | null {
    return this.holders.get(key) ?? null;
  }

  hold(key: string, owner: string): void {
    const current = this.holders.get(key);
    if (current !== undefined && current !== owner) throw new Error(`FakeLock: ${key} lock is already held by ${current}`);
    this.holders.set(key, owner);
  }

  release(key: string): void {
    this.holders.delete(key);
  }

  tryAcquire(key: string, owner: string): boolean {
    const current = this.holders.get(key);
    if (current !== undefined && current !== owner) return false;
    this.holders.set(key, owner);
    return true;
  }

  releaseIfOwner(key: string, owner: string): void {
    if (this.holders.get(key) === owner) this.holders.delete(key);
  }

  releaseAll(owner: string): void {
    for (const [key, holder] of [...this.holders]) if (holder === owner) this.holders.delete(key);
  }
}

export class LockHandle {
  readonly #exec: Exec;
  readonly #locks: FakeLock;
  readonly #key: string;

  constructor(exec: Exec, locks: FakeLock, key: string) {
    this.#exec = exec;
    this.#locks = locks;
    this.#key = key;
  }

  #timeout(value: unknown): number {
    const ms = Number(value);
    if (!Number.isFinite(ms) || ms < 0) throw this.#exec.error(`Invalid argument: timeoutInMillis`);
    return ms;
  }

  tryLock(timeoutInMillis: unknown): boolean {
    const wait = this.#timeout(timeoutInMillis);
    return this.#exec.call(
      'Lock.tryLock',
      (got: boolean) => this.#exec.costs.lockMs + (got ? 0 : wait),
      () => this.#locks.tryAcquire(this.#key, this.#exec.lockOwner),
    );
  }

  waitLock(timeoutInMillis: unknown): void {
    const wait = this.#timeout(timeoutInMillis);
    const got = this.#exec.call(
      'Lock.waitLock',
      (ok: boolean) => this.#exec.costs.lockMs + (ok ? 0 : wait),
      () => this.#locks.tryAcquire(this.#key, this.#exec.lockOwner),
    );
    if (!got) throw this.#exec.error(LOCK_TIMEOUT_MESSAGE);
  }

  releaseLock(): void {
    this.#exec.call('Lock.releaseLock', this.#exec.costs.lockMs, () => this.#locks.releaseIfOwner(this.#key, this.#exec.lockOwner));
  }

  hasLock(): boolean {
    return this.#exec.call('Lock.hasLock', 0, () => this.#locks.holder(this.#key) === this.#exec.lockOwner);
  }
}

export class LockServiceFake {
  readonly #exec: Exec;
  readonly #locks: FakeLock;

  constructor(exec: Exec, locks: FakeLock) {
    this.#exec = exec;
    this.#locks = locks;
  }

  /**
   * "null if called from a web app, a custom function or a script that isn't contained in a
   * document" — https://developers.google.com/apps-script/reference/lock/lock-service#getDocumentLock()
   */
  getDocumentLock(): LockHandle | null {
    return this.#exec.call('LockService.getDocumentLock', 0, () =>
      this.#exec.rules.hasContainer ? new LockHandle(this.#exec, this.#locks, 'document') : null,
    );
  }

  getScriptLock(): LockHandle {
    return this.#exec.call('LockService.getScriptLock', 0, () => new LockHandle(this.#exec, this.#locks, 'script'));
  }

  getUserLock(): LockHandle {
    return this.#exec.call('LockService.getUserLock', 0, () => new LockHandle(this.#exec, this.#locks, `user:${this.#exec.user}`));
  }
}

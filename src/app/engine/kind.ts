/**
 * What a job kind gives the engine. The engine knows no kind: it takes the lock, loads the
 * job, asks the kind's module to advance one pass, and saves and schedules what follows.
 * src/app/kinds.ts registers one module per JobKind; the compiler checks that none is missing.
 */
import type { ExtraOutputColumn } from '../../core/headers';
import type { Job, JobKind, JobRow } from '../../core/job';
import type { MessageKey } from '../../core/messages';
import type { AppContext } from '../context';
import type { Pass, SheetSnapshot } from './pass';

export interface JobKindModule {
  /** Names the kind in messages ("Creating payment links"). */
  readonly label: MessageKey;
  /** What the kind writes besides Payment Link … Error: the output columns it adds when missing. */
  readonly extraColumns: readonly ExtraOutputColumn[];
  /** Sends what the time and rate budget allow and writes the results (through writeResults). */
  advance(pass: Pass): void;
  /** Where a result's row is now (0-based data index, header = 0), or -1. */
  locate(row: JobRow, snap: SheetSnapshot, claimed: Set<number>): number;
  /** The toast after a chunk of results. */
  toast(ctx: AppContext, job: Job): string;
  /** The sentences that end the summary when the job finishes. */
  summary(ctx: AppContext, job: Job): string[];
  /** What follows a run that ended done, once the slot is free (the lock held): the form kind's emails. */
  afterDone?(ctx: AppContext, job: Job): void;
}

export type KindRegistry = { readonly [K in JobKind]: JobKindModule };

// The context carries the registry; declared here so context.ts imports nothing of the engine.
declare module '../context' {
  interface AppContext {
    /** One module per job kind. */
    kinds: KindRegistry;
  }
}

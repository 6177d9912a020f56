/** What processNextBatch() and the progress sidebar exchange. Plain values only (google.script.run). */
import type { Locale } from './messages';

import type { JobKind } from './job';

export type { JobKind };
export type RunState = 'idle' | 'running' | 'paused' | 'done' | 'cancelled' | 'stopped' | 'busy';

export interface ProgressView {
  /** True when no job is in progress for this document (finished, cancelled, stopped or none). */
  done: boolean;
  /** How long the caller should wait before calling processNextBatch() again. */
  waitMs: number;
  created: number;
  failed: number;
  pending: number;
  state: RunState;
  kind: JobKind | null;
  total: number;
  /** Rows that got a status other than created/failed: Needs review, skipped as changed. */
  needsReview: number;
  /** Refresh jobs: rows found paid / unpaid / expired / closed, and rupiah collected. */
  paid: number;
  unpaid: number;
  expired: number;
  closed: number;
  collected: number;
  sheetName: string;
  startedBy: string;
  /** Estimated time left, from the rate limit and the rows still to send. */
  etaMs: number;
  /** A sentence for the user about the run (why it stopped, who holds it). */
  message: string;
  /** Sheet row of the first row that ended with an Error, for "jump to first error". */
  firstErrorRow: number | null;
  /** The language the sidebar should speak to this user. */
  locale: Locale;
}

/** Refreshing payment status: a job like creating links, advanced by the same processNextBatch(). */
import type { Job } from '../core/job';

export function advanceRefresh(pass: { job: Job }): void {
  pass.job.rows = [];
}

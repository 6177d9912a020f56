/** A new job of this person, in this document's environment, for one sheet. */
import { type Job, type JobKind, type JobRow, newJob } from '../core/job';
import type { AppContext } from './context';
import type { SheetPort } from './ports';

export function jobFor(
  ctx: AppContext,
  kind: JobKind,
  sheet: Pick<SheetPort, 'id' | 'name'>,
  rows: JobRow[],
  tally: { skipped?: number; failed?: number; firstErrorRow?: number | null; leftOver?: number } = {},
): Job {
  const job = newJob({
    id: ctx.ports.uuid().replace(/-/g, '').slice(0, 12),
    kind,
    sheetId: sheet.id,
    sheetName: sheet.name,
    startedBy: ctx.user,
    startedByKey: ctx.userKey,
    startedAt: ctx.ports.clock.now(),
    environment: ctx.settings.environment,
    keyScope: ctx.settings.keyScope,
    rows,
    skipped: tally.skipped ?? 0,
    failed: tally.failed ?? 0,
    firstErrorRow: tally.firstErrorRow ?? null,
    ...(tally.leftOver !== undefined ? { leftOver: tally.leftOver } : {}),
  });
  job.touchedAt = job.startedAt;
  return job;
}

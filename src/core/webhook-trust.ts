/**
 * What a webhook may make the add-on do. Whoever holds the webhook URL can post anything, so a
 * body is measured and its ids checked before anything is kept; a payment in no row is only
 * counted (one Mayar Log line an hour); a payment is read from Mayar at most once per
 * READ_GAP_MS for webhooks; and a transaction confirms a row only when Mayar says it belongs to
 * that row's payment, for that row's amount. Pure: the callers keep the state.
 */

/** A payment.received body is well under 2 KB; anything over this is not Mayar. */
export const MAX_BODY_BYTES = 20_000;
/** At most one confirming read of one payment per this long, however many webhooks name it. */
export const READ_GAP_MS = 10 * 60_000;
/** At most one Mayar Log line per kind of noise per this long. */
export const NOISE_PERIOD_MS = 60 * 60_000;
/** Reads remembered at most (older ones are forgotten first). */
const MAX_READS = 200;

/** A webhook the add-on does not act on: for a payment in no row, or a body refused. */
export type NoiseKind = 'stray' | 'refused';

interface NoiseCount {
  /** Counted since the last line. */
  pending: number;
  /** When the last line was written. */
  loggedAt: number;
  /** The latest such webhook, for the line's details. */
  sample: string;
}

export type NoiseState = Partial<Record<NoiseKind, NoiseCount>>;

/** A Mayar Log line to write: how many of `kind` since the last one. */
export interface NoiseLine {
  kind: NoiseKind;
  count: number;
  sample: string;
}

export function parseNoise(text: string | null): NoiseState {
  try {
    const value: unknown = JSON.parse(text ?? '{}');
    if (typeof value !== 'object' || value === null) return {};
    const state: NoiseState = {};
    for (const kind of ['stray', 'refused'] as const) {
      const entry = (value as Record<string, unknown>)[kind];
      if (typeof entry !== 'object' || entry === null) continue;
      const { pending, loggedAt, sample } = entry as Record<string, unknown>;
      if (typeof pending === 'number' && typeof loggedAt === 'number') state[kind] = { pending, loggedAt, sample: typeof sample === 'string' ? sample : '' };
    }
    return state;
  } catch {
    return {};
  }
}

/** Counts one webhook of `kind`; the line to write now, if an hour has passed since the last one. */
export function countNoise(state: NoiseState, kind: NoiseKind, sample: string, now: number): { state: NoiseState; line: NoiseLine | null } {
  const previous = state[kind] ?? { pending: 0, loggedAt: -Infinity, sample: '' };
  const counted: NoiseCount = { pending: previous.pending + 1, loggedAt: previous.loggedAt, sample: sample.slice(0, 200) };
  return dueNoise({ ...state, [kind]: counted }, now, kind);
}

/** The lines due now (counts an hour old or more), and the state once they are written. */
export function dueNoise(state: NoiseState, now: number, only?: NoiseKind): { state: NoiseState; line: NoiseLine | null; lines: NoiseLine[] } {
  const next: NoiseState = { ...state };
  const lines: NoiseLine[] = [];
  for (const kind of ['stray', 'refused'] as const) {
    const entry = state[kind];
    if (!entry || entry.pending === 0 || (only && kind !== only)) continue;
    if (now - entry.loggedAt < NOISE_PERIOD_MS) continue;
    lines.push({ kind, count: entry.pending, sample: entry.sample });
    next[kind] = { pending: 0, loggedAt: now, sample: '' };
  }
  return { state: next, line: lines[0] ?? null, lines };
}

/** Payment id → when a webhook last had it read from Mayar. */
export type ReadTimes = Record<string, number>;

export function parseReads(text: string | null): ReadTimes {
  try {
    const value: unknown = JSON.parse(text ?? '{}');
    if (typeof value !== 'object' || value === null) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, number] => typeof e[1] === 'number'));
  } catch {
    return {};
  }
}

/** May a webhook have this payment read from Mayar now? */
export function readAllowed(reads: ReadTimes, paymentId: string, now: number): boolean {
  const last = reads[paymentId];
  return last === undefined || now - last >= READ_GAP_MS || now < last;
}

/** The reads after reading `paymentId` now, those older than the gap forgotten. */
export function noteRead(reads: ReadTimes, paymentId: string, now: number): ReadTimes {
  const kept = Object.entries(reads).filter(([id, at]) => id !== paymentId && now - at < READ_GAP_MS && at <= now);
  kept.push([paymentId, now]);
  return Object.fromEntries(kept.slice(-MAX_READS));
}

/** Why a transaction or payment read from Mayar is not the row's, or null when it is. */
export type NotTheirs = { kind: 'otherPayment'; paymentId: string } | { kind: 'otherAmount'; amount: number | null };

/**
 * A record read from Mayar confirms a row only when it is that row's payment (the
 * transaction's paymentLink.id, the detail's id) for that row's amount.
 */
export function notTheirs(record: { paymentId: string | null; amount: number | null }, row: { paymentId: string; amount: number | null }): NotTheirs | null {
  if (record.paymentId !== row.paymentId) return { kind: 'otherPayment', paymentId: record.paymentId ?? '' };
  if (row.amount === null || record.amount !== row.amount) return { kind: 'otherAmount', amount: record.amount };
  return null;
}

/**
 * Webhooks the add-on does not act on (a payment in no row, a body refused) are counted in a
 * document property and reach the Mayar Log as one line an hour with the count, so that a
 * stream of forged posts costs no Mayar call and leaves the log readable. The count itself is
 * kept without the lock (a lost increment only makes a count one short); the line is written
 * under it.
 */
import { countNoise, dueNoise, type NoiseKind, type NoiseLine, noteRead, parseNoise, parseReads, readAllowed } from '../core/webhook-trust';
import { appendLog } from './audit-log';
import type { AppContext } from './context';

const NOISE_KEY = 'mayar.webhookNoise';
const READS_KEY = 'mayar.webhookReads';

/** Counts one webhook of `kind`; returns the log line due now (write it under the lock), if any. */
export function countWebhookNoise(ctx: AppContext, kind: NoiseKind, sample: string): NoiseLine | null {
  const store = ctx.ports.documentStore;
  const { state, line } = countNoise(parseNoise(store.get(NOISE_KEY)), kind, sample, ctx.ports.clock.now());
  store.setMany({ [NOISE_KEY]: JSON.stringify(state) });
  return line;
}

/** Counts an hour old or more, taken from the count to be written now (under the lock). */
export function dueWebhookNoise(ctx: AppContext): NoiseLine[] {
  const store = ctx.ports.documentStore;
  const text = store.get(NOISE_KEY);
  if (text === null) return [];
  const { state, lines } = dueNoise(parseNoise(text), ctx.ports.clock.now());
  if (lines.length > 0) store.setMany({ [NOISE_KEY]: JSON.stringify(state) });
  return lines;
}

/** Whether a count is an hour old (read only: take it with dueWebhookNoise under the lock). */
export function webhookNoiseDue(ctx: AppContext): boolean {
  const text = ctx.ports.documentStore.get(NOISE_KEY);
  return text !== null && dueNoise(parseNoise(text), ctx.ports.clock.now()).lines.length > 0;
}

/** Writes count lines to the Mayar Log. Call with the lock held. */
export function logWebhookNoise(ctx: AppContext, lines: readonly NoiseLine[]): void {
  if (lines.length === 0) return;
  try {
    appendLog(
      ctx,
      lines.map((line) => ({
        sheet: '',
        row: '',
        customer: '',
        amount: '',
        action: ctx.say('log.webhook'),
        outcome: ctx.say(line.kind === 'stray' ? 'webhook.strayCount' : 'webhook.refusedCount', { count: line.count }),
        paymentId: '',
        details: line.sample,
      })),
    );
  } catch (error) {
    console.warn(`Mayar webhook: could not write the log: ${String(error)}`);
  }
}

/** May a webhook have this payment read from Mayar now (one read per payment per 10 minutes)? */
export function webhookReadAllowed(ctx: AppContext, paymentId: string): boolean {
  return readAllowed(parseReads(ctx.ports.documentStore.get(READS_KEY)), paymentId, ctx.ports.clock.now());
}

export function noteWebhookRead(ctx: AppContext, paymentId: string): void {
  const store = ctx.ports.documentStore;
  store.setMany({ [READS_KEY]: JSON.stringify(noteRead(parseReads(store.get(READS_KEY)), paymentId, ctx.ports.clock.now())) });
}

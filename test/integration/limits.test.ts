/** The size limit of one run: 5,000 rows, with the job kept inside document properties. */
import { expect, it } from 'vitest';
import { customers, World } from '../support/world';

it('takes the first 5,000 rows of a bigger sheet and keeps its job well inside the property quota', () => {
  const world = new World({ rows: customers(5001) });
  const click = world.run('createPaymentLinks');
  const view = click.value as { total: number; created: number; pending: number; done: boolean };
  expect(view).toMatchObject({ total: 5000, created: 20, pending: 4980, done: false });

  // Apps Script allows 500 KB per property store; the job must leave room for everything else.
  const stored = Object.entries(world.runtime.properties.document.all()).reduce((sum, [k, v]) => sum + k.length + v.length, 0);
  expect(stored).toBeLessThan(300 * 1024);

  const next = world.run('processNextBatch').value as { pending: number };
  expect(next.pending).toBe(4980);
  world.runtime.advance(61_000);
  expect((world.run('processNextBatch').value as { pending: number }).pending).toBe(4960);
  // Row 5,002 (the 5,001st customer) is left for the next run.
  expect(world.rows().at(-1)?.['Payment Link']).toBe('');
});

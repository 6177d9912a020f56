/**
 * A copied world (test/support/world.ts, tools/clone.ts) carries on exactly as the original
 * would, and apart from it: the sweeps that kill an execution at each call start from copies.
 */
import { describe, expect, it } from 'vitest';
import { deepClone } from '../../tools/apps-script/gas-runtime';
import { seededRandom } from '../../tools/apps-script/utilities';
import { customers, World } from '../support/world';

describe('a copy of the world', () => {
  it('carries on as the original does, and a copy of the copy too, without touching it', () => {
    const original = new World({ rows: customers(25) });
    original.run('createPaymentLinks');
    const copy = original.clone();
    const copyOfCopy = copy.clone();
    const createsBefore = original.sim.createCount();

    original.continueToEnd();
    // The original's run moved only the original.
    expect(copy.sim.createCount()).toBe(createsBefore);
    expect(copy.runtime.clock.now()).toBeLessThan(original.runtime.clock.now());

    for (const other of [copy, copyOfCopy]) {
      other.continueToEnd();
      expect(other.values()).toEqual(original.values());
      expect(other.sim.requests).toEqual(original.sim.requests);
      expect(other.runtime.clock.now()).toBe(original.runtime.clock.now());
      expect(other.runtime.triggers).toEqual(original.runtime.triggers);
    }
  });

  it('draws the same random numbers from the point it was made', () => {
    const random = seededRandom(7);
    random();
    const copy = deepClone(random);
    expect([copy(), copy()]).toEqual([random(), random()]);
  });
});

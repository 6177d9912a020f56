/**
 * Rows stay true, end to end on the built bundle: amounts a person could read two ways, ids
 * that would change a URL, text copied into other sheets, expiry as sent, renewals that close
 * the old request first, property values measured in bytes.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../support/world';

const HEADER = ['Name', 'Amount', 'Email', 'Mobile', 'Description', 'Expires At'];

describe('bad input, named', () => {
  it('refuses an amount with separators a person could read two ways, and sends nothing for it', () => {
    const world = new World({
      rows: [HEADER, ['Budi', '1.500,000', '', '', 'Katering', ''], ['Siti', "'1,000.000", '', '', 'Kue', ''], ['Andi', '250000', '', '', 'Tenda', '']],
    });
    world.run('createPaymentLinks');
    const errors = world.column('Error');
    expect(errors[0]).toBe('Amount: "1.500,000" can be read two ways; write it with one kind of separator, e.g. 1500000 or 1.500.000');
    expect(errors[1]).toContain('"1,000.000" can be read two ways');
    expect(errors[2]).toBe('');
    expect(world.sim.payments().map((p) => p.amount)).toEqual([250000]);
  });
});

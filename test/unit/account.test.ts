import { describe, expect, it } from 'vitest';
import { daysAgo, keyTag, linkDomain, onSandboxHost, parseAccountChange, parseKeyRecord, requestKey } from '../../src/core/account';
import { channelsRequest, createRequest } from '../../src/core/mayar-requests';

describe('the account helpers', () => {
  it('sends a sandbox request to the host that accepts the key, and leaves production alone', () => {
    const sandbox = channelsRequest('sandbox', 'k.e.y');
    expect(onSandboxHost(sandbox, 'api.mayar.io').url).toBe('https://api.mayar.io/hl/v2/payment-channels');
    expect(onSandboxHost(sandbox, 'api.mayar.club').url).toBe('https://api.mayar.club/hl/v2/payment-channels');
    const production = createRequest('production', 'k.e.y', { name: 'A', amount: 1_000, expiredAt: '2026-12-31T00:00:00.000Z' });
    expect(onSandboxHost(production, 'api.mayar.io')).toBe(production);
    expect(requestKey(sandbox)).toBe('k.e.y');
  });

  it('tells keys apart by a tag, reads a link domain, counts days as people do', () => {
    expect(keyTag('a.b.c')).toMatch(/^[0-9a-f]{8}$/);
    expect(keyTag('a.b.c')).not.toBe(keyTag('a.b.d'));
    expect(linkDomain('https://TokoBudi.myr.lat/pl/abc')).toBe('tokobudi.myr.lat');
    expect(linkDomain('not a link')).toBeNull();
    const jakarta = 7 * 3_600_000;
    // 23:00 and 01:00 the next day in Jakarta: yesterday, though two hours apart.
    expect(daysAgo(Date.UTC(2026, 10, 24, 16), Date.UTC(2026, 10, 24, 18), jakarta)).toBe(1);
    expect(daysAgo(Date.UTC(2026, 10, 24, 1), Date.UTC(2026, 10, 24, 9), jakarta)).toBe(0);
  });

  it('reads stored records leniently: an unreadable one is none', () => {
    expect(parseKeyRecord('{"tag":"t","hint":"…abcd","scope":"document","by":"m@x","byKey":"k","at":5,"sandboxHost":"api.mayar.io","hostAt":6}')).toEqual({
      tag: 't',
      hint: '…abcd',
      scope: 'document',
      by: 'm@x',
      byKey: 'k',
      at: 5,
      sandboxHost: 'api.mayar.io',
      hostAt: 6,
    });
    expect(parseKeyRecord('{"tag":"t","sandboxHost":"evil.example"}')).not.toHaveProperty('sandboxHost');
    expect(parseKeyRecord('not json')).toBeNull();
    expect(parseAccountChange('{"by":"m@x","byKey":"k","at":1,"what":["environment",3]}')).toEqual({ by: 'm@x', byKey: 'k', at: 1, what: ['environment'] });
    expect(parseAccountChange('[]')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/core/failure-text';

describe('describeFailure: what a failed Mayar reply says in the Error cell and the log', () => {
  it('names the HTTP status of each refusal', () => {
    expect(describeFailure({ kind: 'unauthorized' })).toBe('HTTP 401 Unauthorized');
    expect(describeFailure({ kind: 'rate-limited', retryAfterMs: 30_000 })).toBe('HTTP 429 Too Many Requests');
    expect(describeFailure({ kind: 'duplicate' })).toBe('HTTP 429 Duplicate request');
    expect(describeFailure({ kind: 'not-found' })).toBe('HTTP 404');
  });

  it('a 409 says what Mayar said after the status', () => {
    expect(describeFailure({ kind: 'conflict', details: ['already exist'] })).toBe('HTTP 409: already exist');
    expect(describeFailure({ kind: 'conflict', details: [] })).toBe('HTTP 409');
  });

  it("a rejection lists Mayar's reasons, or its status when it gave none", () => {
    expect(describeFailure({ kind: 'rejected', status: 400, details: ['email: invalid', 'amount: too small'] })).toBe('email: invalid; amount: too small');
    expect(describeFailure({ kind: 'rejected', status: 422, details: [] })).toBe('HTTP 422');
  });

  it('an unavailable server always shows its status, once, before what the body said', () => {
    expect(describeFailure({ kind: 'unavailable', status: 500, details: ['Error'] })).toBe('HTTP 500; Error');
    expect(describeFailure({ kind: 'unavailable', status: 502, details: ['HTTP 502', 'Bad Gateway'] })).toBe('HTTP 502; Bad Gateway');
    expect(describeFailure({ kind: 'unavailable', status: 503, details: [] })).toBe('HTTP 503');
  });
});

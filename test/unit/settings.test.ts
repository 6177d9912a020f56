import { describe, expect, it } from 'vitest';
import { apiKeySchema, apiKeyWarning, DEFAULTS, settingsInputSchema, storedSettingsSchema } from '../../src/core/settings';

const KEY = 'abcdefghij.klmnopqrstu.vwxyz012345';

function problems(input: unknown): [string, string][] {
  const result = settingsInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
}

describe('settingsInputSchema', () => {
  it('accepts a full form, trims the key, turns typed numbers into numbers and drops unknown fields', () => {
    const result = settingsInputSchema.safeParse({
      apiKey: `  ${KEY} `,
      environment: 'production',
      keyScope: 'document',
      defaultExpiryDays: ' 14 ',
      requestsPerMinute: '20',
      language: 'id',
      autoRefresh: true,
      removeApiKey: false,
      favouriteColour: 'blue',
    });
    expect(result).toEqual({
      success: true,
      data: {
        apiKey: KEY,
        environment: 'production',
        keyScope: 'document',
        defaultExpiryDays: 14,
        requestsPerMinute: 20,
        language: 'id',
        autoRefresh: true,
        removeApiKey: false,
      },
    });
  });

  it('leaves out fields that are missing, so they keep their stored value', () => {
    expect(settingsInputSchema.safeParse({})).toEqual({ success: true, data: {} });
    expect(settingsInputSchema.safeParse({ autoRefresh: false })).toEqual({ success: true, data: { autoRefresh: false } });
  });

  it('refuses only a key that cannot be sent: nothing left, absurdly long, or characters no key has', () => {
    expect(problems({ apiKey: '   ' })).toEqual([['apiKey', 'Enter an API key']]);
    expect(problems({ apiKey: `${KEY}${'x'.repeat(4000)}` })).toEqual([['apiKey', 'The API key looks too long']]);
    expect(problems({ apiKey: 'kunci-rahasia-ku™' })).toEqual([['apiKey', 'The API key has characters Mayar keys never have (copy it again from Mayar)']]);
  });

  it('strips a pasted "Bearer " prefix and spaces, and keeps an odd-looking key (a warning, not an error)', () => {
    expect(settingsInputSchema.safeParse({ apiKey: `Bearer ${KEY}` })).toEqual({ success: true, data: { apiKey: KEY } });
    expect(settingsInputSchema.safeParse({ apiKey: ` ${KEY.slice(0, 10)}\n ${KEY.slice(10)} ` })).toEqual({ success: true, data: { apiKey: KEY } });
    expect(settingsInputSchema.safeParse({ apiKey: 'short' })).toEqual({ success: true, data: { apiKey: 'short' } });
    expect(apiKeyWarning('short')).toContain('does not look like a Mayar API key');
    expect(apiKeyWarning('a'.repeat(30))).toContain('does not look like a Mayar API key');
    expect(apiKeyWarning(`Bearer ${KEY}`)).toBeNull();
  });

  it('checks the numbers: whole first, then the bounds', () => {
    expect(problems({ defaultExpiryDays: '1.5' })).toEqual([['defaultExpiryDays', 'Whole days only']]);
    expect(problems({ defaultExpiryDays: '0.5' })).toEqual([['defaultExpiryDays', 'Whole days only']]);
    expect(problems({ defaultExpiryDays: '' })).toEqual([['defaultExpiryDays', 'At least 1 day']]);
    expect(problems({ defaultExpiryDays: '366' })).toEqual([['defaultExpiryDays', 'At most 365 days']]);
    expect(problems({ requestsPerMinute: '2.5' })).toEqual([['requestsPerMinute', 'Whole numbers only']]);
    expect(problems({ requestsPerMinute: '0' })).toEqual([['requestsPerMinute', 'At least 1']]);
    expect(problems({ requestsPerMinute: '51' })).toEqual([['requestsPerMinute', 'At most 50']]);
  });

  it('reports text that is not a number as a wrong type, which the sidebar words as "Enter a number"', () => {
    const result = settingsInputSchema.safeParse({ defaultExpiryDays: 'abc' });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(result.error.issues[0]).toMatchObject({
        path: ['defaultExpiryDays'],
        code: 'invalid_type',
        message: 'Invalid input: expected number, received NaN',
      });
  });

  it('rejects values no form control could send, naming the field', () => {
    expect(problems({ environment: 'staging', language: 'fr', autoRefresh: 'yes', apiKey: 12 })).toEqual([
      ['apiKey', 'Invalid input: expected string, received number'],
      ['environment', 'Invalid option: expected one of "sandbox"|"production"'],
      ['language', 'Invalid option: expected one of "auto"|"en"|"id"'],
      ['autoRefresh', 'Invalid input: expected boolean, received string'],
    ]);
    expect(problems('settings')).toEqual([['', 'Invalid input: expected object, received string']]);
  });
});

describe('apiKeySchema', () => {
  it('trims a good key and reports problems with an empty path', () => {
    expect(apiKeySchema.safeParse(` ${KEY}\n`)).toEqual({ success: true, data: KEY });
    const result = apiKeySchema.safeParse('kéy');
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.map((i) => i.path)).toEqual([[]]);
  });
});

describe('storedSettingsSchema', () => {
  it('falls back to the default for each unreadable stored value and keeps the good ones', () => {
    const stored = storedSettingsSchema().parse({
      environment: 'x',
      keyScope: 'document',
      defaultExpiryDays: 0.5,
      requestsPerMinute: 99,
      language: 'fr',
      autoRefresh: 1,
    });
    expect(stored).toEqual({ ...DEFAULTS, keyScope: 'document' });
    expect(storedSettingsSchema().parse({ ...DEFAULTS, defaultExpiryDays: 30, requestsPerMinute: 10 })).toEqual({
      ...DEFAULTS,
      defaultExpiryDays: 30,
      requestsPerMinute: 10,
    });
  });
});

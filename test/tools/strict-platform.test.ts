/**
 * The platform rules the fake enforces beyond the execution model: OAuth scopes, execution
 * contexts, add-on triggers, UrlFetch allowlist and quota, MailApp, protected and validated
 * cells, filters, locale typing, Session privacy and authorization info.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ADDON_HOURLY_ONLY,
  ADDON_ONE_TRIGGER_PER_DOCUMENT,
  GasRuntime,
  type GasRuntimeOptions,
  type HttpOutcome,
  type HttpRequest,
  MAIL_QUOTA_MESSAGE,
  type Manifest,
  notAllowlistedMessage,
  permissionMessage,
  PROTECTED_MESSAGE,
  requiredScopes,
  SCOPE,
  SERVER_ERROR_MESSAGE,
  TOO_MANY_TRIGGERS,
  URLFETCH_QUOTA_MESSAGE,
  validationMessage,
} from '../../tools/apps-script/gas-runtime';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** The project's own manifest, as far as the runtime reads it. */
const MANIFEST: Manifest = {
  oauthScopes: [SCOPE.spreadsheetsCurrentOnly, SCOPE.externalRequest, SCOPE.containerUi, SCOPE.scriptApp, SCOPE.userInfoEmail],
  urlFetchWhitelist: ['https://api.mayar.id/', 'https://*.mayar.club/hl/'],
  webapp: { executeAs: 'USER_DEPLOYING', access: 'ANYONE_ANONYMOUS' },
};

const ON_TIME = { minMs: 0, maxMs: 0 };

/** Triggers on time unless a test asks for lateness: these tests time them to the millisecond. */
function runtime(options: Partial<GasRuntimeOptions> = {}) {
  const received: HttpRequest[] = [];
  const http = (request: HttpRequest): HttpOutcome => {
    received.push(request);
    return { kind: 'response', status: 200, headers: {}, body: '{}', latencyMs: 100 };
  };
  const rt = new GasRuntime({ http, bundleDir: FIXTURES, manifest: MANIFEST, triggerLateness: ON_TIME, ...options });
  return { rt, received };
}

describe('OAuth scopes', () => {
  it('knows the documented scopes of the methods the add-on calls and will call', () => {
    expect(requiredScopes('Session.getActiveUser')).toEqual([SCOPE.userInfoEmail]);
    expect(requiredScopes('Session.getEffectiveUser')).toEqual([SCOPE.userInfoEmail]);
    expect(requiredScopes('Session.getTemporaryActiveUserKey')).toEqual([]);
    expect(requiredScopes('MailApp.sendEmail')).toEqual([SCOPE.sendMail]);
    expect(requiredScopes('MailApp.getRemainingDailyQuota')).toEqual([SCOPE.sendMail]);
    expect(requiredScopes('ScriptApp.getUserTriggers')).toEqual([SCOPE.scriptApp]);
    expect(requiredScopes('ClockTriggerBuilder.create')).toEqual([SCOPE.scriptApp]);
    expect(requiredScopes('ScriptApp.getAuthorizationInfo')).toEqual([]);
    expect(requiredScopes('ScriptApp.getInstallationSource')).toEqual([]);
    expect(requiredScopes('Ui.createAddonMenu')).toEqual([]);
    expect(requiredScopes('Ui.showSidebar')).toEqual([SCOPE.containerUi]);
    expect(requiredScopes('LockService.getScriptLock')).toEqual([]);
    expect(requiredScopes('UrlFetchApp.fetchAll')).toEqual([SCOPE.externalRequest]);
    for (const method of [
      'Sheet.newChart',
      'Sheet.insertChart',
      'Sheet.setConditionalFormatRules',
      'Sheet.isRowHiddenByFilter',
      'Range.getDisplayValues',
      'Spreadsheet.getSpreadsheetLocale',
    ])
      expect(requiredScopes(method), method).toEqual([SCOPE.spreadsheetsCurrentOnly, SCOPE.spreadsheets]);
    expect(requiredScopes('NoSuchService.call')).toBeUndefined();
  });

  it("throws Google's message for a call whose scope the manifest does not grant", () => {
    const { rt } = runtime({ manifest: { ...MANIFEST, oauthScopes: MANIFEST.oauthScopes?.filter((s) => s !== SCOPE.userInfoEmail) } });
    const execution = rt.run('whoAmI');
    expect(execution.error?.message).toBe(
      'You do not have permission to call Session.getActiveUser. Required permissions: https://www.googleapis.com/auth/userinfo.email',
    );
    // A method with alternatives lists them all.
    expect(permissionMessage('Range.getValues', [SCOPE.spreadsheetsCurrentOnly, SCOPE.spreadsheets])).toBe(
      'You do not have permission to call Range.getValues. Required permissions: (https://www.googleapis.com/auth/spreadsheets.currentonly || https://www.googleapis.com/auth/spreadsheets)',
    );
  });

  it('lets every call through when the manifest lists no scopes', () => {
    const { rt } = runtime({ manifest: { webapp: MANIFEST.webapp } });
    expect(rt.run('sendMail', ['a@example.com', 'Hi', 'Body']).error).toBeUndefined();
  });

  it('needs script.send_mail for MailApp, which the project does not ask for', () => {
    const { rt } = runtime();
    expect(rt.run('mailQuota').error?.message).toBe(permissionMessage('MailApp.getRemainingDailyQuota', [SCOPE.sendMail]));
    expect(rt.mail).toHaveLength(0);
  });

  it('refuses calls needing only a scope the user refused on the consent screen', () => {
    const { rt } = runtime({ refusedScopes: [SCOPE.scriptApp] });
    expect(rt.run('scheduleAfter', [3_600_000]).error?.message).toBe(permissionMessage('ScriptApp.newTrigger', [SCOPE.scriptApp]));
    expect(rt.triggers).toHaveLength(0);
    // Per execution too, and granting it back works.
    const { rt: other } = runtime();
    expect(other.run('whoAmI', [], { refusedScopes: [SCOPE.userInfoEmail] }).error?.message).toBe(
      permissionMessage('Session.getActiveUser', [SCOPE.userInfoEmail]),
    );
    rt.refuseScope(SCOPE.scriptApp, false);
    expect(rt.run('scheduleAfter', [3_600_000]).error).toBeUndefined();
  });

  it('reports the authorization state with getAuthorizationInfo', () => {
    const { rt } = runtime();
    expect(rt.run('authInfo').value).toEqual({ required: false, scopes: MANIFEST.oauthScopes, url: null });
    rt.refuseScope(SCOPE.containerUi);
    const info = rt.run('authInfo').value as { required: boolean; scopes: string[]; url: string | null };
    expect(info.required).toBe(true);
    expect(info.scopes).not.toContain(SCOPE.containerUi);
    expect(info.url).toMatch(/^https:\/\/script\.google\.com\//);
  });
});

describe('execution contexts and locks', () => {
  it('gives web apps and standalone scripts no document lock; the script lock works everywhere', () => {
    const { rt } = runtime();
    expect(rt.run('locks').value).toEqual({ documentLockIsNull: false, scriptLock: true });
    expect(rt.run('locks', [], { context: 'sidebar' }).value).toEqual({ documentLockIsNull: false, scriptLock: true });
    expect(rt.run('locks', [], { context: 'trigger' }).value).toEqual({ documentLockIsNull: false, scriptLock: true });
    const web = rt.run('locks', [], { context: 'webapp' });
    expect(web.value).toEqual({ documentLockIsNull: true, scriptLock: true });
    expect(web.kind).toBe('webapp');
    expect(web.context).toBe('webapp');
    const { rt: standalone } = runtime({ container: false });
    expect(standalone.run('locks').value).toEqual({ documentLockIsNull: true, scriptLock: true });
  });

  it('records the context of each execution and keeps the default a menu run', () => {
    const { rt } = runtime();
    expect(rt.run('bump').context).toBe('menu');
    expect(rt.run('bump', [], { trigger: true }).context).toBe('trigger');
    expect(rt.open().context).toBe('simple-trigger');
  });
});

describe('Session', () => {
  it('hides the active email where Google does, keeping a stable per-user key', () => {
    const { rt } = runtime({ user: 'owner@example.com', hideOtherUsersEmail: true });
    const owner = rt.run('whoAmI').value as { email: string; key: string };
    const guest = rt.run('whoAmI', [], { user: 'guest@gmail.com' }).value as { email: string; key: string };
    expect(owner.email).toBe('owner@example.com');
    expect(guest.email).toBe('');
    expect(guest.key).toMatch(/\S{20,}/);
    expect(guest.key).not.toBe(owner.key);
    expect(guest.key).not.toContain('guest');
    expect((rt.run('whoAmI', [], { user: 'guest@gmail.com' }).value as { key: string }).key).toBe(guest.key);
    // A web app executing as the deployer never sees the caller's email.
    expect((rt.run('whoAmI', [], { context: 'webapp', user: 'caller@gmail.com' }).value as { email: string }).email).toBe('');
    // Nor does a simple trigger opened by someone else.
    const { rt: plain } = runtime();
    expect((plain.run('whoAmI', [], { context: 'simple-trigger', user: 'editor@example.com' }).value as { email: string }).email).toBe('');
    expect((plain.run('whoAmI', [], { user: 'editor@example.com' }).value as { email: string }).email).toBe('editor@example.com');
  });
});

describe('triggers', () => {
  it('refuses the 21st trigger of a user', () => {
    const { rt } = runtime();
    expect(rt.run('makeTriggers', [20]).value).toBe(20);
    expect(rt.run('scheduleAfter', [3_600_000]).error?.message).toBe(TOO_MANY_TRIGGERS);
  });

  it('tells a bound script from an add-on', () => {
    expect(runtime().rt.run('installationSource').value).toEqual({ name: 'NONE', isNone: true });
    expect(runtime({ installation: 'addon' }).rt.run('installationSource').value).toEqual({ name: 'WEB_STORE_ADD_ON', isNone: false });
    expect(runtime({ installation: 'addon', addonSource: 'APPS_MARKETPLACE_DOMAIN_ADD_ON' }).rt.run('installationSource').value).toEqual({
      name: 'APPS_MARKETPLACE_DOMAIN_ADD_ON',
      isNone: false,
    });
  });

  it('limits an add-on to hourly time triggers, one per user and document', () => {
    const { rt } = runtime({ installation: 'addon' });
    expect(rt.run('scheduleAfter', [60_000]).error?.message).toBe(ADDON_HOURLY_ONLY);
    expect(rt.run('scheduleEvery', [30]).error?.message).toBe(ADDON_HOURLY_ONLY);
    expect(rt.run('scheduleHourly').error).toBeUndefined();
    expect(rt.run('scheduleAfter', [3_600_000]).error?.message).toBe(ADDON_ONE_TRIGGER_PER_DOCUMENT);
    // Another user has their own one.
    expect(rt.run('scheduleHourly', [], { user: 'editor@example.com' }).error).toBeUndefined();
    expect(rt.triggers).toHaveLength(2);
  });

  it("lists an add-on user's triggers of other documents in getProjectTriggers only", () => {
    const { rt } = runtime({ installation: 'addon' });
    rt.addTriggerInOtherDocument('owner@example.com', 'onTick');
    rt.run('scheduleHourly');
    expect(rt.run('triggerViews').value).toEqual({ project: 2, user: 1 });
    // The other document's trigger never fires here.
    const runs = rt.advance(3 * 3_600_000);
    expect(runs.every((r) => r.fn === 'onTick')).toBe(true);
    expect(runs).toHaveLength(3);
    const { rt: bound } = runtime();
    bound.addTriggerInOtherDocument('owner@example.com', 'onTick');
    bound.run('scheduleHourly');
    expect(bound.run('triggerViews').value).toEqual({ project: 1, user: 1 });
  });

  it('can fail a trigger creation with a transient service error', () => {
    const { rt } = runtime();
    rt.failTriggerCreation();
    expect(rt.run('scheduleAfter', [1000]).error?.message).toBe(SERVER_ERROR_MESSAGE);
    expect(rt.triggers).toHaveLength(0);
    expect(rt.run('scheduleAfter', [1000]).error).toBeUndefined();
  });

  it('fires after(ms) later than asked, deterministically', () => {
    const lateness = { minMs: 5_000, maxMs: 60_000 };
    const due = () => {
      const { rt } = runtime({ triggerLateness: lateness });
      rt.run('scheduleAfter', [10_000]);
      return (rt.nextTriggerAt() ?? 0) - rt.clock.now();
    };
    const first = due();
    expect(first).toBeGreaterThanOrEqual(10_000 + 5_000 - 1000);
    expect(first).toBeLessThanOrEqual(10_000 + 60_000);
    expect(due()).toBe(first);
  });
});

describe('UrlFetch before the request', () => {
  it('refuses a URL outside urlFetchWhitelist without sending anything', () => {
    const { rt, received } = runtime();
    const url = 'https://evil.example.com/steal';
    expect(rt.run('fetchOne', [url]).error?.message).toBe(notAllowlistedMessage(url));
    expect(rt.run('fetchAll', [['https://api.mayar.id/hl/v1/x', url], true]).error?.message).toBe(notAllowlistedMessage(url));
    expect(received).toHaveLength(0);
    expect(rt.run('fetchOne', ['https://api.mayar.id/hl/v1/balance']).error).toBeUndefined();
    expect(rt.run('fetchOne', ['https://api.mayar.club/hl/v1/balance']).error).toBeUndefined();
    expect(rt.run('fetchOne', ['https://api.mayar.club/other']).error?.message).toBe(notAllowlistedMessage('https://api.mayar.club/other'));
    expect(received).toHaveLength(2);
  });

  it('refuses calls over the daily quota before the request is sent', () => {
    const { rt, received } = runtime();
    rt.setUrlFetchRemaining(1);
    expect(rt.run('fetchAll', [['https://api.mayar.id/a', 'https://api.mayar.id/b'], true]).error?.message).toBe(URLFETCH_QUOTA_MESSAGE);
    expect(received).toHaveLength(0);
    expect(rt.run('fetchOne', ['https://api.mayar.id/a']).error).toBeUndefined();
    expect(rt.run('fetchOne', ['https://api.mayar.id/a']).error?.message).toBe(URLFETCH_QUOTA_MESSAGE);
    expect(received).toHaveLength(1);
  });
});

describe('MailApp', () => {
  const withMail = () => runtime({ manifest: { ...MANIFEST, oauthScopes: [...(MANIFEST.oauthScopes ?? []), SCOPE.sendMail] } });

  it('records mail in both forms and counts recipients against the daily quota', () => {
    const { rt } = withMail();
    expect(rt.run('mailQuota').value).toBe(100);
    expect(rt.run('sendMail', ['a@example.com', 'Links ready', '3 links', { name: 'Mayar Sheets', replyTo: 'owner@example.com' }]).value).toBe(99);
    expect(rt.run('sendMail', [{ to: 'b@example.com, c@example.com', subject: 'Paid', body: 'text', htmlBody: '<b>paid</b>' }]).value).toBe(97);
    expect(rt.mail.map((m) => ({ to: m.to, subject: m.subject, name: m.name, htmlBody: m.htmlBody }))).toEqual([
      { to: ['a@example.com'], subject: 'Links ready', name: 'Mayar Sheets', htmlBody: null },
      { to: ['b@example.com', 'c@example.com'], subject: 'Paid', name: null, htmlBody: '<b>paid</b>' },
    ]);
  });

  it('throws the quota error before sending, and rejects an invalid address', () => {
    const { rt } = withMail();
    rt.setMailRemaining(1);
    expect(rt.run('sendMail', [{ to: 'a@example.com,b@example.com', subject: 's', body: 'b' }]).error?.message).toBe(MAIL_QUOTA_MESSAGE);
    expect(rt.run('sendMail', ['not-an-address', 's', 'b']).error?.message).toBe('Invalid email: not-an-address');
    expect(rt.mail).toHaveLength(0);
  });
});

describe('sheets a person shaped', () => {
  it('refuses writes over a protected range or sheet, changing nothing', () => {
    const { rt } = runtime();
    const sheet = rt.spreadsheet.typeRows('Data', [['a', 'b']]);
    sheet.protect('B1:B10');
    expect(rt.run('write', ['A1:B1', [['x', 'y']]]).error?.message).toBe(PROTECTED_MESSAGE);
    expect(rt.spreadsheet.values('Data')).toEqual([['a', 'b']]);
    expect(rt.run('writeValue', ['A1', 'x']).error).toBeUndefined();
    // The editors of a protection may write.
    sheet.protect(null, ['editor@example.com']);
    expect(rt.run('writeValue', ['A2', 'x']).error?.message).toBe(PROTECTED_MESSAGE);
    expect(rt.run('writeValue', ['A3', 'x'], { user: 'editor@example.com' }).error).toBeUndefined();
    expect(rt.run('writeValue', ['B3', 'x'], { user: 'editor@example.com' }).error?.message).toBe(PROTECTED_MESSAGE);
  });

  it('refuses a value a rejecting validation rule does not allow', () => {
    const { rt } = runtime();
    const sheet = rt.spreadsheet.typeRows('Data', [['Status'], ['Unpaid']]);
    sheet.requireOneOf('A2:A10', ['Unpaid', 'Paid']);
    expect(rt.run('write', ['A2:A3', [['Paid'], ['Closed']]]).error?.message).toBe(validationMessage('A3'));
    expect(rt.spreadsheet.values('Data')).toEqual([['Status'], ['Unpaid']]);
    expect(rt.run('write', ['A2:A3', [['Paid'], ['']]]).error).toBeUndefined();
  });

  it('tells rows hidden by a filter, which a dragged selection still includes', () => {
    const { rt } = runtime();
    const sheet = rt.spreadsheet.typeRows('Data', [['Name'], ['a'], ['b'], ['c']]);
    sheet.hideRowsByFilter(3);
    rt.spreadsheet.setSelection('Data', 'A2:A4');
    expect(rt.run('hiddenByFilter').value).toEqual({
      selected: 3,
      rows: [
        { row: 2, hidden: false },
        { row: 3, hidden: true },
        { row: 4, hidden: false },
      ],
    });
  });

  it('types numbers by the spreadsheet locale and shows them as the user sees them', () => {
    const us = runtime().rt.spreadsheet;
    us.typeRows('Data', [['500.000', '1,500', '0812345', 'Budi']]);
    expect(us.values('Data')).toEqual([[500, 1500, 812345, 'Budi']]);
    expect(us.displayValues('Data')).toEqual([['500', '1,500', '812345', 'Budi']]);
    const id = runtime({ spreadsheetLocale: 'id_ID' }).rt.spreadsheet;
    id.typeRows('Data', [['500.000', '1,5', 'Budi']]);
    expect(id.values('Data')).toEqual([[500000, 1.5, 'Budi']]);
    expect(id.displayValues('Data')).toEqual([['500.000', '1,5', 'Budi']]);
  });
});

describe('UI', () => {
  it('records an add-on menu like a menu, under the add-on name', () => {
    const { rt } = runtime({ addonName: 'Mayar Sheets' });
    rt.open();
    const menu = rt.ui.menu('Mayar Sheets');
    expect(menu?.addon).toBe(true);
    expect(menu?.items.filter((i) => i.kind === 'item').map((i) => (i.kind === 'item' ? i.functionName : ''))).toEqual(['startRun', 'showSidebar']);
  });
});

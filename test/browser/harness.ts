/**
 * Shared set-up for the sidebar browser tests: builds the sidebars' HTML, serves it from a
 * local HTTP server, and opens it in Debian's Chromium with a recording stub of
 * google.script.run whose handlers run here in Node.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui.mjs';
import type { SidebarServerApi } from '../../src/core/server-api';

export const CHROMIUM = '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true';

/** Outside CI a missing browser skips the suite; in CI it must fail, not pass silently. */
export const skipBrowserTests = !existsSync(CHROMIUM) && !IN_CI;
if (skipBrowserTests) {
  console.warn(`Skipping browser tests: ${CHROMIUM} is missing (apt-get install -y chromium). With CI=true they fail instead.`);
}

export function assertBrowserPresent(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package before the browser tests`);
  }
}

export type ServerName = keyof SidebarServerApi;
export type Handlers = {
  [K in ServerName]?: (...args: Parameters<SidebarServerApi[K]>) => ReturnType<SidebarServerApi[K]> | Promise<ReturnType<SidebarServerApi[K]>>;
};
export interface Call {
  name: ServerName;
  args: unknown[];
}

const SERVER_NAMES: ServerName[] = [
  'getSettings', 'saveSettings', 'testConnection', 'newWebhookSecret', 'processNextBatch',
  'getProgress', 'pauseRun', 'resumeRun', 'cancelRun', 'goToRow',
];

/** Builds dist-like HTML into a temporary folder and serves it on 127.0.0.1 at a random port. */
export async function serveSidebars(): Promise<{ url: (page: 'Settings' | 'Progress') => string; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'mayar-ui-'));
  await buildUi(dir);
  const pages: Record<string, string> = {
    '/Settings.html': readFileSync(join(dir, 'Settings.html'), 'utf8'),
    '/Progress.html': readFileSync(join(dir, 'Progress.html'), 'utf8'),
  };
  const server: Server = createServer((request, response) => {
    const body = pages[request.url ?? ''];
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (page) => `http://127.0.0.1:${port}/${page}.html`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Sidebar {
  page: Page;
  context: BrowserContext;
  calls: Call[];
  /** Calls of one server function, oldest first. */
  callsTo(name: ServerName): unknown[][];
  /** Browser dialogs (alert/confirm) the page opened; escaping tests expect none. */
  dialogs: string[];
  pageErrors: string[];
  close(): Promise<void>;
}

// Runs in the page before any sidebar script: the callback API of google.script.run, where
// every call goes to Node (exposeFunction) and comes back asynchronously.
function installStub(names: string[]): void {
  type Reply = { ok: true; value: unknown } | { ok: false; error: string };
  type Callback = (value: unknown) => void;
  const w = window as unknown as {
    __stubCall: (name: string, args: unknown[]) => Promise<Reply>;
    google: unknown;
  };
  function runner(onSuccess?: Callback, onFailure?: Callback): Record<string, unknown> {
    const run: Record<string, unknown> = {
      withSuccessHandler: (handler: Callback) => runner(handler, onFailure),
      withFailureHandler: (handler: Callback) => runner(onSuccess, handler),
      withUserObject: () => run,
    };
    for (const name of names) {
      run[name] = (...args: unknown[]) => {
        // Like Apps Script, arguments are serialised: no functions, no DOM nodes, no shared objects.
        const sent = JSON.parse(JSON.stringify(args)) as unknown[];
        void w.__stubCall(name, sent).then((reply) => {
          if (reply.ok) onSuccess?.(reply.value);
          else onFailure?.(Object.assign(new Error(reply.error), { name: 'ScriptError' }));
        });
      };
    }
    return run;
  }
  w.google = { script: { run: runner(), host: { close: () => undefined } } };
}

export interface OpenOptions {
  handlers: Handlers;
  /** Install Playwright's fake clock (paused) so the progress loop's timers run only on runFor. */
  fakeClock?: boolean;
  locale?: string;
  height?: number;
}

/** Opens one sidebar in a fresh Chromium profile. */
export async function openSidebar(url: string, options: OpenOptions): Promise<Sidebar> {
  const profile = mkdtempSync(join(tmpdir(), 'mayar-ui-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
    viewport: { width: 300, height: options.height ?? 800 },
    locale: options.locale ?? 'en-US',
    timezoneId: 'Asia/Jakarta',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const calls: Call[] = [];
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await page.exposeFunction('__stubCall', async (name: ServerName, args: unknown[]) => {
    calls.push({ name, args });
    const handler = options.handlers[name] as ((...a: unknown[]) => unknown) | undefined;
    try {
      if (!handler) throw new Error(`stub has no handler for ${name}`);
      // JSON round trip: what Apps Script would return (plain values only).
      const value: unknown = JSON.parse(JSON.stringify((await handler(...args)) ?? null));
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  });
  await page.addInitScript(installStub, SERVER_NAMES);
  if (options.fakeClock) {
    await page.clock.install({ time: new Date('2026-06-01T09:00:00+07:00') });
    await page.clock.pauseAt(new Date('2026-06-01T09:00:01+07:00'));
  }
  await page.goto(url);
  return {
    page,
    context,
    calls,
    callsTo: (name) => calls.filter((call) => call.name === name).map((call) => call.args),
    dialogs,
    pageErrors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A 300px-wide screenshot of the whole sidebar, cut to its content. It goes to docs/ when
 * UPDATE_SCREENSHOTS=1 (to refresh the documentation), else to a temporary folder.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = process.env.UPDATE_SCREENSHOTS === '1'
    ? join(process.cwd(), 'docs', name)
    : join(mkdtempSync(join(tmpdir(), 'mayar-ui-shot-')), name);
  const height = await page.evaluate(() => Math.ceil(document.querySelector('main')?.getBoundingClientRect().bottom ?? 600));
  await page.setViewportSize({ width: 300, height });
  await page.screenshot({ path });
  return path;
}

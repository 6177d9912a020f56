/**
 * Shared set-up for the sidebar browser tests: builds the sidebars' HTML, serves it from a
 * local HTTP server, and opens it in Debian's Chromium with a recording stub of
 * google.script.run whose handlers run here in Node.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui.mjs';
import { SIDEBAR_FUNCTIONS, type SidebarServerApi } from '../../src/ui/server';

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

const SERVER_NAMES: ServerName[] = [...SIDEBAR_FUNCTIONS];

/** Builds dist-like HTML into a temporary folder and serves it on 127.0.0.1 at a random port. */
export async function serveSidebars(): Promise<ServedSidebars> {
  const dir = mkdtempSync(join(tmpdir(), 'mayar-ui-'));
  await buildUi(dir);
  return servePages(dir, () => rmSync(dir, { recursive: true, force: true }));
}

export type PageName = 'Settings' | 'Progress' | 'WhatsApp';
const PAGE_NAMES: readonly PageName[] = ['Settings', 'Progress', 'WhatsApp'];

export interface ServedSidebars {
  url: (page: PageName) => string;
  close: () => Promise<void>;
}

/** Serves the sidebars `npm run build` wrote into dist/ (the files Apps Script gets). */
export async function serveBuiltSidebars(dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist')): Promise<ServedSidebars> {
  for (const name of PAGE_NAMES.map((page) => `${page}.html`)) {
    if (!existsSync(join(dir, name))) throw new Error(`${join(dir, name)} not found. Run \`npm run build\` first.`);
  }
  return servePages(dir, () => undefined);
}

async function servePages(dir: string, cleanUp: () => void): Promise<ServedSidebars> {
  const pages: Record<string, string> = Object.fromEntries(PAGE_NAMES.map((page) => [`/${page}.html`, readFileSync(join(dir, `${page}.html`), 'utf8')]));
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
      cleanUp();
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
// every call goes to Node (exposeFunction), with the page's clock, and comes back asynchronously.
// __stubPending counts the calls whose reply the page has not handled yet.
function installStub(names: string[]): void {
  type Reply = { ok: true; value: unknown } | { ok: false; error: string };
  type Callback = (value: unknown) => void;
  const w = window as unknown as {
    __stubCall: (name: string, args: unknown[], pageNow: number) => Promise<Reply>;
    __stubPending: number;
    google: unknown;
  };
  w.__stubPending = 0;
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
        w.__stubPending += 1;
        void w.__stubCall(name, sent, Date.now()).then((reply) => {
          w.__stubPending -= 1;
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

/**
 * Answers one google.script.run call: its value goes to the success handler, a throw to the
 * failure handler. `pageNow` is the page's Date.now() when the sidebar made the call.
 */
export type Serve = (name: ServerName, args: unknown[], pageNow: number) => unknown;

export interface ServeOptions extends Omit<OpenOptions, 'handlers'> {
  serve: Serve;
}

/** Opens one sidebar in a fresh Chromium profile, its calls answered by the stub's handlers. */
export async function openSidebar(url: string, options: OpenOptions): Promise<Sidebar> {
  const { handlers, ...rest } = options;
  return openServedSidebar(url, {
    ...rest,
    serve: (name, args) => {
      const handler = handlers[name] as ((...a: unknown[]) => unknown) | undefined;
      if (!handler) throw new Error(`stub has no handler for ${name}`);
      return handler(...args);
    },
  });
}

/** How many google.script.run calls the page has made whose reply it has not handled yet. */
export async function pendingCalls(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __stubPending?: number }).__stubPending ?? 0);
}

/** Opens one sidebar in a fresh Chromium profile, its calls answered by `serve`. */
export async function openServedSidebar(url: string, options: ServeOptions): Promise<Sidebar> {
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

  await page.exposeFunction('__stubCall', async (name: ServerName, args: unknown[], pageNow: number) => {
    calls.push({ name, args });
    try {
      // JSON round trip: what Apps Script would return (plain values only).
      const value: unknown = JSON.parse(JSON.stringify((await options.serve(name, args, pageNow)) ?? null));
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
  const path = process.env.UPDATE_SCREENSHOTS === '1' ? join(process.cwd(), 'docs', name) : join(mkdtempSync(join(tmpdir(), 'mayar-ui-shot-')), name);
  const height = await page.evaluate(() => Math.ceil(document.querySelector('main')?.getBoundingClientRect().bottom ?? 600));
  await page.setViewportSize({ width: 300, height });
  await page.screenshot({ path });
  return path;
}

/**
 * A typed, promise-based view of google.script.run. Its types come from src/main.ts itself
 * (the module whose exports become Apps Script's top-level functions), so renaming a server
 * function or changing what it takes or returns breaks the sidebars' type check.
 */
import type * as ServerModule from '../main';
import type { SettingsInput } from '../core/settings';

type Server = typeof ServerModule;

/** The server functions the sidebars call (the wrapper is a plain object, not a Proxy). */
export const SIDEBAR_FUNCTIONS = [
  'getSettings',
  'saveSettings',
  'testConnection',
  'newWebhookSecret',
  'processNextBatch',
  'getProgress',
  'pauseRun',
  'resumeRun',
  'cancelRun',
  'goToRow',
  'goToErrorRow',
  // Delivery: the WhatsApp queue, and the message templates in Settings.
  'getWhatsAppQueue',
  'markWhatsAppSent',
  'previewTemplate',
  'sendTestEmail',
  'getDeliverySettings',
  'saveDeliverySettings',
] as const satisfies readonly (keyof Server)[];

type ServerName = (typeof SIDEBAR_FUNCTIONS)[number];

/**
 * Where the sidebars promise more than the server accepts: saveSettings takes `unknown` because
 * it validates whatever arrives; the sidebar only sends input that passed the same checks.
 */
interface SidebarArguments {
  saveSettings: [input: SettingsInput];
}
type Fits<Narrow, Wide> = Narrow extends Wide ? Narrow : never;
type ArgsOf<K extends ServerName> = K extends keyof SidebarArguments ? Fits<SidebarArguments[K], Parameters<Server[K]>> : Parameters<Server[K]>;
type ResultOf<K extends ServerName> = ReturnType<Server[K]>;

/** The server functions as the sidebars may call them. */
export type SidebarServerApi = { [K in ServerName]: (...args: ArgsOf<K>) => ResultOf<K> };

/** The async server functions as the sidebars see them. */
export type AsyncServer = { [K in ServerName]: AsyncCall<K> };
type AsyncCall<K extends ServerName> = (...args: ArgsOf<K>) => Promise<ResultOf<K>>;

/** The callback API Apps Script injects into the sidebar's iframe. */
export interface ScriptRunner {
  withSuccessHandler(handler: (value: unknown) => void): ScriptRunner;
  withFailureHandler(handler: (error: unknown) => void): ScriptRunner;
  [name: string]: unknown;
}

declare global {
  /** What Apps Script injects into the sidebar's iframe. */
  interface Window {
    google?: { script?: { run?: ScriptRunner } };
  }
}

/** The text of whatever a failure handler received (Apps Script passes an Error-like object). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}

function runner(): ScriptRunner {
  const run = window.google?.script?.run;
  if (!run) throw new Error('google.script.run is not available');
  return run;
}

/** One server function called through google.script.run, as a promise. */
export function callServer<K extends ServerName>(name: K, ...args: ArgsOf<K>): Promise<ResultOf<K>> {
  return new Promise<ResultOf<K>>((resolve, reject) => {
    const configured = runner()
      .withSuccessHandler((value) => resolve(value as ResultOf<K>))
      .withFailureHandler((error) => reject(new Error(errorText(error))));
    const fn = configured[name];
    if (typeof fn !== 'function') {
      reject(new Error(`Server function ${name} is missing`));
      return;
    }
    (fn as (...a: unknown[]) => void).apply(configured, args);
  });
}

/** Sets one server function on the wrapper: typed per name, so no argument list is cast. */
function install<K extends ServerName>(server: { [P in K]?: AsyncCall<P> }, name: K): void {
  const call: AsyncCall<K> = (...args) => callServer(name, ...args);
  server[name] = call;
}

function complete(server: Partial<AsyncServer>): server is AsyncServer {
  return SIDEBAR_FUNCTIONS.every((name) => typeof server[name] === 'function');
}

export function createServer(): AsyncServer {
  const server: Partial<AsyncServer> = {};
  for (const name of SIDEBAR_FUNCTIONS) install(server, name);
  if (!complete(server)) throw new Error('a sidebar server function is missing');
  return server;
}

/**
 * A typed, promise-based view of google.script.run, derived from SidebarServerApi so the
 * sidebars cannot call a server function that does not exist or pass it the wrong arguments.
 */
import type { SidebarServerApi } from '../core/server-api';

type ServerName = keyof SidebarServerApi;
type ArgsOf<K extends ServerName> = Parameters<SidebarServerApi[K]>;
type ResultOf<K extends ServerName> = ReturnType<SidebarServerApi[K]>;

/** The async server functions as the sidebars see them. */
export type Server = { [K in ServerName]: (...args: ArgsOf<K>) => Promise<ResultOf<K>> };

/** The callback API Apps Script injects into the sidebar's iframe. */
export interface ScriptRunner {
  withSuccessHandler(handler: (value: unknown) => void): ScriptRunner;
  withFailureHandler(handler: (error: unknown) => void): ScriptRunner;
  [name: string]: unknown;
}

interface AppsScriptWindow {
  google?: { script?: { run?: ScriptRunner } };
}

// Listing every name (checked against the interface) lets the wrapper be a plain object,
// without a Proxy, and fails the type check when the server API grows a function.
const SERVER_NAMES: Record<ServerName, true> = {
  getSettings: true,
  saveSettings: true,
  testConnection: true,
  newWebhookSecret: true,
  processNextBatch: true,
  getProgress: true,
  pauseRun: true,
  resumeRun: true,
  cancelRun: true,
  goToRow: true,
};

/** The text of whatever a failure handler received (Apps Script passes an Error-like object). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}

function runner(): ScriptRunner {
  const run = (window as unknown as AppsScriptWindow).google?.script?.run;
  if (!run) throw new Error('google.script.run is not available');
  return run;
}

function call<K extends ServerName>(name: K, args: ArgsOf<K>): Promise<ResultOf<K>> {
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

export function createServer(): Server {
  const server = {} as Record<ServerName, (...args: never[]) => Promise<unknown>>;
  for (const name of Object.keys(SERVER_NAMES) as ServerName[]) {
    server[name] = (...args: never[]) => call(name, args as unknown as ArgsOf<typeof name>);
  }
  return server as unknown as Server;
}

/**
 * google.script.run for the delivery functions (the WhatsApp queue, template preview, test
 * email), typed from src/main.ts's exports like src/ui/server.ts.
 */
import type * as ServerModule from '../main';
import { errorText, type ScriptRunner } from './server';

type Server = typeof ServerModule;
export const DELIVERY_FUNCTIONS = [
  'getWhatsAppQueue',
  'markWhatsAppSent',
  'previewTemplate',
  'sendTestEmail',
  'getDeliverySettings',
  'saveDeliverySettings',
] as const satisfies readonly (keyof Server)[];
type Name = (typeof DELIVERY_FUNCTIONS)[number];

export function callServer<K extends Name>(name: K, ...args: Parameters<Server[K]>): Promise<ReturnType<Server[K]>> {
  return new Promise((resolve, reject) => {
    const run = (window as unknown as { google?: { script?: { run?: ScriptRunner } } }).google?.script?.run;
    if (!run) {
      reject(new Error('google.script.run is not available'));
      return;
    }
    const configured = run
      .withSuccessHandler((value) => resolve(value as ReturnType<Server[K]>))
      .withFailureHandler((error) => reject(new Error(errorText(error))));
    const fn = configured[name];
    if (typeof fn !== 'function') {
      reject(new Error(`Server function ${name} is missing`));
      return;
    }
    (fn as (...a: unknown[]) => void).apply(configured, args);
  });
}

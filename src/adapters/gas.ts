/**
 * The ports, implemented with Apps Script services, one adapter module per service. Thin on
 * purpose: no decisions there, only translation, so everything worth testing lives in the core
 * and the application.
 */
import type { Ports } from '../app/ports';
import { httpPort } from './http';
import { mailPort } from './mail';
import { storePort } from './properties';
import { lockPort, triggerPort } from './script';
import { sessionPort } from './session';
import { spreadsheetPort } from './spreadsheet';
import { uiPort } from './ui';

/** Ports for one execution. `withUi` is false in triggers and the web app, where no UI exists. */
export function gasPorts(withUi: boolean): Ports {
  return {
    spreadsheet: spreadsheetPort(),
    http: httpPort(),
    documentStore: storePort(PropertiesService.getDocumentProperties()),
    userStore: storePort(PropertiesService.getUserProperties()),
    lock: lockPort(),
    ui: uiPort(withUi),
    triggers: triggerPort(),
    session: sessionPort(),
    mail: mailPort(),
    clock: { now: () => Date.now(), sleep: (ms) => Utilities.sleep(Math.max(0, Math.min(300_000, Math.round(ms)))) },
    uuid: () => Utilities.getUuid(),
  };
}

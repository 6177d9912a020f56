/**
 * The server functions the sidebars call through google.script.run. src/main.ts implements
 * this interface, and the sidebars' typed client is derived from it, so renaming a server
 * function breaks the build instead of the user.
 */
import type { ProgressView } from './progress';
import type { ConnectionResult, Environment, SaveResult, SettingsInput, SettingsView } from './settings';

export interface SidebarServerApi {
  getSettings(): SettingsView;
  saveSettings(input: SettingsInput): SaveResult;
  /** One authenticated read; uses the given key/environment, or the stored ones when omitted. */
  testConnection(input: { apiKey?: string; environment?: Environment }): ConnectionResult;
  /** Replaces the webhook secret (the old URL stops working) and returns the new settings. */
  newWebhookSecret(): SettingsView;
  processNextBatch(): ProgressView;
  getProgress(): ProgressView;
  pauseRun(): ProgressView;
  resumeRun(): ProgressView;
  cancelRun(): ProgressView;
  /** Selects the row in the sheet (jump to first error). */
  goToRow(sheetName: string, row: number): void;
}

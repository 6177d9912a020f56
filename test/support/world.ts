/**
 * A spreadsheet, Apps Script and Mayar for one test: the built bundle runs in the in-memory
 * Apps Script runtime against the Mayar simulator, on a virtual clock.
 */
import { readFileSync } from 'node:fs';
import { boundTo, deepClone, type Execution, GasRuntime, type GasRuntimeOptions } from '../../tools/apps-script/gas-runtime';
import { type HttpRequest, MayarSimulator, type SandboxHost } from '../../tools/mayar/mayar-simulator';
import { parseCsv } from './csv';

export const SHEET = 'Invoices';
export const OUTPUT = ['Payment Link', 'Payment ID', 'Transaction ID', 'Status', 'Error'] as const;

export interface WorldOptions {
  rows?: string[][];
  /** Settings' requests per minute (default 20); null leaves the add-on's default. */
  ratePerMinute?: number | null;
  serverRatePerMinute?: number;
  latencyMs?: number;
  environment?: 'sandbox' | 'production';
  user?: string;
  webAppUrl?: string | null;
  /** Which sandbox host accepts the key (the simulator's default: api.mayar.io). */
  sandboxHost?: SandboxHost;
  /** false: the key is saved but Test connection is not run (the sandbox host is found on the first call). */
  setUp?: boolean;
  /** More runtime options (installation, refusedScopes, hideOtherUsersEmail, ...). */
  runtime?: Partial<Omit<GasRuntimeOptions, 'http' | 'user' | 'webAppUrl'>>;
}

export class World {
  readonly runtime: GasRuntime;
  readonly sim: MayarSimulator;
  readonly apiKey: string;
  readonly user: string;
  private readonly taps: ((request: HttpRequest) => void)[] = [];

  constructor(options: WorldOptions = {}) {
    this.sim = new MayarSimulator({
      now: boundTo(this, (world) => () => (world.runtime as GasRuntime | undefined)?.clock.now() ?? Date.UTC(2026, 10, 25, 3)),
      ratePerMinute: options.serverRatePerMinute ?? 20,
      latencyMs: options.latencyMs ?? 300,
      ...(options.sandboxHost ? { sandboxHost: options.sandboxHost } : {}),
    });
    this.user = options.user ?? 'owner@example.com';
    this.runtime = new GasRuntime({
      ...options.runtime,
      http: boundTo(this, (world) => (request: HttpRequest) => world.handle(request)),
      user: this.user,
      webAppUrl: options.webAppUrl === undefined ? 'https://script.google.com/macros/s/AKfy-test/exec' : options.webAppUrl,
    });
    this.apiKey = MayarSimulator.makeKey(`key-of-${this.user}`);
    this.sim.addKey(this.apiKey, { environment: options.environment ?? 'sandbox' });
    if (options.rows) this.runtime.spreadsheet.typeRows(SHEET, options.rows);
    const rate = options.ratePerMinute === null ? {} : { requestsPerMinute: options.ratePerMinute ?? 20 };
    this.run('saveSettings', [{ apiKey: this.apiKey, environment: options.environment ?? 'sandbox', ...rate }]);
    if (options.setUp !== false) {
      // As a person sets up: Test connection finds which sandbox host takes the key. Its calls
      // are the setup's, not the test's: the minute passes and the request log starts empty.
      this.run('testConnection', [{}]);
      this.runtime.advance(61_000);
      this.sim.requests.length = 0;
    }
  }

  /**
   * A copy of this world as it is now (sheet, Apps Script, Mayar, clock), to carry on from here
   * in another direction: a sweep that kills an execution at each of its calls starts each try
   * from one copy instead of replaying the run up to it. Request taps are not copied (they
   * record into the original's lists): attach them to the copy again. Not during an execution.
   */
  clone(): World {
    const copy = deepClone(this);
    copy.taps.length = 0;
    return copy;
  }

  run(fn: string, args: unknown[] = [], options: Parameters<GasRuntime['run']>[2] = {}): Execution {
    const execution = this.runtime.run(fn, args, options);
    if (execution.error) throw execution.error;
    return execution;
  }

  /** The sheet as getValues() returns it. */
  values(sheet = SHEET): unknown[][] {
    return this.runtime.spreadsheet.values(sheet);
  }

  header(sheet = SHEET): string[] {
    return (this.values(sheet)[0] ?? []).map(String);
  }

  /** Every data row as an object keyed by header. */
  rows(sheet = SHEET): Record<string, unknown>[] {
    const [header = [], ...rest] = this.values(sheet);
    return rest.map((row) => Object.fromEntries(header.map((h, i) => [String(h), row[i]])));
  }

  column(name: string, sheet = SHEET): unknown[] {
    return this.rows(sheet).map((r) => r[name]);
  }

  /** Creates the simulator made, per content (name|amount|description). */
  createsPerContent(): Map<string, number> {
    return this.sim.createsByContent();
  }

  createRequests(): number {
    return this.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/payments/create')).length;
  }

  /** Calls processNextBatch the way the progress sidebar does, waiting in between on the virtual clock. */
  driveToEnd(maxSteps = 5000): { steps: number; last: Record<string, unknown> } {
    let last: Record<string, unknown> = {};
    for (let step = 0; step < maxSteps; step++) {
      const execution = this.runtime.run('processNextBatch', []);
      if (execution.error) throw execution.error;
      if (!execution.killed) {
        last = (execution.value ?? {}) as Record<string, unknown>;
        if (last.done === true) return { steps: step + 1, last };
      }
      const wait = typeof last.waitMs === 'number' ? last.waitMs : 1000;
      this.runtime.advance(Math.max(1, wait));
    }
    throw new Error(`the run did not finish in ${maxSteps} steps`);
  }

  /**
   * Like driveToEnd, but an execution that dies (a test's kill) is followed, as the sidebar
   * does after a failed call, by another call a few seconds later; due triggers fire meanwhile.
   */
  continueToEnd(maxSteps = 5000): { steps: number; last: Record<string, unknown> } {
    let last: Record<string, unknown> = {};
    for (let step = 0; step < maxSteps; step++) {
      const execution = this.runtime.run('processNextBatch', []);
      if (execution.error && !execution.killed) throw execution.error;
      if (execution.killed) {
        this.runtime.advance(5_000);
        continue;
      }
      last = (execution.value ?? {}) as Record<string, unknown>;
      if (last.done === true) return { steps: step + 1, last };
      this.runtime.advance(Math.max(1, typeof last.waitMs === 'number' ? last.waitMs : 1000));
    }
    throw new Error(`the run did not finish in ${maxSteps} steps`);
  }

  /**
   * Calls `fn` with every HTTP request before Mayar handles it: a test can change the sheet
   * while a fetchAll is on its way, as a person editing during a run would.
   */
  onRequest(fn: (request: HttpRequest) => void): void {
    this.taps.push(fn);
  }

  private handle(request: HttpRequest): ReturnType<MayarSimulator['handle']> {
    for (const tap of this.taps) tap(request);
    return this.sim.handler(request);
  }

  alerts(): string[] {
    return this.runtime.ui.alerts.map((a) => `${a.title ?? ''}: ${a.message}`);
  }
}

export function sampleRows(): string[][] {
  return parseCsv(readFileSync(new URL('../../examples/invoices.csv', import.meta.url), 'utf8'));
}

/** n distinct valid customers. */
export function customers(n: number, extra: (i: number) => Partial<Record<'email' | 'expiry' | 'description', string>> = () => ({})): string[][] {
  const rows = [['Name', 'Amount', 'Email', 'Description', 'Expires At']];
  for (let i = 1; i <= n; i++) {
    const e = extra(i);
    rows.push([`Customer ${i}`, String(10_000 + i * 100), e.email ?? `customer${i}@example.com`, e.description ?? `Invoice ${i}`, e.expiry ?? '2026-12-31']);
  }
  return rows;
}

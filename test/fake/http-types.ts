/**
 * The HTTP seam between the fake UrlFetchApp and whatever answers it (the Mayar simulator).
 * These types are identical to the ones test/sim/mayar-simulator.ts exports, so either can be
 * passed where the other is expected (TypeScript compares them structurally).
 */
export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export type HttpOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string; latencyMs: number }
  | { kind: 'network-error'; message: string; latencyMs: number; reachedServer: boolean };

export type HttpHandler = (request: HttpRequest) => HttpOutcome;

/**
 * In-process simulator of Mayar's Headless API v2, following the project's API fact sheet (mayar-api.md).
 * Mayar can't be reached from our machines, so integration tests, the demo and the benchmark
 * all talk to this instead. Where the real API is ambiguous the simulator takes the stricter
 * reading, so code that works here should work against Mayar.
 *
 * Time comes only from the injected clock; the simulator never sleeps. Each outcome reports
 * the latency a real call would have had, and the caller decides whether to advance its clock.
 */
import { type ListReply, pageFields, paidTransactionsPage, type Settlement, webhookHistoryPage } from './cursor-lists';
import { InvoiceBook } from './invoices';
import { boundTo } from '../clone';

// ---------------------------------------------------------------------------------------------
// Transport types shared with the add-on's HTTP layer and the test harness.

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

// ---------------------------------------------------------------------------------------------
// Public simulator types.

export type Environment = 'sandbox' | 'production';
export type KeyAccess = 'read' | 'write';
export type PaymentStatus = 'unpaid' | 'paid' | 'closed';
export type TransactionStatus = 'paid' | 'unpaid' | 'created' | 'expired';
export type ValidationStyle = '400' | '200-failed';
export type LatencySetting = number | ((request: HttpRequest) => number);

export type FaultType =
  | 'network-error'
  | 'lost-reply'
  | 'http-500'
  | 'html-502'
  | 'timeout'
  | 'status-409'
  | 'key-revoked'
  | 'too-many-requests'
  /** HTTP 200 with messages "failed" and a validator list, as Mayar has been seen to answer. */
  | 'validation-failed'
  /** 429 "Duplicate request detected", as if someone else had just made the same payment. */
  | 'duplicate-request';

export interface Fault {
  /** Which requests the fault applies to; all requests when omitted. */
  match?: (request: HttpRequest) => boolean;
  /** How many matching requests it hits; default 1. Infinity keeps it until clearFaults(). */
  times?: number;
  type: FaultType;
  /** Retry-After for 'too-many-requests'; default 60. */
  retryAfterSeconds?: number;
  /** Validator list for 'validation-failed'. */
  errors?: { field: string; message: string }[];
}

export interface MayarSimulatorOptions {
  now: () => number;
  ratePerMinute?: number;
  latencyMs?: LatencySetting;
  validationStyle?: ValidationStyle;
  merchant?: string;
  seed?: number;
  /**
   * Which sandbox host accepts a sandbox key: the docs name api.mayar.io (v2 introduction) and
   * api.mayar.club (create page, v1, Postman). Default 'api.mayar.io', the one the add-on does
   * not try first; the other answers 401 as for an unknown key. 'both' accepts either.
   */
  sandboxHost?: SandboxHost;
}

export type SandboxHost = 'api.mayar.io' | 'api.mayar.club' | 'both';

export interface ValidatorError {
  type: string;
  message: string;
  field: string;
}

export interface SimCustomer {
  name: string;
  email: string | null;
  mobile: string | null;
}

export interface SimTransaction {
  id: string;
  /** Stored state; 'expired' is derived from the clock, see transactionStatus(). */
  status: 'unpaid' | 'paid';
  amount: number;
  paymentMethod: string | null;
  /** Last change; for a paid transaction, when it was paid (Mayar reports no paidAt). */
  updatedAt: number;
  expirationDate: number;
  extraData: Record<string, string>;
  customer: SimCustomer;
  createdAt: number;
}

export interface SimPayment {
  id: string;
  environment: Environment;
  slug: string;
  /** Full URL to share, as the create call returns it. */
  link: string;
  name: string;
  email: string | null;
  mobile: string | null;
  amount: number;
  /** HTML already stripped. */
  description: string;
  notes: string | null;
  status: PaymentStatus;
  expiredAt: number;
  createdAt: number;
  updatedAt: number;
  /** What the create call sent, kept even when no transaction exists to carry it. */
  extraData: Record<string, string> | null;
  /** The method restriction from the create call, if any. */
  paymentMethod: string | null;
  transactions: SimTransaction[];
}

export interface RequestLogEntry {
  at: number;
  method: string;
  url: string;
  host: string;
  /** Path without the query string. */
  path: string;
  query: string;
  /** HTTP status the client saw, or 'network-error'. */
  status: number | 'network-error';
  /** Status the server produced before a lost reply or timeout hid it; null if never reached. */
  serverStatus: number | null;
  keyEnvironment: Environment | null;
  hostEnvironment: Environment | null;
  fault: FaultType | null;
}

export interface WebhookTestCall {
  at: number;
  environment: Environment;
  urlHook: string;
}

/** One item of GET /payment-channels' `config[]`, as the docs list it; a card channel has code null. */
export interface PaymentChannel {
  name: string;
  status: 'enabled' | 'disabled';
  img: string;
  type: 'qris' | 'va' | 'ewallet' | 'card' | 'retail' | 'paylater' | 'qris_static';
  code: string | null;
}

export type DeliveryStatus = 'SUCCESS' | 'FAILED';

/** One webhook delivery as GET /webhooks/history reports it. */
export interface WebhookDelivery {
  id: string;
  environment: Environment;
  createdAt: number;
  nextDelivery: number | null;
  paymentLinkId: string;
  /** The delivered body, as a JSON string. */
  payload: string;
  status: DeliveryStatus;
  type: string;
  updatedAt: number;
  userId: string;
  urlDestination: string;
}

// ---------------------------------------------------------------------------------------------
// Constants.

const HOSTS: Readonly<Record<string, Environment>> = {
  'api.mayar.id': 'production',
  'api.mayar.club': 'sandbox',
  'api.mayar.io': 'sandbox',
};

const WINDOW_MS = 60_000;
const DUPLICATE_WINDOW_MS = 60_000;
const DEFAULT_EXPIRY_MS = 60 * 60_000;
const TIMEOUT_LATENCY_MS = 60_000;
const MIN_AMOUNT = 500;
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;

/** The paid transactions list records a payment when it settles: a few seconds after it. */
const SETTLE_DELAY_MS = 15_000;
/** A failed delivery is tried again later; Mayar's schedule is not documented. */
const REDELIVERY_MS = 5 * 60_000;

// GET /payment-channels as documented: one object with config[]; codes upper-case, a card null.
// Only "enabled" is a documented status; "disabled" stands for any other (not documented).
const channel = (code: string | null, name: string, type: PaymentChannel['type']): PaymentChannel => ({
  name,
  status: 'enabled',
  img: `https://assets.mayar.id/channels/${(code ?? type).toLowerCase()}.png`,
  type,
  code,
});
const PAYMENT_CHANNELS: readonly PaymentChannel[] = [
  channel('QRIS', 'QRIS', 'qris'),
  channel('MANDIRI', 'Mandiri Virtual Account', 'va'),
  channel('BNI', 'BNI Virtual Account', 'va'),
  channel('OVO', 'OVO', 'ewallet'),
  channel('ALFAMART', 'Alfamart', 'retail'),
  channel('AKULAKU', 'Akulaku', 'paylater'),
  channel('QRIS_STATIC', 'QRIS Static', 'qris_static'),
  channel(null, 'Credit Card', 'card'),
];

const JSON_HEADERS: Readonly<Record<string, string>> = { 'Content-Type': 'application/json; charset=utf-8' };

const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Requires a zone: a zoneless time would be read in the server's local time, which is ambiguous.
const ISO_DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

// ---------------------------------------------------------------------------------------------
// Small helpers.

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** murmur3's 32-bit finaliser: a bijection, so distinct inputs give distinct words. */
function mix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function hex8(word: number): string {
  return word.toString(16).padStart(8, '0');
}

function stripHtml(text: string): string {
  return text.replace(/<[^>]*>/g, '');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

function sameText(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();
}

interface KeyRecord {
  environment: Environment;
  access: KeyAccess;
  revoked: boolean;
}

interface ActiveFault {
  fault: Fault;
  remaining: number;
}

interface Route {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------

export class MayarSimulator {
  /** Bound handle(), to pass wherever an HttpHandler is expected. */
  readonly handler: HttpHandler;
  /** Every request in arrival order, including DNS failures and injected faults. */
  readonly requests: RequestLogEntry[] = [];
  readonly webhookTests: WebhookTestCall[] = [];
  /** 429 "Too Many Requests" replies sent, real or injected (duplicate rejections not included). */
  tooManyRequestsSent = 0;
  /** 429 "Duplicate request detected" replies sent. */
  duplicateRejections = 0;

  private readonly now: () => number;
  private readonly validationStyle: ValidationStyle;
  private readonly merchant: string;
  private readonly sandboxHost: SandboxHost;
  /** The account's channels, in GET /payment-channels order; setChannelStatus turns one off. */
  private readonly channels: PaymentChannel[] = PAYMENT_CHANNELS.map((c) => ({ ...c }));
  private readonly seed: number;
  private ratePerMinute: number;
  private latency: LatencySetting;
  private serial = 0;
  private lastCreatedAt = 0;
  private readonly keys = new Map<string, KeyRecord>();
  private readonly store = new Map<string, SimPayment>();
  /** Creation order, for stable sorting of payments made in the same millisecond. */
  private readonly order: string[] = [];
  private readonly transactionIndex = new Map<string, { paymentId: string; index: number }>();
  /** Times of requests the rate limiter accepted, oldest first. */
  private readonly window: number[] = [];
  private faults: ActiveFault[] = [];
  private readonly webhookUrls = new Map<Environment, string>();
  private readonly deliveries: WebhookDelivery[] = [];
  /** The paid transactions list (GET /transactions): one entry per settled payment. */
  private readonly settlements: Settlement[] = [];
  /** Invoices (bills with line items): create, detail, list, paid and closed by tests. */
  readonly invoiceBook: InvoiceBook;

  constructor(options: MayarSimulatorOptions) {
    this.now = options.now;
    this.ratePerMinute = options.ratePerMinute ?? 20;
    this.latency = options.latencyMs ?? 300;
    this.validationStyle = options.validationStyle ?? '200-failed';
    this.merchant = options.merchant ?? 'mayarsheets';
    this.sandboxHost = options.sandboxHost ?? 'api.mayar.io';
    this.seed = (options.seed ?? 1) >>> 0;
    this.handler = boundTo(this, (sim) => (request: HttpRequest) => sim.handle(request));
    this.invoiceBook = new InvoiceBook(this.now, {
      uuid: () => this.uuid(),
      slug: () => this.slug(),
      userId: (env) => this.userId(env),
      linkBase: (env) => `https://${this.merchant}.${env === 'production' ? 'myr.id' : 'myr.lat'}`,
      validationFailure: (errors) => this.validationFailure(errors),
      deliver: (env, paymentLinkId, payload, at) => {
        const url = this.webhookUrls.get(env);
        if (url === undefined) return;
        this.deliveries.push({
          id: this.uuid(),
          environment: env,
          createdAt: at,
          nextDelivery: null,
          paymentLinkId,
          payload,
          status: 'SUCCESS',
          type: 'payment.received',
          updatedAt: at,
          userId: this.userId(env),
          urlDestination: url,
        });
      },
    });
  }

  /** A deterministic JWT-looking key (header.payload.signature, base64url only). */
  static makeKey(label: string): string {
    const b64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64url(JSON.stringify({ sub: label, iss: 'mayar-simulator', iat: 1_700_000_000 }));
    const signature = Buffer.alloc(32);
    let h = fnv1a(label);
    for (let i = 0; i < 8; i++) {
      h = mix32(h + i + 0x9e3779b9);
      signature.writeUInt32BE(h, i * 4);
    }
    return `${header}.${payload}.${signature.toString('base64url')}`;
  }

  // -------------------------------------------------------------------------------------------
  // Configuration.

  /** Turns a channel (by its code) on or off in the account, as the merchant would in the dashboard. */
  setChannelStatus(code: string, status: PaymentChannel['status']): void {
    const found = this.channels.find((c) => c.code === code);
    if (!found) throw new Error(`no channel ${code}`);
    found.status = status;
  }

  /** The account's channels as GET /payment-channels lists them. */
  paymentChannels(): PaymentChannel[] {
    return this.channels.map((c) => ({ ...c }));
  }

  addKey(key: string, opts: { environment: Environment; access?: KeyAccess }): void {
    this.keys.set(key, { environment: opts.environment, access: opts.access ?? 'write', revoked: false });
  }

  /** Permanently revokes a key (every later call with it gets 401). */
  revokeKey(key: string): void {
    const record = this.keys.get(key);
    if (record) record.revoked = true;
  }

  injectFault(fault: Fault): void {
    this.faults.push({ fault, remaining: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Faults still armed, with how many hits each has left. */
  pendingFaults(): { type: FaultType; remaining: number }[] {
    return this.faults.filter((f) => f.remaining > 0).map((f) => ({ type: f.fault.type, remaining: f.remaining }));
  }

  setLatency(latency: LatencySetting): void {
    this.latency = latency;
  }

  setRateLimit(perMinute: number): void {
    this.ratePerMinute = perMinute;
  }

  // -------------------------------------------------------------------------------------------
  // State helpers for tests.

  /**
   * The customer pays now: the payment and its transaction (created if it had none, as a
   * checkout would) turn paid. When the account has a webhook URL, Mayar POSTs
   * payment.received and records the delivery with the given outcome (default SUCCESS).
   */
  pay(paymentId: string, opts: { method?: string; delivery?: DeliveryStatus } = {}): void {
    const payment = this.mustGet(paymentId);
    const at = this.now();
    const method = opts.method ?? payment.paymentMethod ?? 'qris';
    let tx = payment.transactions[0];
    if (!tx) {
      tx = this.newTransaction(payment, at);
      payment.transactions.push(tx);
      this.transactionIndex.set(tx.id, { paymentId: payment.id, index: 0 });
    }
    tx.status = 'paid';
    tx.updatedAt = at;
    tx.paymentMethod = method;
    payment.status = 'paid';
    payment.updatedAt = at;
    this.recordSettlement(payment, tx, at);
    const url = this.webhookUrls.get(payment.environment);
    if (url !== undefined) {
      const status = opts.delivery ?? 'SUCCESS';
      this.deliveries.push({
        id: this.uuid(),
        environment: payment.environment,
        createdAt: at,
        nextDelivery: status === 'FAILED' ? at + REDELIVERY_MS : null,
        paymentLinkId: payment.id,
        payload: this.webhookBody(payment.id),
        status,
        type: 'payment.received',
        updatedAt: at,
        userId: this.userId(payment.environment),
        urlDestination: url,
      });
    }
  }

  /**
   * The paid transactions list's entry for a payment given another status (Mayar documents
   * `settled`; the docs say "e.g." of transaction statuses).
   */
  setSettlementStatus(paymentId: string, status: string): void {
    for (const s of this.settlements) if (s.paymentLinkId === paymentId) s.status = status;
  }

  /** Former name of pay(). */
  markPaid(paymentId: string, opts: { method?: string; delivery?: DeliveryStatus } = {}): void {
    this.pay(paymentId, opts);
  }

  /** Sets the account's webhook URL as the dashboard would. */
  setWebhookUrl(environment: Environment, url: string): void {
    this.webhookUrls.set(environment, url);
  }

  /** Webhook deliveries recorded so far, oldest first (copies). */
  webhookDeliveries(): WebhookDelivery[] {
    return structuredClone(this.deliveries);
  }

  /** Closes a payment as if from the dashboard, whatever its state. */
  closeDirect(paymentId: string): void {
    const payment = this.mustGet(paymentId);
    payment.status = 'closed';
    payment.updatedAt = this.now();
  }

  /** A copy of the payment's state; changing it does not change the simulator. */
  payment(paymentId: string): Readonly<SimPayment> | undefined {
    const payment = this.store.get(paymentId);
    return payment ? structuredClone(payment) : undefined;
  }

  /** All payments in creation order (copies). */
  payments(): Readonly<SimPayment>[] {
    return this.order.map((id) => structuredClone(this.mustGet(id)));
  }

  /** Every payment the API created, including those whose reply was lost (copies). */
  createdPayments(): Readonly<SimPayment>[] {
    return this.payments();
  }

  createCount(): number {
    return this.order.length;
  }

  /** Payments created per value of one extraData key; payments without that key are skipped. */
  createsBy(extraDataKey: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const id of this.order) {
      const value = this.mustGet(id).extraData?.[extraDataKey];
      if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return counts;
  }

  /** Payments created per `name|amount|description` (description as stored, HTML stripped). */
  createsByContent(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const id of this.order) {
      const p = this.mustGet(id);
      const key = `${p.name}|${p.amount}|${p.description}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  /** Transaction status as the API reports it now (expiry follows the clock). */
  transactionStatus(transactionId: string): TransactionStatus | undefined {
    const found = this.findTransaction(transactionId);
    return found ? this.effectiveStatus(found.tx) : undefined;
  }

  webhookUrl(environment: Environment): string | undefined {
    return this.webhookUrls.get(environment);
  }

  /**
   * The JSON body Mayar would POST to the webhook URL. For 'payment.received' the payload
   * claims success whatever the real state, so tests can also forge one for an unpaid payment.
   * `data.id` is the webhook's own id, as the field table documents (not the transaction's).
   */
  webhookBody(paymentId: string, event = 'payment.received'): string {
    const p = this.mustGet(paymentId);
    const tx = p.transactions[0];
    const received = event === 'payment.received';
    return JSON.stringify({
      event,
      data: {
        id: this.webhookId(`${p.id}/${event}/${this.deliveries.length}`),
        transactionId: tx?.id ?? null,
        status: received || tx?.status === 'paid' ? 'SUCCESS' : 'PENDING',
        transactionStatus: received ? 'paid' : tx ? this.effectiveStatus(tx) : 'unpaid',
        createdAt: iso(p.createdAt),
        updatedAt: iso(p.updatedAt),
        customerName: p.name,
        customerEmail: p.email,
        customerMobile: p.mobile,
        amount: p.amount,
        productId: p.id,
        productName: p.description !== '' ? p.description : p.name,
        productType: 'payment_request',
        paymentMethod: tx?.paymentMethod ?? p.paymentMethod ?? 'qris',
      },
    });
  }

  // -------------------------------------------------------------------------------------------
  // The HTTP entry point.

  handle(request: HttpRequest): HttpOutcome {
    const at = this.now();
    const latencyMs = this.latencyFor(request);
    const method = request.method.toUpperCase();

    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      this.log(at, request, null, null, 'network-error', null, null);
      return { kind: 'network-error', message: `Invalid argument: ${request.url}`, latencyMs, reachedServer: false };
    }
    const hostEnvironment = url.protocol === 'https:' ? HOSTS[url.host] : undefined;
    if (hostEnvironment === undefined) {
      this.log(at, request, url, null, 'network-error', null, null);
      return { kind: 'network-error', message: `DNS error: ${url.host}`, latencyMs, reachedServer: false };
    }
    const keyEnvironment = this.keyEnvironmentOf(request);
    const logAs = (status: number | 'network-error', serverStatus: number | null, fault: FaultType | null): void =>
      this.log(at, request, url, hostEnvironment, status, serverStatus, fault, keyEnvironment);

    // A connection that never reaches Mayar costs no rate-limit slot.
    if (this.takeFault(request, (type) => type === 'network-error')) {
      logAs('network-error', null, 'network-error');
      return { kind: 'network-error', message: `Address unavailable: ${request.url}`, latencyMs, reachedServer: false };
    }

    // Rate limiting comes before everything else on the server, before auth and routing.
    this.prune(at);
    if (this.window.length >= this.ratePerMinute) {
      const oldest = this.window[0] ?? at;
      const retryAfter = Math.max(1, Math.ceil((oldest + WINDOW_MS - at) / 1000));
      this.tooManyRequestsSent++;
      logAs(429, 429, null);
      return this.respond(429, { statusCode: 429, messages: 'Too Many Requests' }, latencyMs, {
        'Retry-After': String(retryAfter),
      });
    }

    const fault = this.takeFault(request, (type) => type !== 'network-error');
    if (fault?.type === 'too-many-requests') {
      this.tooManyRequestsSent++;
      logAs(429, 429, fault.type);
      return this.respond(429, { statusCode: 429, messages: 'Too Many Requests' }, latencyMs, {
        'Retry-After': String(Math.max(1, Math.ceil(fault.retryAfterSeconds ?? 60))),
      });
    }
    this.window.push(at);

    switch (fault?.type) {
      case 'http-500':
        logAs(500, 500, fault.type);
        return this.respond(500, { statusCode: 500, messages: 'Error' }, latencyMs);
      case 'html-502':
        logAs(502, 502, fault.type);
        return { kind: 'response', status: 502, headers: { 'Content-Type': 'text/html' }, body: HTML_502, latencyMs };
      case 'status-409':
        logAs(409, 409, fault.type);
        return this.respond(409, { statusCode: 409, messages: 'already exist' }, latencyMs);
      case 'key-revoked':
        logAs(401, 401, fault.type);
        return this.respond(401, { statusCode: 401, messages: 'Unauthorized' }, latencyMs);
      case 'duplicate-request':
        this.duplicateRejections++;
        logAs(429, 429, fault.type);
        return this.respond(429, { statusCode: 429, messages: 'Duplicate request detected. Please wait 1 minute before trying again.' }, latencyMs);
      case 'validation-failed': {
        const data = (fault.errors ?? [{ field: 'mobile', message: 'mobile is invalid' }]).map((e) => ({ type: 'any.invalid', ...e }));
        logAs(200, 200, fault.type);
        return this.respond(200, { statusCode: 400, messages: 'failed', data }, latencyMs);
      }
      default:
        break;
    }

    const route = this.route(method, url, hostEnvironment, request, at);

    if (fault?.type === 'lost-reply' || fault?.type === 'timeout') {
      // Mayar did the work; only the reply is gone.
      logAs('network-error', route.status, fault.type);
      return fault.type === 'timeout'
        ? { kind: 'network-error', message: `Timeout: ${request.url}`, latencyMs: TIMEOUT_LATENCY_MS, reachedServer: true }
        : { kind: 'network-error', message: 'Connection reset by peer', latencyMs, reachedServer: true };
    }
    logAs(route.status, route.status, null);
    return this.respond(route.status, route.body, latencyMs, route.headers);
  }

  // -------------------------------------------------------------------------------------------
  // Routing and endpoints.

  private route(method: string, url: URL, env: Environment, request: HttpRequest, at: number): Route {
    const path = url.pathname.replace(/\/+$/, '');
    if (!path.startsWith('/hl/v2/')) return notFound();

    const auth = this.authorize(request, env, method) ?? this.wrongSandboxHost(url, env);
    if (auth) return auth;

    const parts = path.slice('/hl/v2/'.length).split('/');
    const [first, second, third] = parts;
    const n = parts.length;

    if (first === 'payments') {
      if (n === 2 && second === 'create' && method === 'POST') return this.withBody(request, (b) => this.create(b, env, at));
      if (n === 1 && method === 'GET') return this.list(url.searchParams, env);
      if (n === 2 && second !== undefined && method === 'GET') return this.detail(second, env);
      if (n === 3 && second !== undefined && third === 'close' && method === 'POST') return this.close(second, env, at);
      return notFound();
    }
    if (first === 'transactions' && n === 1 && method === 'GET') {
      return this.cursorReply(
        paidTransactionsPage(
          this.settlements.filter((s) => s.environment === env),
          url.searchParams,
          at,
        ),
      );
    }
    // Invoices (bills with line items): their own block, tools/mayar/invoices.ts.
    if (first === 'invoices') {
      const rest = parts.slice(1);
      const answer = (body: Json | null): Route => this.invoiceBook.route(method, rest, url.searchParams, env, body) ?? notFound();
      return method === 'POST' ? this.withBody(request, answer) : answer(null);
    }
    if (first === 'transactions' && n === 2 && second !== undefined && method === 'GET') {
      return this.transaction(second, env);
    }
    if (first === 'webhooks' && n === 2 && method === 'POST') {
      if (second === 'update') return this.withBody(request, (b) => this.webhookUpdate(b, env));
      if (second === 'test') return this.withBody(request, (b) => this.webhookTest(b, env, at));
    }
    if (first === 'webhooks' && n === 2 && second === 'history' && method === 'GET') return this.webhookHistory(url.searchParams, env);
    if (first === 'payment-channels' && n === 1 && method === 'GET') return this.paymentChannelsReply(env, at);
    return notFound();
  }

  /** A sandbox key is accepted on one of the two documented sandbox hosts only (unless 'both'). */
  private wrongSandboxHost(url: URL, env: Environment): Route | null {
    if (env !== 'sandbox' || this.sandboxHost === 'both') return null;
    return url.host === this.sandboxHost ? null : unauthorized();
  }

  /** GET /payment-channels: `data` is one object (the account's channel settings) with config[]. */
  private paymentChannelsReply(env: Environment, at: number): Route {
    return ok({
      data: {
        id: this.userId(env, 'channels'),
        userId: this.userId(env),
        isAkulakuApproved: true,
        isCreditCardApproved: false,
        isQRISStaticApproved: true,
        isAdminFeeBorneByCustomer: false,
        isChannelFeeBorneByCustomer: false,
        isRateLimitActive: true,
        config: this.channels.map((c) => ({ ...c })),
        createdAt: iso(at - 30 * 86_400_000),
        updatedAt: iso(at),
      },
    });
  }

  private authorize(request: HttpRequest, env: Environment, method: string): Route | null {
    const header = headerValue(request.headers, 'authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const record = match?.[1] !== undefined ? this.keys.get(match[1]) : undefined;
    // Unknown, revoked, other-environment and read-only-writing keys all look alike: 401.
    if (!record || record.revoked || record.environment !== env) return unauthorized();
    if (record.access === 'read' && method !== 'GET') return unauthorized();
    return null;
  }

  private withBody(request: HttpRequest, then: (body: Json) => Route): Route {
    const text = request.body ?? '';
    if (text.trim() === '') return then({});
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { status: 400, body: { statusCode: 400, messages: 'Invalid JSON' } };
    }
    if (!isRecord(parsed)) return { status: 400, body: { statusCode: 400, messages: 'Invalid JSON' } };
    return then(parsed);
  }

  private create(body: Json, env: Environment, at: number): Route {
    const errors = validateFields(body, this.channels);
    if (errors.length > 0) return this.validationFailure(errors);

    const extraData = body.extraData;
    if (extraData !== undefined && !isStringRecord(extraData)) {
      return { status: 400, body: { statusCode: 400, messages: 'extraData Validation Error' } };
    }

    // validateFields has checked both types.
    const name = body.name as string;
    const amount = body.amount as number;
    const email = typeof body.email === 'string' ? body.email : null;
    const mobile = typeof body.mobile === 'string' ? body.mobile : null;

    if (this.isDuplicate(env, at, name, amount, email, mobile)) {
      this.duplicateRejections++;
      return {
        status: 429,
        body: { statusCode: 429, messages: 'Duplicate request detected. Please wait 1 minute before trying again.' },
      };
    }

    const id = this.uuid();
    const slug = this.slug();
    // A server stamps creates one after another; requests of one fetchAll share a virtual instant.
    const createdAt = Math.max(at, this.lastCreatedAt + 1);
    this.lastCreatedAt = createdAt;
    const payment: SimPayment = {
      id,
      environment: env,
      slug,
      link: this.linkUrl(env, slug),
      name,
      email,
      mobile,
      amount,
      description: typeof body.description === 'string' ? stripHtml(body.description) : '',
      notes: typeof body.notes === 'string' ? body.notes : null,
      status: 'unpaid',
      expiredAt: typeof body.expiredAt === 'string' ? Date.parse(body.expiredAt) : at + DEFAULT_EXPIRY_MS,
      createdAt,
      updatedAt: createdAt,
      extraData: extraData === undefined ? null : { ...extraData },
      paymentMethod: typeof body.paymentMethod === 'string' ? body.paymentMethod : null,
      transactions: [],
    };
    // Only an email makes Mayar create a customer and a transaction.
    if (email !== null) {
      const tx = this.newTransaction(payment, at);
      payment.transactions.push(tx);
      this.transactionIndex.set(tx.id, { paymentId: id, index: 0 });
    }
    this.store.set(id, payment);
    this.order.push(id);

    // Only the fields every docs revision promises; a later one adds more, not to be relied on.
    return ok({ data: { id, transactionId: payment.transactions[0]?.id ?? null, link: payment.link } });
  }

  private isDuplicate(env: Environment, at: number, name: string, amount: number, email: string | null, mobile: string | null): boolean {
    for (let i = this.order.length - 1; i >= 0; i--) {
      const id = this.order[i];
      const p = id === undefined ? undefined : this.store.get(id);
      if (!p) continue;
      if (at - p.createdAt >= DUPLICATE_WINDOW_MS) break;
      if (p.environment !== env || p.amount !== amount) continue;
      const sameMobile = p.mobile !== null && mobile !== null && p.mobile === mobile;
      if (sameText(p.name, name) || sameText(p.email, email) || sameMobile) return true;
    }
    return false;
  }

  private list(params: URLSearchParams, env: Environment): Route {
    const errors: ValidatorError[] = [];
    const status = params.get('status') ?? '';
    if (status !== '' && status !== 'unpaid' && status !== 'paid' && status !== 'closed') {
      errors.push({ type: 'enumValue', message: "The 'status' field value 'unpaid, paid, closed' does not match any of the allowed values.", field: 'status' });
    }
    const cursorText = params.get('startingAfter') ?? '';
    if (cursorText !== '' && !/^\d+$/.test(cursorText)) {
      errors.push({ type: 'number', message: "The 'startingAfter' field must be a number.", field: 'startingAfter' });
    }
    if (errors.length > 0) return this.validationFailure(errors);

    const limitText = params.get('limit') ?? '';
    const asked = /^\d+$/.test(limitText) ? Number(limitText) : DEFAULT_LIMIT;
    const limit = Math.min(MAX_LIMIT, asked < 1 ? DEFAULT_LIMIT : asked);
    const cursor = cursorText === '' ? Infinity : Number(cursorText);

    const matching: SimPayment[] = [];
    for (let i = this.order.length - 1; i >= 0; i--) {
      const id = this.order[i];
      const p = id === undefined ? undefined : this.store.get(id);
      if (!p || p.environment !== env) continue;
      if (status !== '' && p.status !== status) continue;
      // A millisecond cursor: payments sharing the boundary millisecond are skipped, as with Mayar.
      if (p.createdAt >= cursor) continue;
      matching.push(p);
    }
    // order[] is creation order; a stable sort keeps newest-first within one millisecond.
    matching.sort((a, b) => b.createdAt - a.createdAt);
    return ok(
      pageFields(matching, limit, (p) => ({
        id: p.id,
        name: p.name,
        amount: p.amount,
        description: p.description,
        createdAt: p.createdAt,
        status: p.status,
        // The slug only: a list item carries no URL.
        link: p.slug,
        transactions: p.transactions.map((tx) => ({ id: tx.id, extraData: { ...tx.extraData } })),
      })),
    );
  }

  private detail(id: string, env: Environment): Route {
    const p = this.store.get(id);
    if (!p || p.environment !== env) return paymentNotFound();
    return ok({ data: this.detailView(p) });
  }

  private detailView(p: SimPayment): Json {
    // No expiredAt, no updatedAt; the shape of transactions[] is not documented, so only ids:
    // expiry and the time of payment come from GET /transactions/{id}.
    return {
      id: p.id,
      link: p.slug,
      name: p.name,
      amount: p.amount,
      status: p.status,
      description: p.description,
      transactions: p.transactions.map((tx) => ({ id: tx.id })),
      linkUrl: p.link,
      linkPayment: p.link,
      createdAt: p.createdAt,
    };
  }

  private transaction(id: string, env: Environment): Route {
    const found = this.findTransaction(id);
    if (!found || found.payment.environment !== env) {
      return { status: 404, body: { statusCode: 404, messages: 'Transaction not found' } };
    }
    const { payment, tx } = found;
    return ok({
      data: {
        status: this.effectiveStatus(tx),
        amount: tx.amount,
        extraData: { ...tx.extraData },
        paymentMethod: tx.paymentMethod,
        customer: { ...tx.customer },
        paymentLink: { id: payment.id },
        expirationDate: tx.expirationDate,
        updatedAt: tx.updatedAt,
      },
    });
  }

  /** The reply carries no data; refusing a paid request is HTTP 200 with messages "failed". */
  private close(id: string, env: Environment, at: number): Route {
    const p = this.store.get(id);
    if (!p || p.environment !== env) return paymentNotFound();
    if (p.status === 'paid') return { status: 200, body: { statusCode: 200, messages: 'failed' } };
    if (p.status !== 'closed') {
      p.status = 'closed';
      p.updatedAt = at;
    }
    return { status: 200, body: { statusCode: 200, messages: 'success' } };
  }

  /** The v2 cursor (startingAfter, hasMore, nextStartingAfter); `page` is v1 and ignored. */
  private webhookHistory(params: URLSearchParams, env: Environment): Route {
    return this.cursorReply(
      webhookHistoryPage(
        this.deliveries.filter((d) => d.environment === env),
        params,
        (paymentId) => this.store.get(paymentId)?.transactions[0]?.id ?? null,
      ),
    );
  }

  private cursorReply(reply: ListReply): Route {
    return reply.ok ? ok(reply.fields) : this.validationFailure(reply.errors);
  }

  /** A settled payment, as the paid transactions list shows it a little after the payment. */
  private recordSettlement(payment: SimPayment, tx: SimTransaction, at: number): void {
    const customerId = this.customerId(payment);
    this.settlements.push({
      id: this.uuid(),
      environment: payment.environment,
      createdAt: at + SETTLE_DELAY_MS,
      credit: tx.amount,
      status: 'settled',
      balanceHistoryType: 'payment',
      paymentMethod: tx.paymentMethod,
      customerId,
      customer: { id: customerId, name: tx.customer.name, email: tx.customer.email, mobile: tx.customer.mobile },
      paymentLinkId: payment.id,
      paymentLinkName: payment.name,
      paymentLinkTransactionId: tx.id,
    });
  }

  private customerId(payment: SimPayment): string {
    const hex = hex8(fnv1a(`${payment.environment}/${payment.email ?? payment.mobile ?? payment.name}`)).repeat(4);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  private webhookUpdate(body: Json, env: Environment): Route {
    const problem = urlHookProblem(body.urlHook);
    if (problem === 'missing') return { status: 400, body: { statusCode: 400, messages: 'urlHook is required' } };
    if (problem === 'invalid') return { status: 400, body: { statusCode: 400, messages: 'urlHook is not a valid URL' } };
    this.webhookUrls.set(env, String(body.urlHook));
    return ok({});
  }

  private webhookTest(body: Json, env: Environment, at: number): Route {
    const problem = urlHookProblem(body.urlHook);
    if (problem === 'missing') {
      return { status: 400, body: { statusCode: 400, messages: 'Url tidak ditemukan. Silahkan masukkan url webhook anda.' } };
    }
    if (problem === 'invalid') {
      return { status: 400, body: { statusCode: 400, messages: 'Url tidak valid. Silahkan masukkan url webhook yang valid.' } };
    }
    this.webhookTests.push({ at, environment: env, urlHook: String(body.urlHook) });
    return ok({});
  }

  private validationFailure(errors: ValidatorError[]): Route {
    return this.validationStyle === '400'
      ? { status: 400, body: { statusCode: 400, messages: 'Validation Error', data: errors } }
      : { status: 200, body: { statusCode: 400, messages: 'failed', data: errors } };
  }

  // -------------------------------------------------------------------------------------------
  // Internals.

  private respond(status: number, body: Json, latencyMs: number, extra?: Record<string, string>): HttpOutcome {
    return { kind: 'response', status, headers: { ...JSON_HEADERS, ...extra }, body: JSON.stringify(body), latencyMs };
  }

  private latencyFor(request: HttpRequest): number {
    const value = typeof this.latency === 'function' ? this.latency(request) : this.latency;
    return Number.isFinite(value) && value > 0 ? value : 0;
  }

  private prune(at: number): void {
    while (this.window.length > 0 && (this.window[0] ?? at) <= at - WINDOW_MS) this.window.shift();
  }

  private takeFault(request: HttpRequest, wanted: (type: FaultType) => boolean): Fault | undefined {
    for (const active of this.faults) {
      if (active.remaining <= 0 || !wanted(active.fault.type)) continue;
      if (active.fault.match && !active.fault.match(request)) continue;
      active.remaining--;
      return active.fault;
    }
    return undefined;
  }

  private keyEnvironmentOf(request: HttpRequest): Environment | null {
    const header = headerValue(request.headers, 'authorization') ?? '';
    const key = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    return key === undefined ? null : (this.keys.get(key)?.environment ?? null);
  }

  private log(
    at: number,
    request: HttpRequest,
    url: URL | null,
    hostEnvironment: Environment | null,
    status: number | 'network-error',
    serverStatus: number | null,
    fault: FaultType | null,
    keyEnvironment: Environment | null = this.keyEnvironmentOf(request),
  ): void {
    this.requests.push({
      at,
      method: request.method.toUpperCase(),
      url: request.url,
      host: url?.host ?? '',
      path: url?.pathname ?? '',
      query: url?.search ?? '',
      status,
      serverStatus,
      keyEnvironment,
      hostEnvironment,
      fault,
    });
  }

  private effectiveStatus(tx: SimTransaction): TransactionStatus {
    if (tx.status === 'paid') return 'paid';
    return this.now() >= tx.expirationDate ? 'expired' : 'unpaid';
  }

  private newTransaction(payment: SimPayment, at: number): SimTransaction {
    return {
      id: this.uuid(),
      status: 'unpaid',
      amount: payment.amount,
      paymentMethod: null,
      updatedAt: at,
      expirationDate: payment.expiredAt,
      extraData: { ...(payment.extraData ?? {}) },
      customer: { name: payment.name, email: payment.email, mobile: payment.mobile },
      createdAt: at,
    };
  }

  private findTransaction(id: string): { payment: SimPayment; tx: SimTransaction } | undefined {
    const ref = this.transactionIndex.get(id);
    if (!ref) return undefined;
    const payment = this.store.get(ref.paymentId);
    const tx = payment?.transactions[ref.index];
    return payment && tx ? { payment, tx } : undefined;
  }

  private mustGet(paymentId: string): SimPayment {
    const payment = this.store.get(paymentId);
    if (!payment) throw new Error(`MayarSimulator: no payment ${paymentId}`);
    return payment;
  }

  /** A webhook's own id, derived (not drawn) so that the payment ids that follow stay the same. */
  private webhookId(seed: string): string {
    const word = (lane: number): string => hex8(mix32(this.seed ^ fnv1a(`webhook/${seed}/${lane}`)));
    const hex = word(0) + word(1) + word(2) + word(3);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** The merchant account's id, one per environment. */
  private userId(env: Environment, what = ''): string {
    const word = (lane: number): string => hex8(mix32(this.seed ^ fnv1a(`${this.merchant}/${env}/${what}${lane}`)));
    const hex = word(0) + word(1) + word(2) + word(3);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  private linkUrl(env: Environment, slug: string): string {
    const domain = env === 'production' ? 'myr.id' : 'myr.lat';
    return `https://${this.merchant}.${domain}/pl/${slug}`;
  }

  /** One word per (serial, lane); a bijection of serial*8+lane, so ids never collide. */
  private word(serial: number, lane: number): number {
    return mix32(mix32(this.seed ^ 0x5bd1e995) ^ mix32(serial * 8 + lane));
  }

  private uuid(): string {
    const s = this.serial++;
    const hex = hex8(this.word(s, 0)) + hex8(this.word(s, 1)) + hex8(this.word(s, 2)) + hex8(this.word(s, 3));
    const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  private slug(): string {
    const s = this.serial++;
    const head = this.word(s, 4).toString(36).padStart(7, '0');
    const tail = (this.word(s, 5) % 36 ** 3).toString(36).padStart(3, '0');
    return head + tail;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation, in the shape of Mayar's validator errors.

function validateFields(body: Json, channels: readonly PaymentChannel[]): ValidatorError[] {
  const errors: ValidatorError[] = [];
  const add = (type: string, field: string, message: string): void => {
    errors.push({ type, field, message });
  };
  const absent = (value: unknown): boolean => value === undefined || value === null;

  const { name, amount } = body;
  if (absent(name)) {
    add('required', 'name', "The 'name' field is required.");
  } else if (typeof name !== 'string') add('string', 'name', "The 'name' field must be a string.");
  else if (name.trim() === '') add('stringEmpty', 'name', "The 'name' field must not be empty.");

  if (absent(amount)) {
    add('required', 'amount', "The 'amount' field is required.");
  } else if (typeof amount !== 'number' || !Number.isFinite(amount)) add('number', 'amount', "The 'amount' field must be a number.");
  else if (!Number.isInteger(amount)) add('numberInteger', 'amount', "The 'amount' field must be an integer.");
  else if (amount < MIN_AMOUNT) add('numberMin', 'amount', `The 'amount' field must be greater than or equal to ${MIN_AMOUNT}.`);

  // Optional fields: only `undefined` counts as absent; null or "" are checked like any value.
  const { email, mobile, expiredAt, paymentMethod } = body;
  if (email !== undefined) {
    if (typeof email !== 'string') add('string', 'email', "The 'email' field must be a string.");
    else if (!EMAIL_RE.test(email)) add('email', 'email', "The 'email' field must be a valid e-mail.");
  }
  if (mobile !== undefined) {
    if (typeof mobile !== 'string') add('string', 'mobile', "The 'mobile' field must be a string.");
    // NOT DOCUMENTED: Mayar states no format for mobile (its examples are 08xxxxxxxxxx). Kept as
    // the stricter guess, so a number the add-on sends with + or spaces shows up in tests.
    else if (!/^\d+$/.test(mobile)) add('stringNumeric', 'mobile', "The 'mobile' field must be a numeric string.");
  }
  if (expiredAt !== undefined) {
    if (typeof expiredAt !== 'string') add('string', 'expiredAt', "The 'expiredAt' field must be a string.");
    else if (!ISO_DATE_TIME_RE.test(expiredAt) || Number.isNaN(Date.parse(expiredAt))) {
      add('date', 'expiredAt', "The 'expiredAt' field must be a valid ISO 8601 date-time.");
    }
  }
  for (const field of ['description', 'notes', 'cashtag', 'redirectUrl'] as const) {
    const value = body[field];
    if (value !== undefined && typeof value !== 'string') add('string', field, `The '${field}' field must be a string.`);
  }
  if (paymentMethod !== undefined) {
    if (typeof paymentMethod !== 'string') add('string', 'paymentMethod', "The 'paymentMethod' field must be a string.");
    // Mayar's own guide: a channel that is not active fails at create time. That the code must
    // match exactly (upper-case, as listed) is NOT DOCUMENTED: the stricter guess.
    else if (!channels.some((c) => c.status === 'enabled' && c.code === paymentMethod)) {
      const allowed = channels.flatMap((c) => (c.status === 'enabled' && c.code ? [c.code] : [])).join(', ');
      add('enumValue', 'paymentMethod', `The 'paymentMethod' field value '${allowed}' does not match any of the allowed values.`);
    }
  }
  return errors;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}

function urlHookProblem(value: unknown): 'missing' | 'invalid' | null {
  if (value === undefined || value === null || value === '') return 'missing';
  if (typeof value !== 'string') return 'invalid';
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'invalid';
  } catch {
    return 'invalid';
  }
}

function ok(fields: Json): Route {
  return { status: 200, body: { statusCode: 200, messages: 'success', ...fields } };
}

function notFound(): Route {
  return { status: 404, body: { statusCode: 404, messages: 'Not Found' } };
}

function paymentNotFound(): Route {
  return { status: 404, body: { statusCode: 404, messages: 'Product not found' } };
}

function unauthorized(): Route {
  return { status: 401, body: { statusCode: 401, messages: 'Unauthorized' } };
}

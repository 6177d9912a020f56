/**
 * Mayar's invoices (bills with line items), as Mayar's API reference documents them
 * (docs.mayar.id → Invoice: create, detail, list):
 *  - POST /hl/v2/invoices/create: name, email, mobile (all three required), items
 *    [{ quantity, rate, description }] (at least one), optional description, expiredAt (ISO
 *    8601), tax, paymentMethod, cashtag, extraData (string values). Reply data:
 *    { id, transactionId, link (…/invoices/<slug>), expiredAt (ms), extraData }.
 *  - GET /hl/v2/invoices/{id}: { id, amount, status (paid|unpaid|closed), userId, link (slug),
 *    expiredAt (ms), transactions[{ id, extraData }], customerId, customer{ id, email, mobile,
 *    name }, transactionId, paymentUrl, paymentLinkId }; 404 "Not Found".
 *  - GET /hl/v2/invoices?limit=&startingAfter=&status=&search=: newest first, `limit` ≤ 50,
 *    millisecond cursor `nextStartingAfter` with `hasMore`; items { id, amount, category,
 *    createdAt, description, link, type: "invoice", status (active|paid|closed), name,
 *    redirectUrl, customerId, transactions[{ id, status, extraData }], customer }.
 * Where the notes are silent (an invoice past its expiry, the total's minimum) the stricter
 * reading is taken: an expired invoice stays unpaid/active, its transaction says expired.
 */
import { pageFields } from './cursor-lists';

export type InvoiceStatus = 'unpaid' | 'paid' | 'closed';
type Env = 'sandbox' | 'production';
type Json = Record<string, unknown>;

export interface SimInvoiceItem {
  description: string;
  quantity: number;
  rate: number;
}

export interface SimInvoice {
  id: string;
  environment: Env;
  slug: string;
  /** Full URL to share, as the create call returns it. */
  link: string;
  name: string;
  email: string;
  mobile: string;
  items: SimInvoiceItem[];
  amount: number;
  description: string;
  status: InvoiceStatus;
  expiredAt: number;
  createdAt: number;
  updatedAt: number;
  extraData: Record<string, string>;
  customerId: string;
  transactionId: string;
  paymentLinkId: string;
}

/** What the invoice book borrows from the simulator: ids, the clock, the account. */
export interface InvoiceDeps {
  uuid(): string;
  slug(): string;
  userId(env: Env): string;
  linkBase(env: Env): string;
  validationFailure(errors: { type: string; message: string; field: string }[]): InvoiceRoute;
  /** Records a payment.received delivery when the account has a webhook URL. */
  deliver(env: Env, paymentLinkId: string, payload: string, at: number): void;
}

export interface InvoiceRoute {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

const DUPLICATE_WINDOW_MS = 60_000;
const DEFAULT_EXPIRY_MS = 60 * 60_000;
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function ok(fields: Json): InvoiceRoute {
  return { status: 200, body: { statusCode: 200, messages: 'success', ...fields } };
}

function notFound(): InvoiceRoute {
  return { status: 404, body: { statusCode: 404, messages: 'Not Found' } };
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function same(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export class InvoiceBook {
  private readonly byId = new Map<string, SimInvoice>();
  private readonly order: string[] = [];
  private lastCreatedAt = 0;
  duplicateRejections = 0;

  constructor(
    private readonly now: () => number,
    private readonly deps: InvoiceDeps,
  ) {}

  /** Routes /hl/v2/invoices…; `rest` is the path after "invoices". Null when no route matches. */
  route(method: string, rest: readonly string[], params: URLSearchParams, env: Env, body: Json | null): InvoiceRoute | null {
    if (rest.length === 1 && rest[0] === 'create' && method === 'POST') return this.create(body ?? {}, env);
    if (rest.length === 0 && method === 'GET') return this.list(params, env);
    if (rest.length === 1 && rest[0] !== undefined && method === 'GET') return this.detail(rest[0], env);
    return null;
  }

  // ---- For tests ----------------------------------------------------------------------------

  invoices(): SimInvoice[] {
    return this.order.map((id) => structuredClone(this.must(id)));
  }

  invoice(id: string): SimInvoice | undefined {
    const found = this.byId.get(id);
    return found ? structuredClone(found) : undefined;
  }

  /** The customer pays the invoice now; with a webhook URL, Mayar records payment.received. */
  pay(id: string, method = 'qris'): void {
    const inv = this.must(id);
    const at = this.now();
    inv.status = 'paid';
    inv.updatedAt = at;
    this.deps.deliver(inv.environment, inv.paymentLinkId, this.webhookBody(inv, method), at);
  }

  /** Closed from the dashboard. */
  close(id: string): void {
    const inv = this.must(id);
    inv.status = 'closed';
    inv.updatedAt = this.now();
  }

  // ---- Endpoints ----------------------------------------------------------------------------

  private create(body: Json, env: Env): InvoiceRoute {
    const errors = validate(body);
    if (errors.length) return this.deps.validationFailure(errors);
    const extraData = body.extraData;
    if (extraData !== undefined && !(isRecord(extraData) && Object.values(extraData).every((v) => typeof v === 'string')))
      return { status: 400, body: { statusCode: 400, messages: 'extraData Validation Error' } };
    const at = this.now();
    const name = body.name as string;
    const email = body.email as string;
    const mobile = body.mobile as string;
    const items = (body.items as Json[]).map((item) => ({
      description: item.description as string,
      quantity: item.quantity as number,
      rate: item.rate as number,
    }));
    const tax = typeof body.tax === 'number' ? body.tax : 0;
    const amount = items.reduce((sum, item) => sum + item.quantity * item.rate, 0) + tax;
    if (this.isDuplicate(env, at, name, email, mobile, amount)) {
      this.duplicateRejections++;
      return { status: 429, body: { statusCode: 429, messages: 'Duplicate request detected. Please wait 1 minute before trying again.' } };
    }
    const createdAt = Math.max(at, this.lastCreatedAt + 1);
    this.lastCreatedAt = createdAt;
    const slug = this.deps.slug();
    const inv: SimInvoice = {
      id: this.deps.uuid(),
      environment: env,
      slug,
      link: `${this.deps.linkBase(env)}/invoices/${slug}`,
      name,
      email,
      mobile,
      items,
      amount,
      description: typeof body.description === 'string' ? body.description : '',
      status: 'unpaid',
      expiredAt: typeof body.expiredAt === 'string' ? Date.parse(body.expiredAt) : at + DEFAULT_EXPIRY_MS,
      createdAt,
      updatedAt: createdAt,
      extraData: isRecord(extraData) ? { ...(extraData as Record<string, string>) } : {},
      customerId: this.deps.uuid(),
      transactionId: this.deps.uuid(),
      paymentLinkId: this.deps.uuid(),
    };
    this.byId.set(inv.id, inv);
    this.order.push(inv.id);
    return ok({ data: { id: inv.id, transactionId: inv.transactionId, link: inv.link, expiredAt: inv.expiredAt, extraData: { ...inv.extraData } } });
  }

  private isDuplicate(env: Env, at: number, name: string, email: string, mobile: string, amount: number): boolean {
    for (let i = this.order.length - 1; i >= 0; i--) {
      const inv = this.byId.get(this.order[i] ?? '');
      if (!inv) continue;
      if (at - inv.createdAt >= DUPLICATE_WINDOW_MS) break;
      if (inv.environment !== env || inv.amount !== amount) continue;
      if (same(inv.name, name) || same(inv.email, email) || inv.mobile === mobile) return true;
    }
    return false;
  }

  private detail(id: string, env: Env): InvoiceRoute {
    const inv = this.byId.get(id);
    if (!inv || inv.environment !== env) return notFound();
    return ok({
      data: {
        id: inv.id,
        amount: inv.amount,
        status: inv.status,
        userId: this.deps.userId(env),
        link: inv.slug,
        expiredAt: inv.expiredAt,
        transactions: [{ id: inv.transactionId, extraData: { ...inv.extraData } }],
        customerId: inv.customerId,
        customer: this.customer(inv),
        transactionId: inv.transactionId,
        paymentUrl: inv.link,
        paymentLinkId: inv.paymentLinkId,
      },
    });
  }

  private list(params: URLSearchParams, env: Env): InvoiceRoute {
    const errors: { type: string; message: string; field: string }[] = [];
    const status = params.get('status') ?? '';
    if (status !== '' && status !== 'active' && status !== 'paid' && status !== 'closed')
      errors.push({ type: 'enumValue', message: "The 'status' field value 'active, paid, closed' does not match any of the allowed values.", field: 'status' });
    const cursorText = params.get('startingAfter') ?? '';
    if (cursorText !== '' && !/^\d+$/.test(cursorText))
      errors.push({ type: 'number', message: "The 'startingAfter' field must be a number.", field: 'startingAfter' });
    if (errors.length) return this.deps.validationFailure(errors);
    const limitText = params.get('limit') ?? '';
    const asked = /^\d+$/.test(limitText) ? Number(limitText) : DEFAULT_LIMIT;
    const limit = Math.min(MAX_LIMIT, asked < 1 ? DEFAULT_LIMIT : asked);
    const cursor = cursorText === '' ? Infinity : Number(cursorText);
    const search = (params.get('search') ?? '').trim().toLowerCase();
    const matching = [...this.order]
      .reverse()
      .map((id) => this.must(id))
      .filter((inv) => inv.environment === env && inv.createdAt < cursor)
      .filter((inv) => status === '' || listStatus(inv) === status)
      .filter((inv) => search === '' || [inv.name, inv.email, inv.mobile, inv.description].some((text) => text.toLowerCase().includes(search)))
      .sort((a, b) => b.createdAt - a.createdAt);
    return ok(
      pageFields(matching, limit, (inv) => ({
        id: inv.id,
        amount: inv.amount,
        category: null,
        createdAt: inv.createdAt,
        description: inv.description,
        link: inv.slug,
        type: 'invoice',
        status: listStatus(inv),
        name: inv.name,
        redirectUrl: null,
        customerId: inv.customerId,
        transactions: [{ id: inv.transactionId, status: this.transactionStatus(inv), extraData: { ...inv.extraData } }],
        customer: this.customer(inv),
      })),
    );
  }

  private customer(inv: SimInvoice): Json {
    return { id: inv.customerId, email: inv.email, mobile: inv.mobile, name: inv.name };
  }

  private transactionStatus(inv: SimInvoice): string {
    if (inv.status === 'paid') return 'paid';
    return this.now() >= inv.expiredAt ? 'expired' : 'unpaid';
  }

  private webhookBody(inv: SimInvoice, method: string): string {
    return JSON.stringify({
      event: 'payment.received',
      data: {
        id: this.deps.uuid(),
        transactionId: inv.transactionId,
        status: 'SUCCESS',
        transactionStatus: 'paid',
        createdAt: new Date(inv.createdAt).toISOString(),
        updatedAt: new Date(inv.updatedAt).toISOString(),
        customerName: inv.name,
        customerEmail: inv.email,
        customerMobile: inv.mobile,
        amount: inv.amount,
        productId: inv.id,
        productName: inv.description !== '' ? inv.description : inv.name,
        productType: 'invoice',
        paymentMethod: method,
      },
    });
  }

  private must(id: string): SimInvoice {
    const inv = this.byId.get(id);
    if (!inv) throw new Error(`MayarSimulator: no invoice ${id}`);
    return inv;
  }
}

/** The list's words: an unpaid invoice is "active". */
function listStatus(inv: SimInvoice): 'active' | 'paid' | 'closed' {
  return inv.status === 'unpaid' ? 'active' : inv.status;
}

function validate(body: Json): { type: string; message: string; field: string }[] {
  const errors: { type: string; message: string; field: string }[] = [];
  const add = (type: string, field: string, message: string) => errors.push({ type, field, message });
  for (const field of ['name', 'email', 'mobile'] as const) {
    const value = body[field];
    if (value === undefined || value === null) add('required', field, `The '${field}' field is required.`);
    else if (typeof value !== 'string') add('string', field, `The '${field}' field must be a string.`);
    else if (value.trim() === '') add('stringEmpty', field, `The '${field}' field must not be empty.`);
  }
  if (typeof body.email === 'string' && body.email !== '' && !EMAIL_RE.test(body.email)) add('email', 'email', "The 'email' field must be a valid e-mail.");
  if (typeof body.mobile === 'string' && body.mobile !== '' && !/^\d+$/.test(body.mobile))
    add('stringNumeric', 'mobile', "The 'mobile' field must be a numeric string.");
  const items = body.items;
  if (items === undefined || items === null) add('required', 'items', "The 'items' field is required.");
  else if (!Array.isArray(items)) add('array', 'items', "The 'items' field must be an array.");
  else if (items.length === 0) add('arrayMin', 'items', "The 'items' field must contain at least 1 items.");
  else
    items.forEach((item: unknown, i) => {
      const it = isRecord(item) ? item : {};
      if (typeof it.description !== 'string' || it.description.trim() === '')
        add('required', `items[${i}].description`, `The 'items[${i}].description' field is required.`);
      for (const field of ['quantity', 'rate'] as const) {
        const value = it[field];
        if (typeof value !== 'number' || !Number.isInteger(value) || value < (field === 'quantity' ? 1 : 0))
          add('number', `items[${i}].${field}`, `The 'items[${i}].${field}' field must be a positive integer.`);
      }
    });
  const { expiredAt, tax } = body;
  if (expiredAt !== undefined && (typeof expiredAt !== 'string' || !ISO_DATE_TIME_RE.test(expiredAt) || Number.isNaN(Date.parse(expiredAt))))
    add('date', 'expiredAt', "The 'expiredAt' field must be a valid ISO 8601 date-time.");
  if (tax !== undefined && (typeof tax !== 'number' || !Number.isInteger(tax))) add('number', 'tax', "The 'tax' field must be an integer.");
  for (const field of ['description', 'paymentMethod', 'cashtag'] as const) {
    const value = body[field];
    if (value !== undefined && typeof value !== 'string') add('string', field, `The '${field}' field must be a string.`);
  }
  return errors;
}

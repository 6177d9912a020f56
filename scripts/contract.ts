/**
 * Checks Mayar's sandbox against the contract fixtures (test/contract/fixtures): create →
 * detail → list → transaction → close, then an invoice's create → detail → list, with the
 * add-on's own request builders, and reports any
 * documented key a reply lacks (a failure) and any key the documentation doesn't list (a note).
 * Mayar's docs name two sandbox hosts (api.mayar.club and api.mayar.io): the check tries both
 * with one authenticated read (the channel list) and uses the one that accepts the key.
 * Needs MAYAR_SANDBOX_KEY (a key from web.mayar.club or web.mayar.io → API keys) and network access; without
 * the key it says so and exits 0. Not part of `npm test`: it makes a real payment request,
 * which it closes at the end.
 */
import type { HttpReply, HttpRequestSpec } from '../src/app/ports';
import { onSandboxHost, SANDBOX_HOSTS, type SandboxHost } from '../src/core/account';
import { type Classified, classifyChannels, classifyClose, classifyCreate, classifyList, classifyPayment, classifyTransaction } from '../src/core/mayar';
import {
  classifyInvoiceCreate,
  classifyInvoiceDetail,
  classifyInvoiceList,
  invoiceCreateRequest,
  invoiceDetailRequest,
  invoiceListRequest,
} from '../src/core/mayar-invoices';
import { channelsRequest, closeRequest, createRequest, listRequest, paymentRequest, transactionRequest } from '../src/core/mayar-requests';
import { extraKeys, fixture, type FixtureName, missingKeys } from '../test/contract/keys';

const rawKey = process.env.MAYAR_SANDBOX_KEY?.trim() ?? '';
if (rawKey === '') {
  console.log(
    'Contract check skipped: MAYAR_SANDBOX_KEY is not set. Make a sandbox key at web.mayar.club or web.mayar.io → API keys and run it again with the key in MAYAR_SANDBOX_KEY.',
  );
  process.exit(0);
}
const apiKey = rawKey.replace(/^Bearer\s+/i, '');

/** The sandbox host that accepts the key, set once found. */
let host: SandboxHost = SANDBOX_HOSTS[0];

async function send(spec: HttpRequestSpec): Promise<HttpReply> {
  const routed = onSandboxHost(spec, host);
  const response = await fetch(routed.url, { method: routed.method.toUpperCase(), headers: routed.headers, body: routed.payload });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, headers, body: await response.text() };
}

let failures = 0;

/** Sends one call, checks it against its fixture and returns what the classifier read. */
async function step<T>(label: string, spec: HttpRequestSpec, name: FixtureName, read: (reply: HttpReply) => Classified<T>): Promise<T | null> {
  const reply = await send(spec);
  const outcome = read(reply);
  let body: unknown;
  try {
    body = JSON.parse(reply.body);
  } catch {
    body = undefined;
  }
  const missing = missingKeys(body, fixture(name).body);
  const extra = extraKeys(body, fixture(name).body);
  const ok = outcome.ok && missing.length === 0;
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}: HTTP ${reply.status}`);
  if (!outcome.ok) console.log(`     not read as a success: ${JSON.stringify(outcome.failure)}\n     body: ${reply.body.slice(0, 300)}`);
  if (missing.length) console.log(`     documented but missing: ${missing.join(', ')}`);
  if (extra.length) console.log(`     not in the documentation (ignored by the add-on): ${extra.join(', ')}`);
  return outcome.ok ? outcome.data : null;
}

async function main(): Promise<void> {
  const stamp = new Date().toISOString();
  let found = false;
  for (const candidate of SANDBOX_HOSTS) {
    host = candidate;
    const reply = await send(channelsRequest('sandbox', apiKey));
    console.log(`${candidate}: HTTP ${reply.status}`);
    if (reply.status === 401) continue;
    found = true;
    break;
  }
  if (!found) {
    failures++;
    console.log(`FAIL neither sandbox host (${SANDBOX_HOSTS.join(', ')}) accepts the key`);
    return;
  }
  console.log(`Contract check against https://${host}/hl/v2`);
  await step('payment channels', channelsRequest('sandbox', apiKey), 'payment-channels', classifyChannels);
  const created = await step(
    'create',
    createRequest('sandbox', apiKey, {
      name: 'Contract check',
      amount: 10_000 + Math.floor(Math.random() * 1_000),
      email: process.env.MAYAR_CONTRACT_EMAIL ?? 'contract-check@example.com',
      description: `Contract check ${stamp}`,
      expiredAt: new Date(Date.now() + 60 * 60_000).toISOString(),
      extraData: { contractCheck: stamp },
    }),
    'create-success',
    classifyCreate,
  );
  if (!created) return;
  await step('detail', paymentRequest('sandbox', apiKey, created.id), 'payment-detail', classifyPayment);
  await step('list', listRequest('sandbox', apiKey, { status: 'unpaid', limit: 1 }), 'payment-list', classifyList);
  if (created.transactionId) {
    await step('transaction', transactionRequest('sandbox', apiKey, created.transactionId), 'transaction', classifyTransaction);
  } else {
    failures++;
    console.log('FAIL transaction: the create reply had no transactionId although an email was sent');
  }
  await step('close', closeRequest('sandbox', apiKey, created.id), 'close-success', classifyClose);
  // invoices: one of about Rp 10,000 in two items, read back by its detail and the list
  const invoice = await step(
    'invoice create',
    invoiceCreateRequest('sandbox', apiKey, {
      name: 'Contract check',
      email: process.env.MAYAR_CONTRACT_EMAIL ?? 'contract-check@example.com',
      mobile: process.env.MAYAR_CONTRACT_MOBILE ?? '081234567890',
      items: [
        { description: 'SPP', quantity: 1, rate: 7_000 + Math.floor(Math.random() * 1_000) },
        { description: 'Buku', quantity: 1, rate: 3_000 },
      ],
      description: `Contract check ${stamp}`,
      expiredAt: new Date(Date.now() + 60 * 60_000).toISOString(),
      extraData: { contractCheck: stamp },
    }),
    'invoice-create',
    classifyInvoiceCreate,
  );
  if (!invoice) return;
  await step('invoice detail', invoiceDetailRequest('sandbox', apiKey, invoice.id), 'invoice-detail', classifyInvoiceDetail);
  await step('invoice list', invoiceListRequest('sandbox', apiKey), 'invoice-list', classifyInvoiceList);
}

main()
  .catch((error: unknown) => {
    failures++;
    console.log(`FAIL could not reach Mayar: ${error instanceof Error ? error.message : String(error)}`);
  })
  .finally(() => {
    console.log(failures === 0 ? 'Contract check passed.' : `Contract check failed: ${failures} problem(s).`);
    process.exitCode = failures === 0 ? 0 : 1;
  });

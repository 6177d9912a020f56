/** Views the stubbed server returns to the sidebars, and a tiny simulated run. */
import type { DeliveryView } from '../../src/app/delivery/templates-app';
import type { WhatsAppItem } from '../../src/app/delivery/whatsapp';
import type { ProgressView } from '../../src/core/progress';
import type { SettingsView } from '../../src/core/settings';

/** A key the zod schema accepts (three base64url parts) ending in "9f2c", as in the issue. */
export const VALID_KEY = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0b2tvLW1hanUifQ.c2lnbmF0dXJlLW9mLTlmMmMtxx9f2c';

export const XSS = '<img src=x onerror="window.__xss=1;alert(1)">';

export function settingsView(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    environment: 'sandbox',
    keyScope: 'user',
    defaultExpiryDays: 7,
    requestsPerMinute: 20,
    language: 'auto',
    autoRefresh: false,
    confirmInSandbox: true,
    titleTemplate: '{name}',
    billFormResponses: false,
    emailFormResponses: false,
    formAmount: 0,
    hasApiKey: false,
    apiKeyHint: null,
    webhookUrl: 'https://script.google.com/macros/s/AKfycbx-example/exec?secret=7f3a9c01d2',
    locale: 'en',
    ...overrides,
  };
}

/** The Messages section's saved state, as getDeliverySettings returns it. */
export function deliveryView(overrides: Partial<DeliveryView> = {}): DeliveryView {
  const defaults = { subject: 'Your bill of {amount}', body: 'Hi {name}, {amount} due {due}: {link}' };
  return {
    senderName: 'Toko Maju',
    templates: {},
    subjects: {},
    reminders: false,
    reminderDays: [-3, -1, 0],
    thankYou: false,
    register: 'kak',
    defaults: { bill: defaults, reminderBefore: defaults, reminderDue: defaults, thanks: defaults },
    mayarNote: 'Mayar itself may also email payment reminders.',
    ...overrides,
  };
}

/** One customer waiting in the Send by WhatsApp queue. */
export function whatsAppItem(id: string, name: string, overrides: Partial<WhatsAppItem> = {}): WhatsAppItem {
  return {
    sheetRow: 2,
    paymentId: id,
    name,
    amount: 'Rp1.500.000',
    mobile: '0812-3456-7890',
    kind: 'bill',
    label: 'Bill',
    text: `Hi ${name},\nyour bill of Rp1.500.000: https://pay.example/${id}`,
    url: `https://wa.me/6281234567890?text=${encodeURIComponent(`Hi ${name}`)}`,
    ...overrides,
  };
}

export function progressView(overrides: Partial<ProgressView> = {}): ProgressView {
  return {
    done: false,
    waitMs: 1000,
    created: 0,
    failed: 0,
    pending: 5,
    state: 'running',
    kind: 'create',
    total: 5,
    needsReview: 0,
    paid: 0,
    unpaid: 0,
    expired: 0,
    closed: 0,
    collected: 0,
    sheetName: 'Customers',
    startedBy: 'ani@tokomaju.id',
    etaMs: 5 * 3000,
    message: '',
    firstErrorRow: null,
    locale: 'en',
    ...overrides,
  };
}

/**
 * A create run over `total` rows, one row per processNextBatch(). Rows listed in `failing`
 * (0-based) fail; the sheet has one header row, so row i is sheet row i + 2.
 */
export class SimulatedRun {
  view: ProgressView;

  constructor(
    total: number,
    private readonly failing: number[] = [],
    overrides: Partial<ProgressView> = {},
  ) {
    this.view = progressView({ total, pending: total, etaMs: total * 3000, ...overrides });
  }

  batch(): ProgressView {
    const v = this.view;
    if (v.done || v.state === 'paused') return { ...v };
    const index = v.total - v.pending;
    const fails = this.failing.includes(index);
    const pending = v.pending - 1;
    const done = pending === 0;
    this.view = {
      ...v,
      created: v.created + (fails ? 0 : 1),
      failed: v.failed + (fails ? 1 : 0),
      pending,
      etaMs: pending * 3000,
      firstErrorRow: v.firstErrorRow ?? (fails ? index + 2 : null),
      done,
      state: done ? 'done' : 'running',
      message: done ? `Finished ${v.sheetName}.` : '',
    };
    return { ...this.view };
  }

  pause(): ProgressView {
    this.view = { ...this.view, state: 'paused' };
    return { ...this.view };
  }

  resume(): ProgressView {
    this.view = { ...this.view, state: 'running' };
    return { ...this.view };
  }

  cancel(): ProgressView {
    this.view = { ...this.view, state: 'cancelled', done: true, message: 'Cancelled by ani@tokomaju.id.' };
    return { ...this.view };
  }
}

/**
 * Every job kind the engine runs, one module each. Adding a kind: add its name to JOB_KINDS
 * (src/core/job.ts), write its module (advance, locate, toast, summary), and register it here;
 * the compiler refuses a registry that misses one.
 */
import type { KindRegistry } from './engine/kind';
import { createKind } from './kinds/create/advance';
import { emailKind } from './kinds/email/advance';
import { formKind } from './kinds/form';
import { invoiceKind } from './kinds/invoice/advance';
import { refreshKind } from './kinds/refresh/advance';

export const KINDS: KindRegistry = {
  create: createKind,
  refresh: refreshKind,
  email: emailKind,
  invoice: invoiceKind,
  form: formKind,
};

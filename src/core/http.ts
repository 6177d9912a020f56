/** HTTP as the core sees it: plain request and reply records, no Apps Script types. */

export interface HttpRequestSpec {
  url: string;
  method: 'get' | 'post';
  headers: Record<string, string>;
  /** JSON text for POST requests. */
  payload?: string;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * fetchAll is all-or-nothing: one network failure throws for the whole batch after the other
 * requests may already have reached the server. The port says so instead of throwing.
 * `notSent` marks an error raised before any request left Apps Script (daily quota, a host
 * outside the whitelist, a missing permission): nothing reached Mayar.
 */
export type BatchReply = { ok: true; replies: HttpReply[] } | { ok: false; error: string; notSent?: boolean };

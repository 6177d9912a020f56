/**
 * Which Mayar account links go to: the key (by its last four characters), who saved it and
 * when, the environment and, in sandbox, which of the two documented hosts accepts the key.
 * Pure: the app layer stores these records and sends the requests.
 */
import type { HttpRequestSpec } from './http';
import { API_BASE, type KeyScope } from './settings';

/**
 * The sandbox hosts Mayar's docs name, in the order they are tried: the create page, the v1
 * docs and the Postman collection say api.mayar.club; the v2 introduction says api.mayar.io.
 */
export const SANDBOX_HOSTS = ['api.mayar.club', 'api.mayar.io'] as const;
export type SandboxHost = (typeof SANDBOX_HOSTS)[number];

/** A short tag that tells keys apart without storing the key again (FNV-1a, not a secret). */
export function keyTag(apiKey: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < apiKey.length; i++) {
    h ^= apiKey.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The request sent to another sandbox host: API_BASE's sandbox address is the first of SANDBOX_HOSTS. */
export function onSandboxHost(spec: HttpRequestSpec, host: SandboxHost): HttpRequestSpec {
  const base = API_BASE.sandbox;
  if (!spec.url.startsWith(base)) return spec;
  return { ...spec, url: `https://${host}/hl/v2${spec.url.slice(base.length)}` };
}

export function isSandboxRequest(spec: HttpRequestSpec): boolean {
  return spec.url.startsWith(API_BASE.sandbox);
}

/** The key a request carries (its Authorization header), or "". */
export function requestKey(spec: HttpRequestSpec): string {
  const header = Object.entries(spec.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? '';
  return header.replace(/^Bearer\s+/i, '');
}

/** "tokobudi.myr.lat" from "https://tokobudi.myr.lat/pl/abc"; null for anything else. */
export function linkDomain(link: string): string | null {
  const match = /^https?:\/\/([^/?#\s]+)/i.exec(link.trim());
  return match?.[1]?.toLowerCase() ?? null;
}

/** Stored with the key, in the same place (user or document properties): never the key itself. */
export interface KeyRecord {
  tag: string;
  hint: string;
  scope: KeyScope;
  /** The email of whoever saved it ("" when Google hides it), and their user key. */
  by: string;
  byKey: string;
  at: number;
  /** The domain of the last link made with this key. */
  linkDomain?: string;
  /** The sandbox host that accepted this key, and when that was found. */
  sandboxHost?: SandboxHost;
  hostAt?: number;
}

/** The last change to the key, its scope or the environment, kept with the document's settings. */
export interface AccountChange {
  by: string;
  byKey: string;
  at: number;
  /** What changed: 'key', 'keyScope', 'environment'. */
  what: string[];
  /** The key's hint after the change, when there is one. */
  hint?: string;
}

function record(raw: string | null): Record<string, unknown> | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

export function parseKeyRecord(raw: string | null): KeyRecord | null {
  const r = record(raw);
  if (!r || !str(r.tag)) return null;
  const host = SANDBOX_HOSTS.find((h) => h === r.sandboxHost);
  return {
    tag: str(r.tag),
    hint: str(r.hint),
    scope: r.scope === 'document' ? 'document' : 'user',
    by: str(r.by),
    byKey: str(r.byKey),
    at: num(r.at),
    ...(str(r.linkDomain) ? { linkDomain: str(r.linkDomain) } : {}),
    ...(host ? { sandboxHost: host, hostAt: num(r.hostAt) } : {}),
  };
}

export function parseAccountChange(raw: string | null): AccountChange | null {
  const r = record(raw);
  if (!r || !Array.isArray(r.what)) return null;
  return {
    by: str(r.by),
    byKey: str(r.byKey),
    at: num(r.at),
    what: r.what.filter((w): w is string => typeof w === 'string'),
    ...(str(r.hint) ? { hint: str(r.hint) } : {}),
  };
}

/** Whole days between two instants as a person counts them ("today", "yesterday"), in UTC offset `offsetMs`. */
export function daysAgo(then: number, now: number, offsetMs: number): number {
  const day = (ms: number): number => Math.floor((ms + offsetMs) / 86_400_000);
  return Math.max(0, day(now) - day(then));
}

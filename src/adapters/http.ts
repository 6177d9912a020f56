/** Requests to Mayar over UrlFetchApp, only to the manifest's allowed hosts. */
import type { BatchReply, HttpPort, HttpRequestSpec } from '../app/ports';

/** The manifest's urlFetchWhitelist. */
const ALLOWED_HOSTS = ['https://api.mayar.id/', 'https://api.mayar.club/', 'https://api.mayar.io/'];

/**
 * Errors Apps Script raises before any request leaves: the daily UrlFetch quota, an address
 * outside the manifest's whitelist, a missing permission. Nothing reached Mayar.
 */
function raisedBeforeSending(message: string): boolean {
  return /Service invoked too many times|too many times for one day|whitelist|allowlist|You do not have permission|Required permissions/i.test(message);
}

export function httpPort(): HttpPort {
  return {
    fetchAll(requests: HttpRequestSpec[]): BatchReply {
      const params = requests.map((r) => ({
        url: r.url,
        method: r.method,
        headers: r.headers,
        muteHttpExceptions: true,
        followRedirects: true,
        ...(r.payload !== undefined ? { payload: r.payload, contentType: 'application/json' } : {}),
      }));
      try {
        if (params.some((p) => !ALLOWED_HOSTS.some((prefix) => p.url.startsWith(prefix)))) {
          return { ok: false, notSent: true, error: `not an allowed Mayar address (${ALLOWED_HOSTS.join(', ')})` };
        }
        const responses = UrlFetchApp.fetchAll(params);
        return {
          ok: true,
          replies: responses.map((response) => ({
            status: response.getResponseCode(),
            headers: response.getHeaders() as Record<string, string>,
            body: response.getContentText(),
          })),
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: message, notSent: raisedBeforeSending(message) };
      }
    },
  };
}

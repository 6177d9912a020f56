/** How a failed Mayar reply reads in a row's Error cell and in the log. */
import type { Failure } from './mayar';

export function describeFailure(failure: Failure): string {
  switch (failure.kind) {
    case 'unauthorized':
      return 'HTTP 401 Unauthorized';
    case 'rate-limited':
      return 'HTTP 429 Too Many Requests';
    case 'duplicate':
      return 'HTTP 429 Duplicate request';
    case 'not-found':
      return 'HTTP 404';
    case 'conflict':
      return ['HTTP 409', ...failure.details].join(': ');
    case 'rejected':
      return failure.details.join('; ') || `HTTP ${failure.status}`;
    case 'unavailable': {
      // Always with the HTTP status: a 500's body may only say "Error".
      const status = `HTTP ${failure.status}`;
      return [status, ...failure.details.filter((d) => d !== status)].join('; ');
    }
  }
}

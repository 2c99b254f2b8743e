/** Building blocks of route schemas: the documented error replies and JSON reply bodies. */
import { schemaRef } from '../plugins/validation.js';

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request: the `info` names the field and the fix (also a missing or malformed Authorization header).',
  401: 'The API key (or admin token) is not valid.',
  404: 'No such resource (or the room has expired).',
  429: 'Rate limited; retry after the Retry-After seconds.',
  503: 'The store is unavailable or the service is shutting down; retry shortly.',
};

/** The `{error, info}` replies a route can give, by status. */
export function errorReplies(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: ERROR_TEXT[s] ?? 'Error', ...schemaRef('DailyError') }]),
  );
}

/** The errors every authenticated /v1 call can answer with. */
export const V1_ERRORS = [400, 401, 429, 503];

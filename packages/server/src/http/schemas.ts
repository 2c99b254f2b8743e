/**
 * Building blocks of route schemas, which document the API (/openapi.json is generated from them): the shared
 * schemas (components), the documented error replies, and bodies the service reads itself.
 */
import { PROPERTY_NAMES, REST_PROPERTY_NAMES } from 'daily-tokens';
import { DAILY_ERROR_TYPES } from 'daily-tokens/rest';
import { roomPropertiesSchema, roomSchema } from 'daily-tokens/rooms';
import { meetingTokenPropertiesSchema, propertySchema } from 'daily-tokens/schema';

/**
 * What validating a token answers: the POST properties plus the claims a signer adds (`domain_id`,
 * `iat`) and the self-signing-only ones, all by full name.
 */
function validatedTokenSchema() {
  const base = meetingTokenPropertiesSchema() as { properties: Record<string, unknown> };
  const extra = PROPERTY_NAMES.filter((n) => !(REST_PROPERTY_NAMES as readonly string[]).includes(n)).map(
    (n) => [n, propertySchema(n)] as const,
  );
  return {
    type: 'object',
    additionalProperties: false,
    properties: { ...base.properties, ...Object.fromEntries(extra) },
  };
}

/** Schemas shared by several routes: registered once, named by `$id`, components in the OpenAPI document. */
export const SHARED_SCHEMAS = [
  {
    $id: 'DailyError',
    type: 'object',
    description: 'Every failure, as Daily sends it: a stable error type and a human explanation.',
    required: ['error', 'info'],
    properties: {
      error: {
        type: 'string',
        description: `Stable type: ${DAILY_ERROR_TYPES.join(', ')} …`,
      },
      info: { type: 'string', description: 'What is wrong and how to fix it; the wording may change.' },
    },
  },
  { $id: 'MeetingTokenProperties', ...meetingTokenPropertiesSchema() },
  { $id: 'ValidatedMeetingToken', ...validatedTokenSchema() },
  { $id: 'RoomProperties', ...roomPropertiesSchema() },
  { $id: 'Room', ...roomSchema({ $ref: 'RoomProperties#' }) },
];

/** A reference to a shared schema by its `$id`. */
export const schemaRef = (id: string) => ({ $ref: `${id}#` });

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

/**
 * A request body a service operation reads itself, with messages worded from the registry (the token request,
 * room and domain bodies): published in /openapi.json as the route's request body (plugins/openapi.ts puts it
 * there), but not given to Fastify as `schema.body`, so no validator is compiled for it and the body is
 * checked once. Pass it as the route's `config`.
 */
export function documentedBody(schema: Record<string, unknown>): { openapiBody: Record<string, unknown> } {
  return { openapiBody: schema };
}

/** The schema of an object reply (admin and emulator controls): documented, open to fields added later. */
export function replyObject(description: string, properties: Record<string, unknown> = {}) {
  return { description, type: 'object', properties, additionalProperties: true };
}

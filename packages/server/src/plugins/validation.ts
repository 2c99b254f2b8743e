/**
 * Route schemas are the validators (so /openapi.json, generated from them, cannot drift from what is
 * enforced): bodies strictly (no type coercion, no defaults filled in, nothing silently removed),
 * query and path parameters with string-to-number coercion as HTTP requires. Failures become Daily's
 * 400 `invalid-request-error` naming the field. Friendlier, registry-driven checks run first in the
 * routes' `preValidation`; these schemas are the backstop and the documentation.
 */
import { PROPERTY_NAMES, REST_PROPERTY_NAMES } from 'daily-tokens';
import { DAILY_ERROR_TYPES } from 'daily-tokens/rest';
import { meetingTokenPropertiesSchema, propertySchema } from 'daily-tokens/schema';
import { roomPropertiesSchema, roomSchema } from 'daily-tokens/rooms';
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import { ApiError } from '../errors.js';

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

const ref = (id: string) => ({ $ref: `${id}#` });
export const schemaRef = ref;

const common: Options = { strict: false, allowUnionTypes: true, allErrors: false, removeAdditional: false };

function ajvWith(options: Options): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  for (const s of SHARED_SCHEMAS) ajv.addSchema(s);
  return ajv;
}

function describe(errors: FastifySchemaValidationError[], dataVar: string): string {
  const e = errors[0];
  if (!e) return `invalid ${dataVar}`;
  const where = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const extra = (e.params as { additionalProperty?: string }).additionalProperty;
  const field = [where, extra].filter(Boolean).join('.');
  const what = dataVar === 'querystring' ? 'query parameter' : dataVar === 'params' ? 'path parameter' : 'body field';
  const message = extra ? 'is not a known field' : (e.message ?? 'is invalid');
  return field ? `${what} ${field} ${message}` : `the ${dataVar === 'body' ? 'body' : dataVar} ${message}`;
}

/** The body validator the routes use (no coercion, no defaults), for tests that compare it with the registry. */
export const bodyAjv = () => ajvWith({ coerceTypes: false, useDefaults: false });

/** Installs the validators and the error formatting on `app` (before routes are added). */
export function validationPlugin(app: FastifyInstance): void {
  const bodies = bodyAjv();
  const parameters = ajvWith({ coerceTypes: true, useDefaults: true });
  for (const s of SHARED_SCHEMAS) app.addSchema(s);
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart === 'body') {
      const validate = bodies.compile(schema);
      // an empty body is an empty object: clients send Content-Type: application/json with no body
      const check = Object.assign(
        (data: unknown) => {
          const ok = validate(data ?? {});
          check.errors = validate.errors;
          return ok;
        },
        { errors: null as typeof validate.errors },
      );
      return check;
    }
    return parameters.compile(schema);
  });
  app.setSchemaErrorFormatter(
    (errors, dataVar) => new ApiError(400, 'invalid-request-error', describe(errors, dataVar)),
  );
  // response schemas document replies; the handlers' objects are sent as they are
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

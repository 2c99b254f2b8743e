/**
 * Route schemas validate what no service operation reads itself (so /openapi.json, generated from them, cannot
 * drift from what is enforced): path and query parameters, with string-to-number coercion as HTTP requires,
 * and the bodies of the routes whose schema is their one check (doctor, admin), strictly (no type coercion,
 * no defaults filled in, nothing silently removed). Failures become Daily's 400 `invalid-request-error` naming
 * the field. A body a service operation reads (token request, room, domain) is documented, not given to
 * Fastify (`documentedBody` in ../schemas.ts): it is checked once, by the operation.
 */
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../../errors.js';
import { SHARED_SCHEMAS } from '../schemas.js';

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

/**
 * The body validator (no coercion, no defaults), with the shared schemas: test/room-schema-parity.test.ts
 * holds the published room schema against the registry's validator with it.
 */
export const bodyAjv = () => ajvWith({ coerceTypes: false, useDefaults: false });

/** The validators, the shared schemas and the error formatting, for every route added after it. */
export const validationPlugin = fp(
  async (app: FastifyInstance): Promise<void> => {
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
  },
  { name: 'validation' },
);

/**
 * The OpenAPI 3.1 generator (@fastify/swagger) over the routes' schemas, so the document and the service cannot
 * drift. `servers` is `/` in the served document (routes/openapi.ts), which OpenAPI resolves against the address
 * the document was fetched from.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SERVER_VERSION } from '../../version.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The request body of a route whose body a service operation reads itself (`documentedBody`). */
    openapiBody?: Record<string, unknown>;
  }
}

const DESCRIPTION = [
  'A Daily-compatible meeting-token service and REST emulator (daily-tokens).',
  'The /v1 endpoints answer as api.daily.co/v1 does, with the same operationIds, so a client generated from',
  "Daily's OpenAPI or from this document works against both. Errors are Daily's {error, info} bodies.",
].join(' ');

/** The generator; register it before the routes. */
export const openApiPlugin = fp(
  async (app: FastifyInstance): Promise<void> => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'daily-tokens service (Daily-compatible REST)',
          version: SERVER_VERSION,
          description: DESCRIPTION,
          license: { name: 'MIT', identifier: 'MIT' },
        },
        servers: [{ url: 'http://127.0.0.1:8080', description: 'The default local address' }],
        tags: [
          { name: 'domain', description: "The API key's domain and its configuration." },
          { name: 'meeting-tokens', description: 'Mint and validate meeting tokens.' },
          { name: 'rooms', description: 'Rooms as Daily has them.' },
          { name: 'admin', description: 'Domains, keys and test resets (admin token).' },
          {
            name: 'emulator',
            description:
              'Emulator mode only (serve --emulator): fault rules, the request journal, the virtual clock and snapshots (admin token).',
          },
          { name: 'operations', description: 'Health, readiness and metrics (no authentication).' },
        ],
        components: {
          securitySchemes: {
            DailyApiKey: { type: 'http', scheme: 'bearer', description: "The domain's API key, as for api.daily.co." },
            AdminToken: { type: 'http', scheme: 'bearer', description: 'DAILY_TOKENS_ADMIN_TOKEN.' },
          },
        },
        security: [{ DailyApiKey: [] }],
      },
      // shared schemas become components named by their $id
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
      transform: ({ schema, url, route }) => {
        // a body the service reads itself is documented here, never compiled into a validator (documentedBody)
        const body = route.config?.openapiBody;
        return {
          schema: body ? { ...schema, body } : schema,
          // Fastify serves /v1/rooms and /v1/rooms/ alike; the document names each path once, without the slash
          url: url.length > 1 ? url.replace(/\/$/, '') : url,
        };
      },
    });
  },
  { name: 'openapi' },
);

/** `/openapi.json`: the service's endpoints, with the token properties schema derived from the registry. */
import { readFileSync } from 'node:fs';
import { meetingTokenPropertiesSchema } from 'daily-tokens';
import type { FastifyInstance } from 'fastify';

// The package's own version, so the document never disagrees with what is installed (one version source).
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const error = {
  type: 'object',
  properties: { error: { type: 'string' }, info: { type: 'string' } },
  required: ['error', 'info'],
};
const errors = Object.fromEntries(
  ['400', '401', '404', '429', '503'].map((s) => [
    s,
    { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  ]),
);
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

export function openApiDocument() {
  return {
    openapi: '3.0.3',
    info: { title: 'daily-tokens service (Daily-compatible)', version },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: error, MeetingTokenProperties: meetingTokenPropertiesSchema() },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/': { get: { summary: 'Domain configuration', responses: { 200: json({ type: 'object' }), ...errors } } },
      '/v1/meeting-tokens': {
        post: {
          summary: 'Create a meeting token',
          requestBody: json({
            type: 'object',
            properties: { properties: { $ref: '#/components/schemas/MeetingTokenProperties' } },
            additionalProperties: false,
          }),
          responses: { 200: json({ type: 'object', properties: { token: { type: 'string' } } }), ...errors },
        },
      },
      '/v1/meeting-tokens/{meeting_token}': {
        get: {
          summary: 'Validate a meeting token; returns its properties by full name',
          parameters: [
            { name: 'meeting_token', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'ignoreNbf', in: 'query', schema: { type: 'boolean' } },
            {
              name: 'room',
              in: 'query',
              description: 'extension: check against this room too',
              schema: { type: 'string' },
            },
          ],
          responses: { 200: json({ $ref: '#/components/schemas/MeetingTokenProperties' }), ...errors },
        },
      },
      '/v1/rooms': {
        get: { summary: 'List rooms', responses: { 200: json({ type: 'object' }), ...errors } },
        post: { summary: 'Create a room', responses: { 200: json({ type: 'object' }), ...errors } },
      },
      '/v1/rooms/{name}': {
        get: { summary: 'Get a room', responses: { 200: json({ type: 'object' }), ...errors } },
        delete: { summary: 'Delete a room', responses: { 200: json({ type: 'object' }), ...errors } },
      },
      '/admin/domains': {
        get: { summary: 'List domains (admin token)' },
        post: { summary: 'Create a domain and its first key' },
      },
      '/admin/domains/{domain}/keys': { get: { summary: "List a domain's keys" }, post: { summary: 'Create a key' } },
      '/admin/keys/{id}/rotate': { post: { summary: 'Rotate a key with a grace period {"grace": "24h"}' } },
      '/admin/keys/{id}/deactivate': { post: { summary: 'Deactivate a key now' } },
      '/healthz': { get: { summary: 'Process health', security: [] } },
      '/readyz': { get: { summary: 'Store reachable and not draining', security: [] } },
      '/metrics': { get: { summary: 'Prometheus metrics', security: [] } },
    },
  };
}

export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  const doc = openApiDocument();
  app.get('/openapi.json', async () => doc);
}

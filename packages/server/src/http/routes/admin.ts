/**
 * `/admin/…`: domains and keys (service/domains-keys.ts), guarded by `Authorization: Bearer
 * $DAILY_TOKENS_ADMIN_TOKEN` (`checkAdminToken`, a constant-time compare). Disabled (404) when no admin token is
 * configured.
 */
import type { FastifyInstance } from 'fastify';
import type { EmulatorControls } from '../../emulator/index.js';
import { resetEmulator } from '../../emulator/reset.js';
import { checkAdminToken } from '../../service/auth.js';
import type { AppContext } from '../../service/context.js';
import { domainsKeysOps } from '../../service/domains-keys.js';
import { documentedBody, errorReplies, replyObject as obj } from '../schemas.js';
import { emulatorAdminRoutes } from './admin-emulator.js';

const ADMIN_ERRORS = [400, 401, 404, 503];
const key = obj('An API key (`api_key` only in the reply that creates it).', {
  id: { type: 'string' },
  domain_id: { type: 'string' },
  hint: { type: 'string', description: 'The last characters of the key (at most 4, at most an eighth of it).' },
  api_key: { type: 'string' },
});
/** Admin route schema: documentation, admin security, the common errors. */
function adminSchema(
  operationId: string,
  summary: string,
  reply: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    operationId,
    summary,
    description: `${summary}. Needs the admin token; answers 404 when the admin API is disabled.`,
    tags: ['admin'],
    security: [{ AdminToken: [] }],
    ...extra,
    response: { 200: reply, ...errorReplies(...ADMIN_ERRORS) },
  };
}
const param = (name: string, description: string) => ({
  params: { type: 'object', required: [name], properties: { [name]: { type: 'string', description } } },
});

export function adminRoutes(ctx: AppContext, emulator: EmulatorControls | undefined) {
  return async (app: FastifyInstance): Promise<void> => {
    const admin = domainsKeysOps(ctx);
    app.addHook('onRequest', async (request) => checkAdminToken(ctx, request.headers.authorization, request.ip));

    app.get(
      '/domains',
      { schema: adminSchema('AdminListDomains', 'List domains', obj('The domains.', { data: { type: 'array' } })) },
      async () => admin.listDomains(),
    );

    app.post(
      '/domains',
      {
        config: documentedBody({
          type: 'object',
          properties: {
            name: { type: 'string', description: 'The domain name (becomes <name>.daily.co in room URLs).' },
            id: { type: 'string', description: 'A UUID to use as domain_id (the d claim); generated when left out.' },
          },
        }),
        schema: adminSchema('AdminCreateDomain', 'Create a domain and its first key', obj('The domain and its key.')),
      },
      async (request) => admin.createDomain(request.body),
    );

    const domainParam = param('domain', 'Domain name or id.');
    app.get<{ Params: { domain: string } }>(
      '/domains/:domain/keys',
      {
        schema: adminSchema(
          'AdminListKeys',
          "List a domain's keys",
          obj('The keys.', { data: { type: 'array' } }),
          domainParam,
        ),
      },
      async (request) => admin.listKeys(request.params.domain),
    );

    app.post<{ Params: { domain: string } }>(
      '/domains/:domain/keys',
      { schema: adminSchema('AdminCreateKey', 'Create another key for a domain', key, domainParam) },
      async (request) => admin.createKey(request.params.domain),
    );

    const resetReply = obj('What was cleared.', {
      deleted_rooms: { type: 'integer', minimum: 0 },
      domains: { type: 'integer', minimum: 0 },
    });
    app.post(
      '/reset',
      {
        schema: adminSchema(
          'AdminReset',
          'Delete every room of every domain, put every domain config set through POST /v1/ back to a fresh domain’s (keys and domains stay) and clear every rate-limit counter, for a clean slate between test cases',
          resetReply,
        ),
      },
      async () => resetEmulator(ctx, emulator),
    );

    app.post<{ Params: { domain: string } }>(
      '/domains/:domain/reset',
      {
        schema: adminSchema(
          'AdminResetDomain',
          'Delete every room of one domain and put its config back to a fresh domain’s (its keys stay), so parallel test suites can use a domain each',
          resetReply,
          domainParam,
        ),
      },
      async (request) => admin.resetDomain(request.params.domain),
    );

    const keyParam = param('id', 'The key id.');
    app.post<{ Params: { id: string } }>(
      '/keys/:id/rotate',
      {
        config: documentedBody({
          type: 'object',
          properties: {
            grace: { type: ['string', 'number'], description: 'How long the old key keeps working, e.g. "24h".' },
          },
        }),
        schema: adminSchema(
          'AdminRotateKey',
          'Rotate a key, keeping the old one for a grace period',
          obj('The new key and the retired one.'),
          keyParam,
        ),
      },
      async (request) => admin.rotateKey(request.params.id, request.body),
    );

    app.post<{ Params: { id: string } }>(
      '/keys/:id/deactivate',
      { schema: adminSchema('AdminDeactivateKey', 'Deactivate a key now', key, keyParam) },
      async (request) => admin.deactivateKey(request.params.id),
    );

    emulatorAdminRoutes(ctx, emulator, app);
  };
}

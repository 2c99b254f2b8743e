/**
 * `/admin/…`: domains and keys, guarded by `Authorization: Bearer $DAILY_TOKENS_ADMIN_TOKEN`
 * (constant-time compare). Disabled (404) when no admin token is configured.
 * New API keys appear in replies once; listings show only their last few characters (at most 4).
 */
import { parseDuration } from 'daily-tokens';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkDomainId, checkDomainName } from '../config.js';
import type { AppContext } from '../context.js';
import { safeEqual } from '../crypto/secrets.js';
import { ApiError, badRequest } from '../errors.js';
import { bearerToken } from '../plugins/auth.js';
import { type Domain, DomainConflictError } from '../store/domains.js';
import { resetEmulator } from '../emulator/reset.js';
import { emulatorAdminRoutes } from './admin-emulator.js';
import { errorReplies } from './docs.js';

function body(request: FastifyRequest): Record<string, unknown> {
  const b = request.body ?? {};
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw badRequest('the body must be a JSON object');
  return b as Record<string, unknown>;
}

const ADMIN_ERRORS = [400, 401, 404, 503];
const obj = (description: string, properties: Record<string, unknown> = {}) => ({
  description,
  type: 'object',
  properties,
  additionalProperties: true,
});
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

export function adminRoutes(ctx: AppContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', async (request) => {
      const expected = ctx.config.adminToken;
      if (!expected)
        throw new ApiError(404, 'not-found', 'the admin API is disabled; set DAILY_TOKENS_ADMIN_TOKEN to enable it');
      // a client over its failed-login budget is refused before the token is compared, so the right token
      // and a wrong one get the same 429
      await ctx.throttle.gate(request.ip, true);
      if (!safeEqual(bearerToken(request), expected)) {
        // guesses share the failed-login budget of the address with API-key guesses
        await ctx.throttle.failed(request.ip);
        throw new ApiError(401, 'authentication-error', 'the admin token is not valid');
      }
    });

    const domainOr404 = async (idOrName: string) => {
      const d = await ctx.store.domains.find(idOrName);
      if (!d) throw new ApiError(404, 'not-found', `no domain ${idOrName.slice(0, 64)}`);
      return d;
    };

    app.get(
      '/domains',
      { schema: adminSchema('AdminListDomains', 'List domains', obj('The domains.', { data: { type: 'array' } })) },
      async () => ({ data: await ctx.store.domains.list() }),
    );

    app.post(
      '/domains',
      {
        schema: adminSchema('AdminCreateDomain', 'Create a domain and its first key', obj('The domain and its key.'), {
          body: {
            type: 'object',
            properties: {
              name: { type: 'string', description: 'The domain name (becomes <name>.daily.co in room URLs).' },
              id: { type: 'string', description: 'A UUID to use as domain_id (the d claim); generated when left out.' },
            },
          },
        }),
      },
      async (request) => {
        const { name, id } = body(request);
        if (typeof name !== 'string') throw badRequest('name is required: {"name": "acme-dev"}');
        try {
          checkDomainName(name, 'name');
          if (id !== undefined) checkDomainId(id, 'id');
        } catch (e) {
          throw badRequest((e as Error).message);
        }
        let domain: Domain;
        try {
          domain = await ctx.store.domains.create(name, id as string | undefined, ctx.clock());
        } catch (e) {
          if (e instanceof DomainConflictError) throw badRequest(e.message);
          throw e;
        }
        const { key, apiKey } = await ctx.store.keys.create(domain.id, undefined, ctx.clock());
        return { domain, key: { ...key, api_key: apiKey } };
      },
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
      async (request) => {
        const d = await domainOr404(request.params.domain);
        return { data: await ctx.store.keys.list(d.id, ctx.clock()) };
      },
    );

    app.post<{ Params: { domain: string } }>(
      '/domains/:domain/keys',
      { schema: adminSchema('AdminCreateKey', 'Create another key for a domain', key, domainParam) },
      async (request) => {
        const d = await domainOr404(request.params.domain);
        const { key, apiKey } = await ctx.store.keys.create(d.id, undefined, ctx.clock());
        await ctx.keysChanged();
        return { ...key, api_key: apiKey };
      },
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
      async () => resetEmulator(ctx),
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
      async (request) => {
        const d = await domainOr404(request.params.domain);
        await ctx.store.domains.resetConfig(d.id);
        return { deleted_rooms: await ctx.store.rooms.reset(d.id), domains: 1 };
      },
    );

    const keyParam = param('id', 'The key id.');
    app.post<{ Params: { id: string } }>(
      '/keys/:id/rotate',
      {
        schema: adminSchema(
          'AdminRotateKey',
          'Rotate a key, keeping the old one for a grace period',
          obj('The new key and the retired one.'),
          {
            ...keyParam,
            body: {
              type: 'object',
              properties: {
                grace: { type: ['string', 'number'], description: 'How long the old key keeps working, e.g. "24h".' },
              },
            },
          },
        ),
      },
      async (request) => {
        const { grace } = body(request);
        let graceSeconds = ctx.config.defaultGraceSeconds;
        if (grace !== undefined) {
          try {
            graceSeconds = parseDuration(grace, 'grace');
          } catch (e) {
            throw badRequest((e as Error).message);
          }
        }
        const r = await ctx.store.keys.rotate(request.params.id, graceSeconds, ctx.clock());
        if (!r) throw new ApiError(404, 'not-found', `no active key ${request.params.id.slice(0, 64)}`);
        await ctx.keysChanged();
        return { key: { ...r.key, api_key: r.apiKey }, retired: r.retired };
      },
    );

    app.post<{ Params: { id: string } }>(
      '/keys/:id/deactivate',
      { schema: adminSchema('AdminDeactivateKey', 'Deactivate a key now', key, keyParam) },
      async (request) => {
        const k = await ctx.store.keys.deactivate(request.params.id, ctx.clock());
        if (!k) throw new ApiError(404, 'not-found', `no key ${request.params.id.slice(0, 64)}`);
        await ctx.keysChanged();
        return k;
      },
    );

    emulatorAdminRoutes(ctx, app);
  };
}

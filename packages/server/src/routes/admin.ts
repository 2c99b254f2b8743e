/**
 * `/admin/…`: domains and keys, guarded by `Authorization: Bearer $DAILY_TOKENS_ADMIN_TOKEN`
 * (constant-time compare). Disabled (404) when no admin token is configured.
 * New API keys appear in replies once; listings show only their last 4 characters.
 */
import { parseDuration } from 'daily-tokens';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkDomainId, checkDomainName } from '../config.js';
import type { AppContext } from '../context.js';
import { safeEqual } from '../crypto/secrets.js';
import { ApiError, badRequest } from '../errors.js';
import { AUTH_FAILURE_LIMIT, bearerToken, failedLoginSubject } from '../plugins/auth.js';

function body(request: FastifyRequest): Record<string, unknown> {
  const b = request.body ?? {};
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw badRequest('the body must be a JSON object');
  return b as Record<string, unknown>;
}

export function adminRoutes(ctx: AppContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', async (request) => {
      const expected = ctx.config.adminToken;
      if (!expected)
        throw new ApiError(404, 'not-found', 'the admin API is disabled; set DAILY_TOKENS_ADMIN_TOKEN to enable it');
      if (!safeEqual(bearerToken(request), expected)) {
        // guesses share the failed-login budget of the address with API-key guesses
        await ctx.limiter?.check(failedLoginSubject(request), AUTH_FAILURE_LIMIT);
        throw new ApiError(401, 'authentication-error', 'the admin token is not valid');
      }
    });

    const domainOr404 = async (idOrName: string) => {
      const d = await ctx.store.domains.find(idOrName);
      if (!d) throw new ApiError(404, 'not-found', `no domain ${idOrName.slice(0, 64)}`);
      return d;
    };

    app.get('/domains', async () => ({ data: await ctx.store.domains.list() }));

    app.post('/domains', async (request) => {
      const { name, id } = body(request);
      if (typeof name !== 'string') throw badRequest('name is required: {"name": "acme-dev"}');
      try {
        checkDomainName(name, 'name');
        if (id !== undefined) checkDomainId(id, 'id');
      } catch (e) {
        throw badRequest((e as Error).message);
      }
      if (await ctx.store.domains.find(name)) throw badRequest(`a domain named ${name} exists already`);
      if (typeof id === 'string' && (await ctx.store.domains.byId(id)))
        throw badRequest(`a domain with id ${id} exists already`);
      const domain = await ctx.store.domains.create(name, id as string | undefined, ctx.clock());
      const { key, apiKey } = await ctx.store.keys.create(domain.id, undefined, ctx.clock());
      return { domain, key: { ...key, api_key: apiKey } };
    });

    app.get<{ Params: { domain: string } }>('/domains/:domain/keys', async (request) => {
      const d = await domainOr404(request.params.domain);
      return { data: await ctx.store.keys.list(d.id, ctx.clock()) };
    });

    app.post<{ Params: { domain: string } }>('/domains/:domain/keys', async (request) => {
      const d = await domainOr404(request.params.domain);
      const { key, apiKey } = await ctx.store.keys.create(d.id, undefined, ctx.clock());
      await ctx.keysChanged();
      return { ...key, api_key: apiKey };
    });

    app.post<{ Params: { id: string } }>('/keys/:id/rotate', async (request) => {
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
    });

    app.post<{ Params: { id: string } }>('/keys/:id/deactivate', async (request) => {
      const k = await ctx.store.keys.deactivate(request.params.id, ctx.clock());
      if (!k) throw new ApiError(404, 'not-found', `no key ${request.params.id.slice(0, 64)}`);
      await ctx.keysChanged();
      return k;
    });
  };
}

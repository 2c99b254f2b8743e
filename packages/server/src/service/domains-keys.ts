/**
 * The admin operations on domains and keys: create and list domains, create, rotate and deactivate keys,
 * reset one domain. New API keys appear in replies once; listings show only their last few characters.
 * Every key change is announced to the other replicas (`keysChanged`).
 */
import { parseDuration } from 'daily-tokens';
import { checkDomainId, checkDomainName } from '../config.js';
import { ApiError, badRequest } from '../errors.js';
import { type Domain, DomainConflictError } from '../store/domains.js';
import type { AppContext } from './context.js';

/** An admin body: no body is `{}`, anything else must be a JSON object. */
function objectBody(body: unknown): Record<string, unknown> {
  const b = body ?? {};
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw badRequest('the body must be a JSON object');
  return b as Record<string, unknown>;
}

export function domainsKeysOps(ctx: AppContext) {
  const domainOr404 = async (idOrName: string) => {
    const d = await ctx.store.domains.find(idOrName);
    if (!d) throw new ApiError(404, 'not-found', `no domain ${idOrName.slice(0, 64)}`);
    return d;
  };

  return {
    listDomains: async () => ({ data: await ctx.store.domains.list() }),

    /** `{name, id?}` → the domain and its first key. */
    async createDomain(body: unknown) {
      const { name, id } = objectBody(body);
      if (typeof name !== 'string') {
        throw badRequest(
          name === undefined ? 'name is required: {"name": "acme-dev"}' : 'name must be a string such as "acme-dev"',
        );
      }
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

    async listKeys(domain: string) {
      const d = await domainOr404(domain);
      return { data: await ctx.store.keys.list(d.id, ctx.clock()) };
    },

    async createKey(domain: string) {
      const d = await domainOr404(domain);
      const { key, apiKey } = await ctx.store.keys.create(d.id, undefined, ctx.clock());
      await ctx.keysChanged();
      return { ...key, api_key: apiKey };
    },

    /** Deletes every room of one domain and puts its config back to a fresh domain's (its keys stay). */
    async resetDomain(domain: string) {
      const d = await domainOr404(domain);
      await ctx.store.domains.resetConfig(d.id);
      return { deleted_rooms: await ctx.store.rooms.reset(d.id), domains: 1 };
    },

    /** `{grace?}`: how long the old key keeps working (the configured default when left out). */
    async rotateKey(id: string, body: unknown) {
      const { grace } = objectBody(body);
      let graceSeconds = ctx.config.defaultGraceSeconds;
      if (grace !== undefined) {
        try {
          graceSeconds = parseDuration(grace, 'grace');
        } catch (e) {
          throw badRequest((e as Error).message);
        }
      }
      const r = await ctx.store.keys.rotate(id, graceSeconds, ctx.clock());
      if (!r) throw new ApiError(404, 'not-found', `no active key ${id.slice(0, 64)}`);
      await ctx.keysChanged();
      return { key: { ...r.key, api_key: r.apiKey }, retired: r.retired };
    },

    async deactivateKey(id: string) {
      const k = await ctx.store.keys.deactivate(id, ctx.clock());
      if (!k) throw new ApiError(404, 'not-found', `no key ${id.slice(0, 64)}`);
      await ctx.keysChanged();
      return k;
    },
  };
}

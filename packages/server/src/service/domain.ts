/**
 * The caller's domain: its configuration with the fields Daily documents (GetDomainConfig), and setting domain
 * properties (SetDomainConfig), checked once, by the domain registry's validator (`readDomainProperties`).
 */
import { DEFAULT_DOMAIN_CONFIG, DOMAIN_PROPERTY_REGISTRY, readDomainProperties } from 'daily-tokens/rooms';
import type { ResolvedKey } from '../cache/key-cache.js';
import { badRequest } from '../errors.js';
import type { AppContext, LintFindings } from './context.js';

export function domainOps(ctx: AppContext) {
  const reply = async (domain: { id: string; name: string }) => ({
    domain_name: domain.name,
    domain_id: domain.id,
    config: { ...DEFAULT_DOMAIN_CONFIG, ...(await ctx.store.domains.config(domain.id)) },
  });

  /** A `{"properties": {…}}` body, read; warnings (values kept) for the request's log line. */
  const read = (body: unknown) => {
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
      throw badRequest('invalid domain config: the body must be a JSON object such as {"properties": {"lang": "de"}}');
    }
    const extra = Object.keys(body ?? {}).filter((k) => k !== 'properties');
    const r = readDomainProperties((body as { properties?: unknown } | null)?.properties);
    const errors = [
      ...extra.map((k) =>
        Object.hasOwn(DOMAIN_PROPERTY_REGISTRY, k)
          ? `${k} is a domain property: put it inside "properties": {"properties": {"${k}": …}}`
          : `${k} is not a field of the body; it takes "properties"`,
      ),
      ...r.issues.filter((i) => i.severity === 'error').map((i) => `${i.path} ${i.message}`),
    ];
    if (errors.length > 0) throw badRequest(`invalid domain config: ${errors.join('; ')}`);
    const warnings = r.issues.filter((i) => i.severity === 'warning');
    const lint: LintFindings | null =
      warnings.length > 0
        ? warnings.map((i) => ({ rule: 'domain-property', severity: 'warning', message: `${i.path} ${i.message}` }))
        : null;
    return { properties: r.properties, lint };
  };

  return {
    /** The domain of the caller's key, as GET /v1/ answers it. */
    get: (auth: ResolvedKey) => reply(auth.domain),
    /** Properties sent replace their old values, null resets one, the rest stay; answers as `get`. */
    async set(auth: ResolvedKey, body: unknown) {
      const { properties, lint } = read(body);
      const config = { ...(await ctx.store.domains.config(auth.domain.id)) };
      for (const [k, v] of Object.entries(properties)) {
        if (v === null) delete config[k];
        else config[k] = v;
      }
      await ctx.store.domains.setConfig(auth.domain.id, config);
      return { domain: await reply(auth.domain), lint };
    },
  };
}

/**
 * `GET /v1/`: the caller's domain configuration, with the fields Daily documents; `POST /v1/` sets domain
 * properties (Daily's SetDomainConfig), checked against the domain registry derived from the room one.
 */
import {
  DEFAULT_DOMAIN_CONFIG,
  DOMAIN_CONFIG_FIELDS,
  DOMAIN_PROPERTY_REGISTRY,
  domainPropertiesSchema,
  readDomainProperties,
} from 'daily-tokens/rooms';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { badRequest } from '../errors.js';
import { errorReplies, V1_ERRORS } from './docs.js';

/**
 * A domain's `config` schema: the GetDomainConfig fields, and every domain property `POST /v1/` can set
 * (the registry's schema wins where both name a field: it describes what may be stored).
 */
const configSchema = {
  type: 'object',
  properties: {
    ...Object.fromEntries(
      Object.entries(DOMAIN_CONFIG_FIELDS).map(([k, f]) => [
        k,
        { type: f.notNil ? f.type : [f.type, 'null'], description: f.meaning },
      ]),
    ),
    ...(domainPropertiesSchema() as { properties: Record<string, unknown> }).properties,
  },
};

const domainReply = (description: string) => ({
  description,
  type: 'object',
  required: ['domain_name', 'domain_id', 'config'],
  properties: {
    domain_name: { type: 'string', description: 'Room URLs are https://<domain_name>.daily.co/<room>.' },
    domain_id: { type: 'string', format: 'uuid', description: 'The d claim of the domain’s tokens.' },
    config: configSchema,
  },
});

type SetBody = { properties: Record<string, unknown> };

export function v1DomainRoutes(ctx: AppContext) {
  const reply = async (domain: { id: string; name: string }) => ({
    domain_name: domain.name,
    domain_id: domain.id,
    config: { ...DEFAULT_DOMAIN_CONFIG, ...(await ctx.store.domains.config(domain.id)) },
  });

  /** The registry's checks run before the schema's, with messages that name the property and the fix. */
  const readBody = async (request: FastifyRequest) => {
    const body = request.body;
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
    if (warnings.length > 0) {
      request.lint = warnings.map((i) => ({
        rule: 'domain-property',
        severity: 'warning',
        message: `${i.path} ${i.message}`,
      }));
    }
    request.body = { properties: r.properties } satisfies SetBody;
  };

  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/',
      {
        schema: {
          operationId: 'GetDomainConfig',
          tags: ['domain'],
          summary: 'Get domain config',
          description: 'The name, id (the d claim of tokens) and configuration of the API key’s domain.',
          response: { 200: domainReply('The domain of the API key.'), ...errorReplies(...V1_ERRORS) },
        },
      },
      async (request) => {
        const auth = request.auth;
        if (!auth) throw new Error('auth hook missing');
        return reply(auth.domain);
      },
    );

    app.post<{ Body: SetBody }>(
      '/',
      {
        preValidation: readBody,
        schema: {
          operationId: 'SetDomainConfig',
          tags: ['domain'],
          summary: 'Set domain config',
          description:
            'Sets domain properties: those sent replace their old values, null resets one, the rest stay. The defaults Daily’s generated SDK sends for unset properties ("NULL", "<not set>") mean not set. Answers with the domain as GET /v1/ does.',
          body: {
            type: 'object',
            additionalProperties: false,
            properties: { properties: domainPropertiesSchema() },
          },
          response: { 200: domainReply('The domain as it is now.'), ...errorReplies(...V1_ERRORS) },
        },
      },
      async (request) => {
        const auth = request.auth;
        if (!auth) throw new Error('auth hook missing');
        const config = { ...(await ctx.store.domains.config(auth.domain.id)) };
        for (const [k, v] of Object.entries(request.body.properties)) {
          if (v === null) delete config[k];
          else config[k] = v;
        }
        await ctx.store.domains.setConfig(auth.domain.id, config);
        return reply(auth.domain);
      },
    );
  };
}

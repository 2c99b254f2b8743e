/**
 * `GET /v1/` and `POST /v1/`: the OpenAPI description of the caller's domain configuration, then the domain
 * operations (service/domain.ts).
 */
import { DOMAIN_CONFIG_FIELDS, domainPropertiesSchema } from 'daily-tokens/rooms';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../service/context.js';
import { domainOps } from '../../service/domain.js';
import { callerOf } from '../plugins/auth.js';
import { documentedBody, errorReplies, V1_ERRORS } from '../schemas.js';

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

export function domainRoutes(ctx: AppContext) {
  const domain = domainOps(ctx);
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
      async (request) => domain.get(callerOf(request)),
    );

    app.post(
      '/',
      {
        config: documentedBody({
          type: 'object',
          additionalProperties: false,
          properties: { properties: domainPropertiesSchema() },
        }),
        schema: {
          operationId: 'SetDomainConfig',
          tags: ['domain'],
          summary: 'Set domain config',
          description:
            'Sets domain properties: those sent replace their old values, null resets one, the rest stay. The defaults Daily’s generated SDK sends for unset properties ("NULL", "<not set>") mean not set. Answers with the domain as GET /v1/ does.',
          response: { 200: domainReply('The domain as it is now.'), ...errorReplies(...V1_ERRORS) },
        },
      },
      async (request) => {
        const { domain: reply, lint } = await domain.set(callerOf(request), request.body);
        if (lint) request.lint = lint;
        return reply;
      },
    );
  };
}

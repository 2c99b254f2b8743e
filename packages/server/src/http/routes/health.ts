/** `/healthz` (the process answers), `/readyz` (the store answers; false while draining), `/metrics`. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../service/context.js';
import { readiness } from '../../service/health.js';

export function healthRoutes(ctx: AppContext) {
  return async (app: FastifyInstance): Promise<void> => {
    const ops = (operationId: string, description: string, reply: Record<string, unknown>) => ({
      schema: {
        operationId,
        description,
        summary: description.split(';')[0],
        tags: ['operations'],
        security: [],
        response: reply,
      },
    });
    app.get(
      '/healthz',
      ops('Health', 'The process answers', {
        200: { description: 'Alive.', type: 'object', properties: { status: { const: 'ok' } } },
      }),
      async () => ({ status: 'ok' }),
    );
    const readinessSchema = {
      type: 'object',
      properties: {
        ready: { type: 'boolean' },
        store: { enum: ['up', 'down'] },
        redis: {
          enum: ['up', 'down'],
          description: 'Only with Redis configured; an outage degrades, it does not fail.',
        },
        shutting_down: { type: 'boolean' },
      },
    };
    app.get(
      '/readyz',
      ops('Ready', 'The store answers and the service is not draining; 503 otherwise', {
        200: { description: 'Ready.', ...readinessSchema },
        503: { description: 'Not ready.', ...readinessSchema },
      }),
      async (_request, reply) => {
        const report = await readiness(ctx);
        reply.code(report.ready ? 200 : 503);
        return report;
      },
    );
    app.get(
      '/metrics',
      ops('Metrics', 'Prometheus metrics (text exposition format)', {
        200: { description: 'Metrics.', content: { 'text/plain': { schema: { type: 'string' } } } },
      }),
      async (_request, reply) => {
        reply.type(ctx.metrics.contentType);
        return await ctx.metrics.render({
          daily_tokens_store_up: ctx.state.storeUp ? 1 : 0,
          ...(ctx.redis ? { daily_tokens_redis_up: ctx.redis.up ? 1 : 0 } : {}),
        });
      },
    );
  };
}

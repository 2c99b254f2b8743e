/** `/healthz` (the process answers), `/readyz` (the store answers; false while draining), `/metrics`. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';

const PING_TIMEOUT_MS = 1000;

async function storeReachable(ctx: AppContext): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ctx.store.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

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
    const readiness = {
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
        200: { description: 'Ready.', ...readiness },
        503: { description: 'Not ready.', ...readiness },
      }),
      async (_request, reply) => {
        const [store, redis] = await Promise.all([storeReachable(ctx), ctx.redis?.probe()]);
        ctx.state.storeUp = store;
        // A Redis outage degrades (limits per replica) but does not stop the service: answering 503 for it
        // would take every replica out of the load balancer at once. It is reported, not failed.
        const ready = store && !ctx.state.shuttingDown;
        reply.code(ready ? 200 : 503);
        return {
          ready,
          store: store ? 'up' : 'down',
          ...(redis === undefined ? {} : { redis: redis ? 'up' : 'down' }),
          shutting_down: ctx.state.shuttingDown,
        };
      },
    );
    app.get(
      '/metrics',
      ops('Metrics', 'Prometheus metrics (text exposition format)', {
        200: { description: 'Metrics.', content: { 'text/plain': { schema: { type: 'string' } } } },
      }),
      async (_request, reply) => {
        reply.type('text/plain; version=0.0.4; charset=utf-8');
        return ctx.metrics.render({
          daily_tokens_store_up: ctx.state.storeUp ? 1 : 0,
          ...(ctx.redis ? { daily_tokens_redis_up: ctx.redis.up ? 1 : 0 } : {}),
        });
      },
    );
  };
}

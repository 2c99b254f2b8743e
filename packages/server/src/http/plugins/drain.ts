/**
 * While the service drains, requests that arrive get 503 (with Retry-After, and the connection closed) except
 * the health checks; those already in flight (body still arriving) finish. The 503 is sent once the body is
 * read: closing a connection with a body still unread resets it, and the client never sees the reply.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, OUTAGE_RETRY_AFTER } from '../../errors.js';
import type { AppContext } from '../../service/context.js';

export const drainPlugin = fp(
  async (app: FastifyInstance, { state }: { state: AppContext['state'] }): Promise<void> => {
    const late = new WeakSet<object>();
    // (callback hooks, not async ones: these run on every request and need no promise)
    app.addHook('onRequest', (request, _reply, done) => {
      if (state.shuttingDown && request.url !== '/readyz' && request.url !== '/healthz') late.add(request);
      done();
    });
    app.addHook('preHandler', (request, _reply, done) => {
      if (late.has(request)) {
        done(
          new ApiError(503, 'server-error', 'the service is shutting down; retry on another replica or in a moment', {
            'retry-after': String(OUTAGE_RETRY_AFTER),
            connection: 'close',
          }),
        );
        return;
      }
      done();
    });
  },
  { name: 'drain' },
);

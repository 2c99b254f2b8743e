/**
 * The headers of every reply (the fast path writes the same ones): JSON unless a route set its type, the
 * emulator header, never cached nor sniffed, and `Connection: close` while draining.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../../service/context.js';
import { EMULATOR_HEADER, EMULATOR_HEADER_VALUE } from '../../version.js';

export const replyHeadersPlugin = fp(
  async (app: FastifyInstance, { state }: { state: AppContext['state'] }): Promise<void> => {
    // every API reply is JSON (error bodies included); HTML and metrics set their own types
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (!reply.hasHeader('content-type')) reply.type('application/json; charset=utf-8');
      reply.header(EMULATOR_HEADER, EMULATOR_HEADER_VALUE);
      // replies carry keys, tokens and per-caller data: never stored by a cache, never sniffed as another type
      // (the routes that serve static, public bytes set their own cache-control)
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      reply.header('x-content-type-options', 'nosniff');
      // while draining, a kept-alive connection closes after its reply instead of idling until the timeout
      if (state.shuttingDown) reply.header('connection', 'close');
      done(null, payload);
    });
  },
  { name: 'reply-headers' },
);

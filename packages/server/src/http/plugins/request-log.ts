/**
 * One metrics sample and one log line per reply, with the functions the fast path counts and logs with
 * (`replyCounter`, `requestLogger`), so both paths of a request are counted and logged alike.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RequestOutcome } from '../../logging/request-log.js';
import type { ReplyCounter } from '../../metrics/replies.js';
import type { LintFindings } from '../../service/context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Warnings about what the request carried out (a minted token's lint findings), for its log line. */
    lint: LintFindings | null;
  }
}

export interface RequestLogOptions {
  countReply: ReplyCounter;
  /** Undefined when the log level writes no request line. */
  logRequest: ((o: RequestOutcome) => void) | undefined;
}

export const requestLogPlugin = fp(
  async (app: FastifyInstance, { countReply, logRequest }: RequestLogOptions): Promise<void> => {
    app.decorateRequest('lint', null);
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url;
      countReply(request.method, route ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
      logRequest?.({
        reqId: request.id,
        method: request.method,
        route,
        url: request.url,
        status: reply.statusCode,
        elapsedMs: reply.elapsedTime,
        // set on /v1 routes only (the auth plugin's scope)
        auth: request.auth ?? null,
        lint: request.lint,
      });
      done();
    });
  },
  { name: 'request-log' },
);

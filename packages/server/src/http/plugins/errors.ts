/**
 * Turns every failure into Daily's `{error, info}` JSON (`errorReply`): API errors as they are, body-parsing
 * problems as json-parsing-error, store outages as 503 server-error with Retry-After, anything unexpected as a
 * 500 without internals. Also owns body parsing (`parseJsonBody`), so an empty JSON body is fine, and the 404
 * of an unknown route.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { maskUrl } from '../../logging/redact.js';
import { BODY_LIMIT, parseJsonBody } from '../body.js';
import { errorReply } from '../error-reply.js';

export interface ErrorsOptions {
  /** Called when a store outage is met: /readyz reports the store down until it answers again. */
  onOutage: () => void;
}

/** The body parser, the 404 and the error handler, for the whole app. */
export const errorsPlugin = fp(
  async (app: FastifyInstance, { onOutage }: ErrorsOptions): Promise<void> => {
    app.removeAllContentTypeParsers();
    // Any content type is read as JSON: curl -d without -H sends form encoding, yet means JSON.
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
      try {
        done(null, parseJsonBody(typeof body === 'string' ? body : body.toString('utf8')));
      } catch (e) {
        done(e as Error, undefined);
      }
    });

    app.setNotFoundHandler((request, reply) => {
      reply.code(404).send({
        error: 'not-found',
        info: `no endpoint ${request.method} ${maskUrl(request.url.split('?')[0] ?? '').slice(0, 100)}; see /openapi.json`,
      });
    });

    app.setErrorHandler((error, request, reply) => {
      const r = errorReply(error, request.log, onOutage);
      return reply.code(r.status).headers(r.headers).send(r.body);
    });
  },
  { name: 'errors' },
);

// Hono: the endpoint is a route like any other; the same app runs on Node, Bun, Deno and Workers.
import { createTokenEndpoint } from 'daily-tokens/endpoint';
import { Hono } from 'hono';
import { ALLOWED_ORIGINS, grantFor, userFromCookie } from '../shared/policy.js';

export function createApp(env: { DAILY_API_KEY?: string; DAILY_DOMAIN_ID?: string }): Hono {
  const tokens = createTokenEndpoint({
    apiKey: env.DAILY_API_KEY ?? '',
    domainId: env.DAILY_DOMAIN_ID ?? '',
    allowedOrigins: ALLOWED_ORIGINS,
    authenticate: (request) => userFromCookie(request.headers.get('cookie')),
    authorize: (_request, { room, session }) => grantFor(session, room),
  });
  const app = new Hono();
  // all: the endpoint answers POST and preflights, and refuses other methods with a JSON 405.
  app.all('/api/daily-token', (c) => tokens(c.req.raw));
  return app;
}

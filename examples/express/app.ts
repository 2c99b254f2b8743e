// Express: the Node adapter takes (req, res); the hooks get Express's req (req.session, req.user …).
import { createNodeTokenEndpoint } from 'daily-tokens/endpoint/node';
import express, { type Express } from 'express';
import { ALLOWED_ORIGINS, grantFor, userFromCookie } from '../shared/policy.js';

export function createApp(env: { DAILY_API_KEY?: string; DAILY_DOMAIN_ID?: string }): Express {
  const app = express();
  app.all(
    '/api/daily-token',
    createNodeTokenEndpoint({
      apiKey: env.DAILY_API_KEY ?? '',
      domainId: env.DAILY_DOMAIN_ID ?? '',
      allowedOrigins: ALLOWED_ORIGINS,
      authenticate: (req) => userFromCookie(req.headers.cookie),
      authorize: (_req, { room, session }) => grantFor(session, room),
    }),
  );
  return app;
}

// Next.js App Router: app/api/daily-token/route.ts. The whole endpoint is this file.
import { createTokenEndpoint } from 'daily-tokens/endpoint';
import { ALLOWED_ORIGINS, grantFor, userFromCookie } from '../../../../shared/policy.js';

const endpoint = createTokenEndpoint({
  apiKey: process.env.DAILY_API_KEY ?? '',
  domainId: process.env.DAILY_DOMAIN_ID ?? '',
  allowedOrigins: ALLOWED_ORIGINS,
  authenticate: (request) => userFromCookie(request.headers.get('cookie')),
  authorize: (_request, { room, session }) => grantFor(session, room),
});

export const POST = endpoint;
// Only needed for browsers on other origins (their CORS preflight).
export const OPTIONS = endpoint;

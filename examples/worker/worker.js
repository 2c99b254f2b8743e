// A Cloudflare Worker (wrangler or workerd). Secrets arrive in env, so the endpoint is made on first use.
import { createTokenEndpoint } from 'daily-tokens/endpoint';
import { ALLOWED_ORIGINS, grantFor, userFromCookie } from '../shared/policy.js';

let tokens;

export default {
  fetch(request, env) {
    tokens ??= createTokenEndpoint({
      apiKey: env.DAILY_API_KEY,
      domainId: env.DAILY_DOMAIN_ID,
      allowedOrigins: ALLOWED_ORIGINS,
      authenticate: (req) => userFromCookie(req.headers.get('cookie')),
      authorize: (_req, { room, session }) => grantFor(session, room),
    });
    if (new URL(request.url).pathname !== '/api/daily-token') return new Response('not found', { status: 404 });
    return tokens(request);
  },
};

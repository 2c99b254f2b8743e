// Bun.serve: DAILY_API_KEY=… DAILY_DOMAIN_ID=… bun examples/bun/server.ts
import { createTokenEndpoint } from 'daily-tokens/endpoint';
import { ALLOWED_ORIGINS, grantFor, userFromCookie } from '../shared/policy.js';

declare const Bun: {
  env: Record<string, string | undefined>;
  serve(options: { hostname: string; port: number; fetch: (request: Request) => Promise<Response> }): {
    port: number;
  };
};

const tokens = createTokenEndpoint({
  apiKey: Bun.env.DAILY_API_KEY ?? '',
  domainId: Bun.env.DAILY_DOMAIN_ID ?? '',
  allowedOrigins: ALLOWED_ORIGINS,
  authenticate: (request) => userFromCookie(request.headers.get('cookie')),
  authorize: (_request, { room, session }) => grantFor(session, room),
});

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(Bun.env.PORT ?? 3000),
  fetch: (request) =>
    new URL(request.url).pathname === '/api/daily-token'
      ? tokens(request)
      : Promise.resolve(new Response('not found', { status: 404 })),
});
console.log(`listening on http://127.0.0.1:${server.port}`);

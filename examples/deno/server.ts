// Deno.serve: deno run --allow-net=127.0.0.1 --allow-env=DAILY_API_KEY,DAILY_DOMAIN_ID,PORT examples/deno/server.ts
import { createTokenEndpoint } from 'daily-tokens/endpoint';
import { ALLOWED_ORIGINS, grantFor, userFromCookie } from '../shared/policy.js';

declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): unknown;
};

const tokens = createTokenEndpoint({
  apiKey: Deno.env.get('DAILY_API_KEY') ?? '',
  domainId: Deno.env.get('DAILY_DOMAIN_ID') ?? '',
  allowedOrigins: ALLOWED_ORIGINS,
  authenticate: (request) => userFromCookie(request.headers.get('cookie')),
  authorize: (_request, { room, session }) => grantFor(session, room),
});

Deno.serve(
  {
    hostname: '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 3000),
    onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`),
  },
  (request) =>
    new URL(request.url).pathname === '/api/daily-token'
      ? tokens(request)
      : Promise.resolve(new Response('not found', { status: 404 })),
);

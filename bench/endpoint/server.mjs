// One token endpoint for bench/endpoint.mjs, as its own process: `node|bun server.mjs <kind>`.
// Every kind does the same job: session cookie → user, room from the JSON body, the allow rule, a
// 15-minute room-scoped HS256 token, JSON answer. Prints "listening on <url>" when ready.
import { createHmac, createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';

const KEY = process.env.DAILY_API_KEY;
const DOMAIN = process.env.DAILY_DOMAIN_ID;
const USERS = new Map([['session-ada', { id: 'user-ada', name: 'Ada', rooms: ['standup'], owns: ['standup'] }]]);
const userFromCookie = (cookie) => USERS.get(/(?:^|;\s*)session=([^;]+)/.exec(cookie ?? '')?.[1]) ?? null;
const grantFor = (user, room) =>
  user.rooms.includes(room) ? { user_name: user.name, user_id: user.id, is_owner: user.owns.includes(room) } : null;
const TTL = 15 * 60;
/** The payload the peers sign by hand: what the endpoint mints for the same grant. */
const claimsFor = (grant, room) => {
  const iat = Math.floor(Date.now() / 1000);
  return { r: room, u: grant.user_name, ud: grant.user_id, o: grant.is_owner, exp: iat + TTL, d: DOMAIN, iat };
};

const kind = process.argv[2];
const onListen = (port) => console.log(`listening on http://127.0.0.1:${port}`);

async function main() {
  if (kind === 'endpoint-node') {
    const { createNodeTokenEndpoint } = await import('daily-tokens/endpoint/node');
    const handler = createNodeTokenEndpoint({
      apiKey: KEY,
      domainId: DOMAIN,
      authenticate: (req) => userFromCookie(req.headers.cookie),
      authorize: (_req, { room, session }) => grantFor(session, room),
    });
    const server = createServer(handler).listen(0, '127.0.0.1', () => onListen(server.address().port));
  } else if (kind === 'endpoint-bun') {
    const { createTokenEndpoint } = await import('daily-tokens/endpoint');
    const handler = createTokenEndpoint({
      apiKey: KEY,
      domainId: DOMAIN,
      authenticate: (request) => userFromCookie(request.headers.get('cookie')),
      authorize: (_request, { room, session }) => grantFor(session, room),
    });
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler });
    onListen(server.port);
  } else if (kind === 'express-jsonwebtoken') {
    // The guides' route: express.json(), then jsonwebtoken with the key as a string.
    const { default: express } = await import('express');
    const { default: jwt } = await import('jsonwebtoken');
    const app = express();
    app.use(express.json());
    app.post('/api/daily-token', (req, res) => {
      const user = userFromCookie(req.headers.cookie);
      if (!user) return res.status(401).json({ error: 'authentication-error', info: 'sign in first' });
      const room = req.body?.room;
      const grant = typeof room === 'string' ? grantFor(user, room) : null;
      if (!grant) return res.status(403).json({ error: 'forbidden-error', info: 'not allowed' });
      const payload = claimsFor(grant, room);
      const token = jwt.sign(payload, KEY, { algorithm: 'HS256', noTimestamp: true });
      res.set('cache-control', 'no-store').json({ token, expires_at: payload.exp, room_name: room });
    });
    const server = app.listen(0, '127.0.0.1', () => onListen(server.address().port));
  } else if (kind === 'floor-node' || kind === 'floor-node-check' || kind === 'floor-bun') {
    // The floor: no framework, no checks beyond the job itself, HS256 by hand with a prepared key.
    const keyObject = createSecretKey(Buffer.from(KEY));
    const HEADER = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const mint = (cookie, text) => {
      const user = userFromCookie(cookie);
      const room = JSON.parse(text).room;
      const grant = user && grantFor(user, room);
      if (!grant) return [403, '{"error":"forbidden-error","info":"not allowed"}'];
      const payload = claimsFor(grant, room);
      const input = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      const token = `${input}.${createHmac('sha256', keyObject).update(input).digest('base64url')}`;
      return [200, JSON.stringify({ token, expires_at: payload.exp, room_name: room })];
    };
    if (kind === 'floor-bun') {
      const server = Bun.serve({
        hostname: '127.0.0.1',
        port: 0,
        async fetch(request) {
          const [status, body] = mint(request.headers.get('cookie'), await request.text());
          return new Response(body, { status, headers: { 'content-type': 'application/json' } });
        },
      });
      onListen(server.port);
    } else {
      const server = createServer((req, res) => {
        let text = '';
        req.setEncoding('utf8');
        req.on('data', (c) => {
          text += c;
        });
        // floor-node-check: the same floor writing its answer in the check phase, as the endpoint does
        const answer = kind === 'floor-node-check' ? setImmediate : (f) => f();
        req.on('end', () => {
          const [status, body] = mint(req.headers.cookie, text);
          answer(() => {
            res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
            res.end(body);
          });
        });
      }).listen(0, '127.0.0.1', () => onListen(server.address().port));
    }
  } else {
    throw new Error(`unknown kind ${kind}`);
  }
}

await main();

// The floors of bench/service.mjs: node:http, JSON.parse and a hand-rolled HS256 (node:crypto), nothing else.
// POST /v1/meeting-tokens signs Daily's claims for the body; GET /v1/meeting-tokens/:token checks the MAC and
// parses the payload. The key comes from BENCH_KEY (never argv); prints "listening on <url>" when ready.
// BENCH_ANSWER=check: the same floor answering in the event loop's check phase (setImmediate), as the service's
// fast path does, so the bench can show how much of the service's standing is that scheduling alone.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

const KEY = process.env.BENCH_KEY ?? '';
const DOMAIN = process.env.BENCH_DOMAIN ?? '';
const answer = process.env.BENCH_ANSWER === 'check' ? setImmediate : (f) => f();
const secret = createSecretKey(Buffer.from(KEY));
const BEARER = Buffer.from(`Bearer ${KEY}`);
const HEADER = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
const authorized = (req) => {
  const h = Buffer.from(req.headers.authorization ?? '');
  return h.length === BEARER.length && timingSafeEqual(h, BEARER);
};
const send = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

const server = http.createServer((req, res) => {
  if (!authorized(req)) return send(res, 401, { error: 'authentication-error' });
  if (req.method === 'POST' && req.url === '/v1/meeting-tokens') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () =>
      answer(() => {
        let p;
        try {
          p = JSON.parse(Buffer.concat(chunks).toString()).properties;
        } catch {
          return send(res, 400, { error: 'invalid-request-error' });
        }
        const iat = Math.floor(Date.now() / 1000);
        const claims = { r: p.room_name, u: p.user_name, o: p.is_owner, exp: p.exp, d: DOMAIN, iat };
        const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
        send(res, 200, { token: `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}` });
      }),
    );
    return;
  }
  if (req.method === 'GET' && req.url.startsWith('/v1/meeting-tokens/')) {
    answer(() => validate(req, res));
    return;
  }
  send(res, 404, { error: 'not-found' });
});

function validate(req, res) {
  const token = req.url.slice('/v1/meeting-tokens/'.length);
  const dot = token.lastIndexOf('.');
  const mac = createHmac('sha256', secret).update(token.slice(0, dot)).digest();
  const sig = Buffer.from(token.slice(dot + 1), 'base64url');
  if (sig.length !== mac.length || !timingSafeEqual(mac, sig))
    return send(res, 400, { error: 'invalid-request-error' });
  const claims = JSON.parse(Buffer.from(token.slice(token.indexOf('.') + 1, dot), 'base64url').toString());
  if (claims.exp <= Date.now() / 1000) return send(res, 400, { error: 'invalid-request-error' });
  return send(res, 200, { room_name: claims.r, user_name: claims.u, is_owner: claims.o, exp: claims.exp });
}
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

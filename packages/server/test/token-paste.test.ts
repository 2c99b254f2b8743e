/**
 * GET /v1/meeting-tokens/:token takes the bare token, as Daily's does; a pasted token with more around it is
 * still refused, but the refusal says what to take off (the core's cleanTokenInput, as the CLI and inspector
 * use it), on the hot path and through Fastify alike, and never echoes the token.
 */
import { expect, it } from 'vitest';
import { call, serviceForFile } from './helpers.js';

const KEY = 'paste-key-0123456789abcdef';
const service = serviceForFile(KEY);

it.each([
  ['a Bearer prefix (percent-encoded space: through Fastify)', (t: string) => `Bearer%20${t}`],
  ['single quotes (a plain URL: the hot path)', (t: string) => `'${t}'`],
  ['double quotes (percent-encoded)', (t: string) => `"${t}"`],
  ['an inspector link', (t: string) => encodeURIComponent(`https://tokens.example/#token=${t}`)],
])('a token pasted with %s: 400 saying what to take off', async (_what, wrap) => {
  const minted = await call(service.svc.url, 'POST', '/v1/meeting-tokens', {
    key: KEY,
    body: { properties: { room_name: 'paste', exp: Math.floor(Date.now() / 1000) + 600 } },
  });
  const token = minted.body.token as string;
  const r = await call(service.svc.url, 'GET', `/v1/meeting-tokens/${wrap(token)}`, { key: KEY });
  expect(r.status).toBe(400);
  expect(r.body.error).toBe('invalid-request-error');
  expect(r.body.info).toMatch(
    /the path holds a pasted token with more around it \(taking this off leaves a readable token: (removed|took)/,
  );
  expect(r.body.info).toContain('put only the token in the path');
  expect(r.body.info).not.toContain(token.split('.')[2]);
  // the bare token is valid, and garbage gets no paste hint
  expect((await call(service.svc.url, 'GET', `/v1/meeting-tokens/${token}`, { key: KEY })).status).toBe(200);
  const garbage = await call(service.svc.url, 'GET', '/v1/meeting-tokens/Bearer%20not-a-token', { key: KEY });
  expect(garbage.status).toBe(400);
  expect(garbage.body.info).not.toContain('pasted');
});

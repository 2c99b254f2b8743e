/**
 * Already-expired tokens for an app's test suite: refused by default (as the library refuses a token expired
 * at birth), minted by POST /v1/meeting-tokens when the service runs with --allow-past-exp, and then refused
 * by validation as Daily refuses an expired token. Not-yet-valid tokens need no switch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { call, config, type Running, start, tempDir } from './helpers.js';

const KEY = 'past-exp-test-key-0123456789abcdef';
const env = { DAILY_API_KEY: KEY };
let tmp: ReturnType<typeof tempDir>;
let strict: Running;
let lenient: Running;

beforeAll(async () => {
  tmp = tempDir();
  strict = await start(config({ data: `${tmp.dir}/a` }, env));
  lenient = await start(config({ data: `${tmp.dir}/b` }, { ...env, DAILY_TOKENS_ALLOW_PAST_EXP: '1' }));
});
afterAll(async () => {
  await strict?.close();
  await lenient?.close();
  tmp?.remove();
});

const payload = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());

describe('tokens whose exp has passed', () => {
  it('are refused by default, and the refusal says why', async () => {
    const exp = Math.floor(Date.now() / 1000) - 600;
    const r = await call(strict.url, 'POST', '/v1/meeting-tokens', {
      key: KEY,
      body: { properties: { room_name: 'r', exp } },
    });
    expect(r.status).toBe(400);
    expect(r.body.info).toContain('in the past');
    expect(r.body.info).toContain('start the service with --allow-past-exp');
  });

  it('are minted with --allow-past-exp, issued now, and fail validation as expired', async () => {
    const exp = Math.floor(Date.now() / 1000) - 600;
    const r = await call(lenient.url, 'POST', '/v1/meeting-tokens', {
      key: KEY,
      body: { properties: { room_name: 'r', exp } },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(payload(r.body.token)).toMatchObject({ r: 'r', exp });
    expect(payload(r.body.token).iat).toBeGreaterThan(exp);
    const v = await call(lenient.url, 'GET', `/v1/meeting-tokens/${r.body.token}`, { key: KEY });
    expect(v.status).toBe(400);
    expect(v.body.info).toMatch(/expired/);
    // A future exp is untouched by the switch.
    const future = Math.floor(Date.now() / 1000) + 600;
    const ok = await call(lenient.url, 'POST', '/v1/meeting-tokens', {
      key: KEY,
      body: { properties: { room_name: 'r', exp: future } },
    });
    expect(payload(ok.body.token).iat).toBeGreaterThan(future - 700);
  });

  it('not-yet-valid tokens need no switch, and validate with ignoreNbf', async () => {
    const now = Math.floor(Date.now() / 1000);
    const r = await call(strict.url, 'POST', '/v1/meeting-tokens', {
      key: KEY,
      body: { properties: { room_name: 'r', nbf: now + 600, exp: now + 1200 } },
    });
    expect(r.status).toBe(200);
    expect((await call(strict.url, 'GET', `/v1/meeting-tokens/${r.body.token}`, { key: KEY })).status).toBe(400);
    expect(
      (await call(strict.url, 'GET', `/v1/meeting-tokens/${r.body.token}?ignoreNbf=true`, { key: KEY })).status,
    ).toBe(200);
  });

  it('the switch takes only a clear on or off', () => {
    expect(() => loadConfig({}, { DAILY_TOKENS_ALLOW_PAST_EXP: 'maybe' })).toThrow(ConfigError);
    expect(loadConfig({}, { DAILY_TOKENS_ALLOW_PAST_EXP: 'false' }).allowPastExp).toBeUndefined();
    expect(loadConfig({ allowPastExp: true }, {}).allowPastExp).toBe(true);
  });
});

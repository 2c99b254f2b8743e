/**
 * One verdict per token, on every surface. A corpus of tokens (good ones, ones Daily refuses, ones whose
 * claims Daily drops, and ones Daily applies with advice) goes through the library's verify and lint, the
 * CLI's explain, the service's GET /v1/meeting-tokens/:token and the inspector in Chromium; each must give
 * the verdict the model in daily-tokens (EFFECTS) gives, and the service must answer the properties verify
 * reads. Lint cannot see a signature, so it is compared on the tokens signed with the right key.
 */
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import { type DailyVerdict, lintMeetingToken, verdictOf, verifyMeetingToken } from 'daily-tokens';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt as ensureCliBuilt, runCli } from '../../packages/cli/test/helpers.js';
import {
  ensureBuilt as ensureInspectorBuilt,
  launchChromium,
  openSession,
  startStaticServer,
} from '../../packages/inspector/test/harness.js';
import { call, serviceForFile } from '../../packages/server/test/helpers.js';

const KEY = 'ak_conformance_0123456789abcdef0123456789ab';
const OTHER_KEY = 'ak_conformance_another_domain_key_000000000';
const NOW = Math.floor(Date.now() / 1000);
const held = serviceForFile(KEY);

const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
function sign(payload: Record<string, unknown>, secret = KEY): string {
  const input = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

interface Case {
  name: string;
  /** The payload, given the domain id the service reports. */
  payload: (d: string) => Record<string, unknown>;
  secret?: string;
  verdict: DailyVerdict;
}

const base = (d: string) => ({ r: 'standup', d, iat: NOW, exp: NOW + 3600 });
const CORPUS: Case[] = [
  { name: 'a plain good token', payload: base, verdict: 'applies' },
  {
    name: 'an owner with permissions as strings',
    payload: (d) => ({ ...base(d), o: true, p: { cs: 'v,a', ca: 'p' } }),
    verdict: 'applies',
  },
  {
    name: 'p.ca as an array (Daily drops that permission)',
    payload: (d) => ({ ...base(d), p: { ca: ['participants'] } }),
    verdict: 'drops-claims',
  },
  { name: 'p.cs as an array', payload: (d) => ({ ...base(d), p: { cs: ['video'] } }), verdict: 'drops-claims' },
  { name: 'is_owner as a string', payload: (d) => ({ ...base(d), o: 'yes' }), verdict: 'drops-claims' },
  { name: 'a 40-character user id', payload: (d) => ({ ...base(d), ud: 'u'.repeat(40) }), verdict: 'drops-claims' },
  {
    name: 'exp in milliseconds (read as seconds: far away)',
    payload: (d) => ({ ...base(d), exp: (NOW + 3600) * 1000 }),
    verdict: 'applies',
  },
  { name: 'a full-name claim beside r', payload: (d) => ({ ...base(d), room_name: 'other' }), verdict: 'applies' },
  { name: 'a custom claim', payload: (d) => ({ ...base(d), team: 'blue' }), verdict: 'applies' },
  { name: 'a legacy recording type', payload: (d) => ({ ...base(d), er: 'rtp-tracks' }), verdict: 'applies' },
  { name: 'no exp (eternal, as Daily allows)', payload: (d) => ({ r: 'standup', d, iat: NOW }), verdict: 'applies' },
  { name: 'expired', payload: (d) => ({ ...base(d), exp: NOW - 60 }), verdict: 'refuses' },
  { name: 'nbf ahead', payload: (d) => ({ ...base(d), nbf: NOW + 600 }), verdict: 'refuses' },
  {
    name: 'nbf in milliseconds (read as seconds: never valid yet)',
    payload: (d) => ({ ...base(d), nbf: NOW * 1000 }),
    verdict: 'refuses',
  },
  { name: 'no d', payload: () => ({ r: 'standup', iat: NOW, exp: NOW + 3600 }), verdict: 'refuses' },
  { name: 'd not a string', payload: () => ({ r: 'standup', d: 42, iat: NOW, exp: NOW + 3600 }), verdict: 'refuses' },
  { name: 'another key', payload: base, secret: OTHER_KEY, verdict: 'refuses' },
];

let domainId: string;
const tokens: string[] = [];

beforeAll(async () => {
  await ensureCliBuilt();
  const domain = await call(held.svc.url, 'GET', '/v1/', { key: KEY });
  domainId = domain.body.domain_id as string;
  for (const c of CORPUS) tokens.push(sign(c.payload(domainId), c.secret));
}, 180_000);

describe('one verdict per token', () => {
  it.each(CORPUS.map((c, i) => [c.name, i] as const))(
    '%s: the library, the CLI and the service agree',
    async (_name, i) => {
      const c = CORPUS[i] as Case;
      const token = tokens[i] as string;
      const verified = await verifyMeetingToken(token, { apiKey: KEY, domainId });
      expect(verified.verdict).toBe(c.verdict);
      expect(verified.valid).toBe(c.verdict !== 'refuses');
      if (c.secret === undefined) expect(verdictOf(lintMeetingToken(token))).toBe(c.verdict);

      const cli = await runCli(['explain', token, '--json'], {
        env: { DAILY_API_KEY: KEY, DAILY_DOMAIN_ID: domainId },
      });
      expect(JSON.parse(cli.stdout).daily).toBe(c.verdict);

      const reply = await call(held.svc.url, 'GET', `/v1/meeting-tokens/${token}`, { key: KEY });
      expect(reply.status).toBe(c.verdict === 'refuses' ? 400 : 200);
      if (reply.status === 200) expect(reply.body).toEqual(JSON.parse(JSON.stringify(verified.properties)));
    },
  );
});

describe('one verdict per token in the inspector', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    ensureInspectorBuilt();
    ({ server, origin } = await startStaticServer());
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  it('shows, for every token of the corpus, the verdict verify and lint give', async () => {
    const { page, context } = await openSession(browser, new Date(NOW * 1000));
    await page.goto(`${origin}/`);
    await page.locator('#verify-key').fill(KEY);
    await page.locator('#verify-domain').fill(domainId);
    for (const [i, c] of CORPUS.entries()) {
      await page.locator('#token').fill(tokens[i] as string);
      await expect
        .poll(() => page.locator('#verify-result .daily-verdict').getAttribute('data-verdict'), { timeout: 10_000 })
        .toBe(c.verdict);
      if (c.secret === undefined) {
        expect(await page.locator('#lint .lint-verdict').getAttribute('data-verdict')).toBe(c.verdict);
      }
    }
    await context.close();
  }, 120_000);
});

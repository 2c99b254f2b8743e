/**
 * The endpoint and daily-tokens/client in a real browser (Debian's Chromium through playwright-core): the
 * app's own page gets tokens with its session cookie and keeps them fresh; an allowed front end on another
 * origin gets through the CORS preflight; any other origin is stopped by it, and its form post (the CSRF
 * "simple request", which needs no preflight) is refused by the server.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantFor, userFromCookie } from '../../../../examples/shared/policy.js';
import { createNodeTokenEndpoint } from '../../src/endpoint/node-index.js';
import { verifyMeetingToken } from '../../src/index.js';
import { API_KEY, DOMAIN_ID, PATH, type Running } from './contract.js';
import { listen } from './servers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PAGE = '<!doctype html><meta charset="utf-8"><title>app</title>';

/** daily-tokens/client as the page holds it. */
type Client = typeof import('../../src/client/index.js');

let clientBundle = '';
let app: Running;
let friend: Running;
let stranger: Running;
let browser: Browser;
const arrived: string[] = [];

/** A static site: a page and the client helper as an ES module. */
function site(extra?: (req: IncomingMessage, res: ServerResponse) => boolean) {
  return createServer((req, res) => {
    if (extra?.(req, res)) return;
    if (req.url === '/client.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(clientBundle);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    }
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium)`);
  }
  const bundled = await build({
    entryPoints: [new URL('../../src/client/index.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  clientBundle = bundled.outputFiles[0]?.text ?? '';
  friend = await listen(site());
  stranger = await listen(site());
  const endpoint = createNodeTokenEndpoint({
    apiKey: API_KEY,
    domainId: DOMAIN_ID,
    expiresIn: '2s',
    allowedOrigins: [friend.url],
    onError: () => {},
    authenticate: (req) => userFromCookie(req.headers.cookie),
    authorize: (_req, { room, session }) => grantFor(session, room),
  });
  app = await listen(
    site((req, res) => {
      if (!req.url?.startsWith(PATH)) return false;
      arrived.push(`${req.method} ${req.headers.origin ?? '-'}`);
      void endpoint(req, res);
      return true;
    }),
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([app, friend, stranger].map((s) => s?.close()));
});

/** A page of `origin` whose browser holds Ada's session cookie for 127.0.0.1. */
async function pageAt(origin: string) {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'session', value: 'session-ada', url: app.url, sameSite: 'Lax' }]);
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  // As an app would load it: an ES module, here put on window for the test to reach.
  await page.addScriptTag({ type: 'module', content: "import * as m from '/client.js'; window.client = m;" });
  await page.waitForFunction(() => 'client' in window);
  return page;
}

/** Asks the app's endpoint for a token from `page` (cookies included): the grant, or the error's status and code. */
function askFrom(page: Page) {
  return page.evaluate(async (url) => {
    const m = (window as unknown as { client: Client }).client;
    return m.fetchMeetingToken('standup', { url, credentials: 'include' }).then(
      (grant) => grant as unknown,
      (e: { status: number; error: string }) => ({ status: e.status, error: e.error }),
    );
  }, `${app.url}${PATH}`);
}

describe('in Chromium', () => {
  it("the app's own page gets a token with its cookie, and a fresh one before it expires", async () => {
    const page = await pageAt(app.url);
    const result = await page.evaluate(async () => {
      const m = (window as unknown as { client: Client }).client;
      const tokens: { token: string; expires_at: number }[] = [];
      const refresher = m.createTokenRefresher({
        room: 'standup',
        onToken: (g: { token: string; expires_at: number }) => tokens.push(g),
      });
      await refresher.start();
      // A 2-second token is refreshed halfway through its life.
      await new Promise((r) => setTimeout(r, 1600));
      refresher.stop();
      return tokens;
    });
    expect(result.length).toBeGreaterThanOrEqual(2);
    // A second back: the first 2-second token may have just run out.
    for (const { token } of result) {
      const verdict = await verifyMeetingToken(token, {
        apiKey: API_KEY,
        domainId: DOMAIN_ID,
        roomName: 'standup',
        now: Math.floor(Date.now() / 1000) - 1,
      });
      expect(verdict.problems).toEqual([]);
    }
    expect(arrived).toContain(`POST ${app.url}`);
    await page.context().close();
  });

  it('an allowed front end on another origin gets a token through the CORS preflight', async () => {
    const page = await pageAt(friend.url);
    expect(await askFrom(page)).toMatchObject({ room_name: 'standup' });
    expect(arrived).toContain(`OPTIONS ${friend.url}`);
    expect(arrived).toContain(`POST ${friend.url}`);
    await page.context().close();
  });

  it('any other origin is stopped at the preflight: its POST never arrives', async () => {
    const page = await pageAt(stranger.url);
    expect(await askFrom(page)).toEqual({ status: 0, error: 'network-error' });
    expect(arrived).toContain(`OPTIONS ${stranger.url}`);
    expect(arrived).not.toContain(`POST ${stranger.url}`);
    await page.context().close();
  });

  it("another origin's form post, which needs no preflight and carries the cookie, is refused", async () => {
    const page = await pageAt(stranger.url);
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.evaluate((url) => {
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = url;
        form.enctype = 'text/plain';
        const input = document.createElement('input');
        input.name = '{"room":"standup","x":"';
        input.value = '"}';
        form.append(input);
        document.body.append(form);
        form.submit();
      }, `${app.url}${PATH}`),
    ]);
    expect(response?.status()).toBe(403);
    expect(await response?.json()).toMatchObject({ error: 'forbidden-error' });
    await page.context().close();
  });
});

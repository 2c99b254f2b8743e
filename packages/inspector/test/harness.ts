/**
 * Test harness: builds the page if needed, serves `dist/` from a tiny static server on 127.0.0.1:0
 * with the strict Content-Security-Policy the token service uses, and launches Debian's Chromium
 * through playwright-core (no browser downloads). Every page it opens records the requests it makes,
 * CSP violations and script errors, so each test can assert that nothing leaked or broke.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const DIST_DIR = join(PACKAGE_DIR, 'dist');
const REPO_DIR = join(PACKAGE_DIR, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The policy the token service sends with the page (packages/server/src/routes/inspector.ts). */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Newest modification time of a file or of the files below a folder. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/**
 * Builds core if its dist is missing, and the page if its dist is missing or older than its sources
 * (so the tests never run a stale page).
 */
export function ensureBuilt(): void {
  const coreEntry = join(REPO_DIR, 'packages', 'core', 'dist', 'esm', 'index.js');
  if (!existsSync(coreEntry)) {
    execFileSync('npm', ['run', 'build', '-w', 'daily-tokens'], { cwd: REPO_DIR, stdio: 'ignore' });
  }
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => newest(join(PACKAGE_DIR, p)));
  if (newest(join(DIST_DIR, 'index.html')) < Math.max(newest(coreEntry), ...sources)) {
    execFileSync('npm', ['run', 'build'], { cwd: PACKAGE_DIR, stdio: 'ignore' });
  }
}

/** Serves `dist/` read-only; anything outside it or unknown is a 404. */
export async function startStaticServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(DIST_DIR, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(DIST_DIR) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'cache-control': 'no-store',
      })
      .end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

export interface Session {
  context: BrowserContext;
  page: Page;
  requests: RecordedRequest[];
  /** CSP violations, console errors and uncaught exceptions. */
  errors: string[];
}

/** A fresh context and page with a frozen clock, recording requests and errors. */
export async function openSession(browser: Browser, now: Date, options: BrowserContextOptions = {}): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  const page = await context.newPage();
  const requests: RecordedRequest[] = [];
  const errors: string[] = [];
  context.on('request', (r) =>
    requests.push({ url: r.url(), method: r.method(), headers: r.headers(), body: r.postData() ?? '' }),
  );
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.clock.setFixedTime(now);
  return { context, page, requests, errors };
}

/**
 * The privacy promise: no request carries any of `secrets` (token, key) in its URL, headers or body,
 * and none goes anywhere but the test server (or the file system).
 */
export function leaks(session: Session, origin: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const r of session.requests) {
    const where = new URL(r.url);
    if (where.protocol !== 'file:' && where.origin !== origin) found.push(`request left the test server: ${r.url}`);
    const text = [r.url, JSON.stringify(r.headers), r.body].join('\n');
    for (const secret of secrets) {
      if (secret && (text.includes(secret) || text.includes(encodeURIComponent(secret)))) {
        found.push(`${r.method} ${r.url} carries a secret`);
      }
    }
  }
  return found;
}

/** A page a test opened, and the secrets it typed or pasted there (which no request may carry). */
export interface TrackedSession {
  session: Session;
  secrets: string[];
}

/**
 * The page for one test file: the static server and Chromium start before its first test and stop after
 * its last; after every test, no session it opened sent a secret or left 127.0.0.1, and none logged a CSP
 * violation or a script error. `open` starts a tracked session at a path; `sessions` lists them (a test may
 * add secrets it learns later, such as a token the page built).
 */
export function inspectorForFile(now: Date) {
  let browser: Browser | undefined;
  let server: Server | undefined;
  let origin = '';
  const sessions: TrackedSession[] = [];
  beforeAll(async () => {
    ensureBuilt();
    ({ server, origin } = await startStaticServer());
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });
  afterEach(async () => {
    for (const { session, secrets } of sessions.splice(0)) {
      expect(leaks(session, origin, secrets)).toEqual([]);
      expect(session.errors).toEqual([]);
      await session.context.close();
    }
  });
  return {
    sessions,
    get origin() {
      return origin;
    },
    get browser(): Browser {
      if (!browser) throw new Error('Chromium is not started yet (use the page inside a test)');
      return browser;
    },
    /** A tracked session with the page at `path`. */
    async open(secrets: string[], options: BrowserContextOptions = {}, path = '/'): Promise<Session> {
      const session = await openSession(this.browser, now, options);
      sessions.push({ session, secrets });
      await session.page.goto(origin + path);
      return session;
    },
  };
}

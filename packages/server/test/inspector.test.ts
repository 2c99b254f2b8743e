/** The inspector's static files at `/` and `/assets/*`: content types, CSP, no path escapes. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../src/index.js';
import { findInspector, inspectorLine, inspectorRoutes } from '../src/http/routes/inspector.js';
import { SERVER_VERSION } from '../src/version.js';
import { config, tempDir } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
let url: string;
const app = Fastify();

beforeAll(async () => {
  tmp = tempDir();
  mkdirSync(join(tmp.dir, 'assets'));
  writeFileSync(
    join(tmp.dir, 'index.html'),
    '<!doctype html><title>inspector</title><script type="module" src="/assets/app.js"></script>',
  );
  writeFileSync(join(tmp.dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmp.dir, 'secret.txt'), 'not for you');
  writeFileSync(join(tmp.dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  // with a trailing separator, as @daily-tokens/inspector exports its folder
  await app.register(inspectorRoutes(`${tmp.dir}/`));
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  tmp.remove();
});

describe('inspector static files', () => {
  it('serves index.html at / and assets with their types under a strict CSP', async () => {
    const home = await fetch(`${url}/`);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await home.text()).toContain('<title>inspector</title>');
    const csp = home.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    const js = await fetch(`${url}/assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    const icon = await fetch(`${url}/favicon.svg`);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it.each([
    '/assets/../secret.txt',
    '/assets/..%2fsecret.txt',
    '/assets/missing.js',
    '/assets/app.exe',
    '/secret.txt',
    '/..%2f..%2fetc%2fpasswd',
  ])('%s → 404', async (path) => {
    const r = await fetch(`${url}${path}`);
    expect(r.status).toBe(404);
    expect(await r.text()).not.toContain('not for you');
  });
});

describe('without the inspector', () => {
  it('an npm install without it: `/` and the start-up line say to install it, not to build it', async () => {
    const t = tempDir();
    const lines: string[] = [];
    const svc = await serve(config({ data: join(t.dir, 'data') }), {
      out: (l) => lines.push(l),
      signals: false,
      build: { inspectorPackage: '@daily-tokens/no-such-inspector' },
    });
    try {
      expect(lines[1]).toBe(
        `inspector: not served (@daily-tokens/inspector is not installed); to serve it at ${svc.url}/ run: npm install @daily-tokens/inspector@${SERVER_VERSION}`,
      );
      expect(lines.join('\n')).not.toContain(`inspector: ${svc.url}/`);
      const page = await (await fetch(`${svc.url}/`)).text();
      expect(page).toContain(`Run <code>npm install @daily-tokens/inspector@${SERVER_VERSION}</code>`);
      expect(page).not.toContain('npm run build');
    } finally {
      await svc.close();
      t.remove();
    }
  });

  it('a checkout of this repository with the page not built: the workspace build command', async () => {
    const t = tempDir();
    mkdirSync(join(t.dir, 'src'));
    writeFileSync(join(t.dir, 'src', 'main.ts'), '');
    writeFileSync(join(t.dir, 'index.mjs'), `export const inspectorDir = ${JSON.stringify(join(t.dir, 'dist/'))};`);
    try {
      const status = await findInspector(pathToFileURL(join(t.dir, 'index.mjs')).href);
      expect(status).toMatchObject({ missing: 'build', fix: 'npm run build -w @daily-tokens/inspector' });
      expect(inspectorLine(status, 'http://127.0.0.1:8787')).toBe(
        'inspector: not served (the inspector is not built); to serve it at http://127.0.0.1:8787/ run: npm run build -w @daily-tokens/inspector',
      );
      // an installed package without its page (no sources beside it): reinstall
      rmSync(join(t.dir, 'src'), { recursive: true });
      expect(await findInspector(pathToFileURL(join(t.dir, 'index.mjs')).href)).toMatchObject({
        missing: 'broken',
        fix: `npm install @daily-tokens/inspector@${SERVER_VERSION}`,
      });
    } finally {
      t.remove();
    }
  });

  it('the installed inspector is found and announced at its address', async () => {
    const status = await findInspector();
    expect(status.dir).toMatch(/dist\/$/);
    expect(inspectorLine(status, 'http://127.0.0.1:8787')).toBe('inspector: http://127.0.0.1:8787/');
  });
});

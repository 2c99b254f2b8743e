/** The inspector's static files at `/` and `/assets/*`: content types, CSP, no path escapes. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectorRoutes } from '../src/routes/inspector.js';
import { tempDir } from './helpers.js';

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

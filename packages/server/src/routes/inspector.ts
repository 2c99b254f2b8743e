/**
 * The inspector at `/`: static files of `@daily-tokens/inspector` (loaded optionally, so the server
 * builds without it). Without the built files, `/` explains how to build them instead of failing.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MISSING = `<!doctype html><meta charset="utf-8"><title>daily-tokens</title>
<h1>daily-tokens service</h1>
<p>The inspector is not built. Build it with <code>npm run build -w @daily-tokens/inspector</code> and restart.</p>
<p>The API is at <a href="/openapi.json">/openapi.json</a>.</p>`;

/** The built inspector folder, or undefined when the package or its build is missing. */
export async function findInspectorDir(): Promise<string | undefined> {
  try {
    const name = '@daily-tokens/inspector';
    const mod = (await import(name)) as { inspectorDir?: unknown };
    if (typeof mod.inspectorDir !== 'string') return undefined;
    await readFile(join(mod.inspectorDir, 'index.html'));
    return mod.inspectorDir;
  } catch {
    return undefined;
  }
}

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

export function inspectorRoutes(dir: string | undefined) {
  return async (app: FastifyInstance): Promise<void> => {
    // not part of the API document
    const hide = { schema: { hide: true } };
    app.get('/', hide, async (_request, reply) => {
      secure(reply).type('text/html; charset=utf-8');
      if (!dir) return MISSING;
      return readFile(join(dir, 'index.html'));
    });
    /** Sends `rel` from `folder` if it stays inside it and has a known type; JSON 404 otherwise. */
    const sendFile = async (reply: FastifyReply, base: string, rel: string) => {
      const folder = resolve(base); // no trailing separator, whatever the package exported
      const file = normalize(join(folder, rel));
      const type = TYPES[extname(file)];
      if (!dir || !file.startsWith(folder + sep) || !type) {
        return reply.code(404).send({ error: 'not-found', info: 'no such file' });
      }
      try {
        const data = await readFile(file);
        return secure(reply).type(type).header('cache-control', 'public, max-age=3600').send(data);
      } catch {
        return reply.code(404).send({ error: 'not-found', info: 'no such file' });
      }
    };
    app.get<{ Params: { '*': string } }>('/assets/*', hide, (request, reply) =>
      sendFile(reply, join(dir ?? '/nonexistent', 'assets'), request.params['*']),
    );
    // top-level files of the build (favicon.svg …); fixed routes such as /healthz take precedence
    app.get<{ Params: { file: string } }>('/:file', hide, (request, reply) =>
      sendFile(reply, dir ?? '/nonexistent', request.params.file),
    );
  };
}

/**
 * The inspector at `/`: static files of `@daily-tokens/inspector` (an optional dependency, so the server
 * installs without it). Without it, `/` and the start-up line say why and the one command that fixes it: an
 * npm install for npm users, the workspace build in a checkout of this repository.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SERVER_VERSION } from '../../version.js';

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

const INSPECTOR = '@daily-tokens/inspector';

/**
 * Where the inspector is, or why it is not served: `package` when `@daily-tokens/inspector` is not installed (an
 * npm install without optional dependencies), `build` when it is a workspace of this repository not built yet,
 * `broken` when an installed package lacks its page. Each says the one thing to do.
 */
export type InspectorStatus = { dir: string; missing?: undefined } | InspectorMissing;
export interface InspectorMissing {
  dir?: undefined;
  missing: 'package' | 'build' | 'broken';
  reason: string;
  fix: string;
}

/**
 * Finds the built inspector. `specifier` is the package to load (tests name one that is not installed).
 */
export async function findInspector(specifier = INSPECTOR): Promise<InspectorStatus> {
  let mod: { inspectorDir?: unknown };
  try {
    mod = (await import(specifier)) as typeof mod;
  } catch {
    return {
      missing: 'package',
      reason: `${INSPECTOR} is not installed`,
      fix: `npm install ${INSPECTOR}@${SERVER_VERSION}`,
    };
  }
  const dir = typeof mod.inspectorDir === 'string' ? mod.inspectorDir : undefined;
  if (dir) {
    try {
      await readFile(join(dir, 'index.html'));
      return { dir };
    } catch {}
  }
  // A checkout of this repository has the page's sources beside dist/; an installed package ships only dist/.
  const pkgRoot = dir ? resolve(dir, '..') : undefined;
  if (pkgRoot && existsSync(join(pkgRoot, 'src', 'main.ts'))) {
    return {
      missing: 'build',
      reason: 'the inspector is not built',
      fix: `npm run build -w ${INSPECTOR}`,
    };
  }
  return {
    missing: 'broken',
    reason: `${INSPECTOR} is installed without its page`,
    fix: `npm install ${INSPECTOR}@${SERVER_VERSION}`,
  };
}

/** The built inspector folder, or undefined when the package or its build is missing. */
export async function findInspectorDir(): Promise<string | undefined> {
  return (await findInspector()).dir;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page at `/` when the inspector is not served: why, and the one command that fixes it. */
export function missingPage(status: InspectorMissing): string {
  return `<!doctype html><meta charset="utf-8"><title>daily-tokens</title>
<h1>daily-tokens service</h1>
<p>The token inspector is not served here: ${escapeHtml(status.reason)}. Run <code>${escapeHtml(status.fix)}</code> and restart the service.</p>
<p>The API is at <a href="/openapi.json">/openapi.json</a>.</p>`;
}

/** The start-up line about the inspector: its address, or why it is not served and what to run. */
export function inspectorLine(status: InspectorStatus, url: string): string {
  return status.missing
    ? `inspector: not served (${status.reason}); to serve it at ${url}/ run: ${status.fix}`
    : `inspector: ${url}/`;
}

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

export function inspectorRoutes(found: string | InspectorStatus | undefined) {
  const status: InspectorStatus =
    typeof found === 'string'
      ? { dir: found }
      : (found ?? {
          missing: 'package',
          reason: `${INSPECTOR} is not installed`,
          fix: `npm install ${INSPECTOR}@${SERVER_VERSION}`,
        });
  const dir = status.dir;
  return async (app: FastifyInstance): Promise<void> => {
    // not part of the API document
    const hide = { schema: { hide: true } };
    app.get('/', hide, async (_request, reply) => {
      secure(reply).type('text/html; charset=utf-8');
      if (status.missing) return missingPage(status);
      return readFile(join(status.dir, 'index.html'));
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

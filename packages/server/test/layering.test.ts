/**
 * The source's layout is its architecture: entry points on top, then the HTTP front ends (http/), the
 * emulator's helpers, the service operations (service/), and below them everything they stand on (store,
 * caches, limits, logging, config). An import may only run down. The service layer knows nothing of HTTP:
 * both front ends call it, so it imports no Fastify.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const ENTRY_POINTS = new Set(['index.ts', 'cli.ts', 'serve.ts', 'testing.ts']);

/** Higher layers may import lower ones, never the other way. */
function layer(file: string): number {
  if (ENTRY_POINTS.has(file)) return 5;
  const top = file.split('/')[0];
  if (top === 'http') return 4;
  if (top === 'emulator') return 3;
  if (top === 'service') return 2;
  return 1;
}

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module a file names, static or dynamic import, as written. */
function specifiers(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] as string);
}

const files = sources().map((path) => ({ path, file: relative(SRC, path), text: readFileSync(path, 'utf8') }));

describe('server source layering', () => {
  it('finds the layers it checks', () => {
    const layers = new Set(files.map((f) => layer(f.file)));
    expect([...layers].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('has no import that runs back up', () => {
    const up: string[] = [];
    for (const { path, file, text } of files) {
      for (const spec of specifiers(text)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(SRC, resolve(dirname(path), spec)).replace(/\.js$/, '.ts');
        if (layer(target) > layer(file)) up.push(`${file} → ${target}`);
      }
    }
    expect(up).toEqual([]);
  });

  it('keeps Fastify out of the service operations and everything below them', () => {
    const service = files.filter((f) => layer(f.file) <= 2);
    expect(service.filter((f) => f.file.startsWith('service/')).length).toBeGreaterThan(5);
    const fastify = service
      .filter((f) =>
        specifiers(f.text).some((s) => s === 'fastify' || s.startsWith('fastify-') || s.startsWith('@fastify/')),
      )
      .map((f) => f.file);
    expect(fastify).toEqual([]);
  });
});

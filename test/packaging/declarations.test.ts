/**
 * The library's declarations, as consumers compile them: every common `module`/`moduleResolution` pair, with and
 * without DOM types (and never @types/node), strict, without skipLibCheck. A `#private` member, a DOM-only or a
 * Node-only type in a public signature fails here.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

// Uses the types a consumer touches first: options, results, errors, the REST client and its fetch option.
const CONSUMER = `import { createMeetingToken, verifyMeetingToken, lintMeetingToken, decodeUnverified, MeetingTokenError,
  type MeetingTokenProperties } from 'daily-tokens';
import { readRoomProperties } from 'daily-tokens/rooms';
import { DailyApiError, DailyRestClient } from 'daily-tokens/rest';
import { explainClaims } from 'daily-tokens/explain';
import { meetingTokenPropertiesSchema } from 'daily-tokens/schema';
import { cleanTokenInput, type CleanedTokenInput } from 'daily-tokens/token-input';
const properties: MeetingTokenProperties = { room_name: 'standup', permissions: { canSend: ['video'] } };
export async function mint(apiKey: string): Promise<string> {
  const token = await createMeetingToken(properties, { apiKey, domainId: 'd', expiresIn: '15m' });
  const result = await verifyMeetingToken(token, { apiKey });
  if (!result.valid) throw new Error(result.problems.map((p) => p.code).join());
  lintMeetingToken(token).forEach((f) => f.rule);
  return decodeUnverified(token).properties.room_name ?? '';
}
export const rooms = readRoomProperties;
export const explained = explainClaims({ r: 'standup' }, {}, 0).map((row) => row.meaning);
export const schema = meetingTokenPropertiesSchema();
export const client = new DailyRestClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:8787/v1' });
export const errors = [DailyApiError, MeetingTokenError];
export const pasted: CleanedTokenInput = cleanTokenInput('Bearer "a.b.c"');
`;

interface Setting {
  name: string;
  type: 'module' | 'commonjs';
  options: Record<string, unknown>;
}

const NO_DOM = { lib: ['es2022'] };
const WITH_DOM = { lib: ['es2022', 'dom'] };
// "default target" is TypeScript's (ES5), where a `#private` member in a .d.ts is an error; the lib is named
// because ES5's own lib has no Map, Set or Promise constructor, which no consumer of async APIs lives without.
const SETTINGS: Setting[] = [
  {
    name: 'commonjs + node10, default target, with DOM',
    type: 'commonjs',
    options: { module: 'commonjs', moduleResolution: 'node10', ...WITH_DOM },
  },
  {
    name: 'commonjs + node10, es2022 without DOM',
    type: 'commonjs',
    options: { module: 'commonjs', moduleResolution: 'node10', target: 'es2022', ...NO_DOM },
  },
  { name: 'node16 (CommonJS consumer), without DOM', type: 'commonjs', options: { module: 'node16', ...NO_DOM } },
  { name: 'node16 (ESM consumer), with DOM', type: 'module', options: { module: 'node16', ...WITH_DOM } },
  { name: 'nodenext (ESM consumer), without DOM', type: 'module', options: { module: 'nodenext', ...NO_DOM } },
  { name: 'nodenext (CommonJS consumer), with DOM', type: 'commonjs', options: { module: 'nodenext', ...WITH_DOM } },
  {
    name: 'bundler, without DOM',
    type: 'module',
    options: { module: 'esnext', moduleResolution: 'bundler', target: 'es2022', ...NO_DOM },
  },
  {
    name: 'bundler, default target, without DOM',
    type: 'module',
    options: { module: 'preserve', moduleResolution: 'bundler', ...NO_DOM },
  },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'daily-tokens-dts-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'packages/core'), join(dir, 'node_modules/daily-tokens'), 'dir');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('declarations compile for consumers', () => {
  it.each(SETTINGS)('$name', async ({ name, type, options }) => {
    const project = join(dir, name.replace(/\W+/g, '-'));
    mkdirSync(project);
    symlinkSync(join(dir, 'node_modules'), join(project, 'node_modules'), 'dir');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type }));
    // With DOM types, the global fetch must fit the client's `fetch` option as it is.
    const dom = !('lib' in options) || (options.lib as string[]).includes('dom');
    writeFileSync(
      join(project, 'index.ts'),
      dom ? `${CONSUMER}export const own = new DailyRestClient({ apiKey: 'k', fetch });\n` : CONSUMER,
    );
    const compilerOptions = { strict: true, noEmit: true, types: [], skipLibCheck: false, ...options };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }));
    const out = await promisify(execFile)(process.execPath, [TSC, '-p', project], { encoding: 'utf8' }).then(
      () => '',
      (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}` || String(e),
    );
    expect(out).toBe('');
  });
});

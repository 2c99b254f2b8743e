/**
 * Where API keys come from: DAILY_API_KEY, --api-key-file PATH, or --api-key - (stdin). Never argv:
 * command-line arguments end up in shell history and in `ps` output for every user of the machine.
 */
import type { KeyringEntry } from 'daily-tokens';
import { usage } from '../errors.js';
import type { Context } from './context.js';
import { readFileLimited, readStreamLimited } from './read.js';

const KEY_FILE_LIMIT = 64 * 1024;

export const KEY_WAYS = [
  '  DAILY_API_KEY=...       in the environment (or in a file named by --env-file PATH)',
  '  --api-key-file PATH     a file holding the key; one key per line, the first active, the rest rotated out',
  '  --api-key -             read the key from stdin, e.g. `pass show daily | daily-tokens ... --api-key -`',
].join('\n');

export const LITERAL_KEY_REFUSAL = `refusing an API key given on the command line: arguments end up in shell history and in \`ps\` output. Give the key in one of three ways:\n${KEY_WAYS}`;

export interface KeyOptions {
  apiKey?: string;
  apiKeyFile?: string;
}

export interface Keys {
  /** The active key first, then rotated-out keys (active: false). */
  ring: KeyringEntry[];
  /** Where the keys came from, for messages: never the key itself. */
  source: string;
}

/**
 * Finds `--api-key <literal>` / `--api-key=<literal>` anywhere in argv, before any parsing, so the key
 * is refused (and scrubbed) even on commands that do not take the option.
 */
export function findLiteralKey(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return undefined;
    if (arg.startsWith('--api-key=')) {
      const v = arg.slice('--api-key='.length);
      if (v !== '-') return v;
    } else if (arg === '--api-key') {
      const v = argv[i + 1];
      if (v !== undefined && v !== '-' && !v.startsWith('-')) return v;
    }
  }
  return undefined;
}

/** One key per non-blank line; `#` starts a comment line. The first is active, the rest rotated out. */
export function parseKeyList(text: string, source: string): KeyringEntry[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw usage(`${source} holds no key (one key per line; blank and # lines are skipped)`);
  return lines.map((secret, i) => ({ id: `${source} key ${i + 1}`, secret, active: i === 0 }));
}

/**
 * Reads the keys the options and environment point at, or undefined when there are none.
 * `stdinBusy` names what already reads stdin (a token given as `-`), which rules out `--api-key -`.
 */
export async function readKeys(opts: KeyOptions, ctx: Context, stdinBusy?: string): Promise<Keys | undefined> {
  if (opts.apiKey !== undefined && opts.apiKey !== '-') {
    ctx.secrets.add(opts.apiKey);
    throw usage(LITERAL_KEY_REFUSAL);
  }
  if (opts.apiKey === '-' && opts.apiKeyFile !== undefined) {
    throw usage('give the key once: --api-key - (stdin) or --api-key-file PATH, not both');
  }
  let keys: Keys | undefined;
  if (opts.apiKey === '-') {
    if (stdinBusy)
      throw usage(`stdin cannot carry both the API key and ${stdinBusy}; use --api-key-file or DAILY_API_KEY`);
    const text = await readStreamLimited(ctx.stdin, KEY_FILE_LIMIT, 'the API key on stdin');
    keys = { ring: parseKeyList(text, 'stdin'), source: 'stdin (--api-key -)' };
  } else if (opts.apiKeyFile !== undefined) {
    const text = await readFileLimited(opts.apiKeyFile, KEY_FILE_LIMIT, '--api-key-file');
    keys = { ring: parseKeyList(text, 'key file'), source: `--api-key-file ${opts.apiKeyFile}` };
  } else if (ctx.env.DAILY_API_KEY !== undefined && ctx.env.DAILY_API_KEY.trim() !== '') {
    keys = {
      ring: [{ id: 'DAILY_API_KEY', secret: ctx.env.DAILY_API_KEY.trim(), active: true }],
      source: 'DAILY_API_KEY',
    };
  }
  for (const k of keys?.ring ?? []) if (typeof k.secret === 'string') ctx.secrets.add(k.secret);
  return keys;
}

/** Like readKeys, but a missing key is a usage error that shows the three ways to give one. */
export async function requireKeys(opts: KeyOptions, ctx: Context, why: string, stdinBusy?: string): Promise<Keys> {
  const keys = await readKeys(opts, ctx, stdinBusy);
  if (!keys) throw usage(`${why} needs the domain's API key. Give it in one of three ways:\n${KEY_WAYS}`);
  return keys;
}

/** The domain id from --domain-id or DAILY_DOMAIN_ID. */
export function readDomainId(flag: string | undefined, ctx: Context): string | undefined {
  const v = flag ?? ctx.env.DAILY_DOMAIN_ID;
  if (v === undefined) return undefined;
  const id = v.trim();
  if (id === '') throw usage('the domain id is empty; set --domain-id or DAILY_DOMAIN_ID to domain_id from GET /v1/');
  if (id.length > 256) throw usage('the domain id is longer than 256 characters; it should be a UUID');
  return id;
}

/** JSON from a flag: inline `'{"a":1}'`, `@file.json`, or `-`/`@-` for stdin. */
import { usage } from '../errors.js';
import type { Context } from './context.js';
import { readFileLimited, readStreamLimited } from './read.js';

const JSON_LIMIT = 1024 * 1024;

export async function readJsonArg(value: string, flag: string, ctx: Context): Promise<unknown> {
  let text: string;
  let where: string;
  if (value === '-' || value === '@-') {
    text = await readStreamLimited(ctx.stdin, JSON_LIMIT, `${flag} on stdin`);
    where = `${flag} (stdin)`;
  } else if (value.startsWith('@')) {
    text = await readFileLimited(value.slice(1), JSON_LIMIT, flag);
    where = `${flag} ${value}`;
  } else {
    if (value.length > JSON_LIMIT) throw usage(`${flag} is larger than ${JSON_LIMIT} bytes`);
    text = value;
    where = flag;
  }
  return parseJson(text, where);
}

export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw usage(`${where} is not valid JSON (${reason}); write e.g. '{"room_name":"standup"}' or @file.json`);
  }
}

/** JSON that must be an object (properties, claims). */
export async function readJsonObjectArg(value: string, flag: string, ctx: Context): Promise<Record<string, unknown>> {
  const v = await readJsonArg(value, flag, ctx);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw usage(
      `${flag} must be a JSON object such as {"room_name":"standup"}, got ${Array.isArray(v) ? 'an array' : typeof v}`,
    );
  }
  return v as Record<string, unknown>;
}

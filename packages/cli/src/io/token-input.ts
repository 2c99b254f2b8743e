/** Reading the token argument: literal, `-` for stdin, or piped stdin when the argument is left out. */
import { MAX_TOKEN_LENGTH } from 'daily-tokens';
import { usage } from '../errors.js';
import type { Context } from './context.js';
import { readStreamLimited } from './read.js';

export interface TokenInput {
  token: string;
  /** What was done to the input to find the token, for a note on stderr. */
  note?: string;
}

/**
 * Takes the token from the argument, or from stdin for `-` (or no argument with stdin piped).
 * Tolerates what people paste at 2 a.m.: surrounding whitespace and quotes, a `Bearer ` prefix,
 * a meeting URL carrying the token as `?t=`.
 */
export async function readTokenInput(arg: string | undefined, ctx: Context): Promise<TokenInput> {
  let raw: string;
  if (arg === undefined || arg === '-') {
    if (arg === undefined && ctx.stdin.isTTY) {
      throw usage('no token given: pass it as an argument, or `-` to read it from stdin');
    }
    // Twice the token cap, so an over-long token still reaches the checks that explain the limit.
    raw = await readStreamLimited(ctx.stdin, 2 * MAX_TOKEN_LENGTH, 'the token on stdin');
  } else raw = arg;
  return cleanToken(raw);
}

export function cleanToken(raw: string): TokenInput {
  let token = raw.trim();
  const notes: string[] = [];
  if (/^(["']).*\1$/s.test(token)) {
    token = token.slice(1, -1).trim();
    notes.push('removed surrounding quotes');
  }
  if (/^bearer\s+/i.test(token)) {
    token = token.replace(/^bearer\s+/i, '');
    notes.push('removed the "Bearer " prefix');
  }
  if (/^https?:\/\//i.test(token)) {
    let t: string | null = null;
    try {
      t = new URL(token).searchParams.get('t');
    } catch {
      // Not a URL after all: leave it for the token checks to explain.
    }
    if (t) {
      token = t;
      notes.push("took the token from the URL's ?t= parameter");
    }
  }
  if (token === '') throw usage('the token is empty');
  return notes.length ? { token, note: notes.join('; ') } : { token };
}

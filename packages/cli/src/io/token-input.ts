/** Reading the token argument: literal, `-` for stdin, or piped stdin when the argument is left out. */
import { MAX_TOKEN_LENGTH } from 'daily-tokens';
import { cleanTokenInput } from 'daily-tokens/token-input';
import { usage } from '../errors.js';
import type { Context } from './context.js';
import { readStreamLimited } from './read.js';

export interface TokenInput {
  token: string;
  /** What was done to the input to find the token, for a note on stderr. */
  note?: string;
}

/**
 * Takes the token from the argument, or from stdin for `-` (or no argument with stdin piped), and takes off
 * what people paste along with it (the core's `cleanTokenInput`: a `Bearer ` prefix or an `Authorization:`
 * header, quotes, wrapped lines, a link carrying the token), saying what it took off.
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
  const { token, notes } = cleanTokenInput(raw);
  if (token === '') throw usage('the token is empty');
  return notes.length ? { token, note: notes.join('; ') } : { token };
}

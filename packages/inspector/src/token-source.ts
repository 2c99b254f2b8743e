/**
 * Where a token comes from: pasted text (tolerating what people copy along with it) or the URL
 * fragment `#token=…`. The fragment never reaches a server; the query string does, so a token there is
 * refused and the page says why.
 */
import { cleanTokenInput, MAX_TOKEN_INPUT_LENGTH } from 'daily-tokens/token-input';

/** Room for a `Bearer ` prefix, quotes and whitespace around the longest token (the core's own limit). */
export const MAX_PASTE_LENGTH = MAX_TOKEN_INPUT_LENGTH;

/**
 * The token in pasted text: the core's `cleanTokenInput`, shared with the CLI and the service (quotes, an
 * `Authorization:` header name, a `Bearer ` prefix in any nesting, wrapped lines, a `#token=` or `?t=` link).
 */
export function normalizeToken(raw: string): string {
  return cleanTokenInput(raw).token;
}

/** The token in a fragment such as `#token=eyJ…` (other `&`-separated keys are ignored). */
export function tokenFromFragment(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token === null ? undefined : token;
}

/** True when the query string carries a token, which has then already been sent to the server. */
export function queryHasToken(search: string): boolean {
  return new URLSearchParams(search).has('token');
}

/** A link to this page (`href` without query or fragment) that opens `token` from the fragment. */
export function linkFor(href: string, token: string): string {
  return `${href.split(/[?#]/)[0]}#token=${token}`;
}

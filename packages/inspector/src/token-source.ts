/**
 * Where a token comes from: pasted text (tolerating what people copy along with it) or the URL
 * fragment `#token=…`. The fragment never reaches a server; the query string does, so a token there is
 * refused and the page says why.
 */
import { MAX_TOKEN_LENGTH } from 'daily-tokens';

/** Room for a `Bearer ` prefix, quotes and whitespace around the longest token. */
export const MAX_PASTE_LENGTH = MAX_TOKEN_LENGTH + 256;

/**
 * Strips surrounding whitespace, quotes (`"…"`, `'…'`, `` `…` ``), an `Authorization:` header name and a
 * `Bearer ` prefix, in any nesting people paste them in, plus whitespace inside (wrapped lines).
 */
export function normalizeToken(raw: string): string {
  let s = raw.trim();
  for (let previous = ''; previous !== s; ) {
    previous = s;
    s = s.replace(/^authorization\s*:\s*/i, '').trim();
    s = s.replace(/^bearer\s+/i, '').trim();
    const first = s[0];
    if (s.length >= 2 && (first === '"' || first === "'" || first === '`') && s.endsWith(first)) {
      s = s.slice(1, -1).trim();
    }
  }
  return s.replace(/\s+/g, '');
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

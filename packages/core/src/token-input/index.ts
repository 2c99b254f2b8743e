/**
 * `daily-tokens/token-input`: what people copy along with a meeting token (a header, quotes, line breaks, a
 * link) is taken off in one place, so the CLI, the inspector and the service agree on what a paste means. Its
 * own entry, so that bundles which never read a pasted token do not carry it.
 *
 * @packageDocumentation
 */
import { MAX_TOKEN_LENGTH } from '../jwt/parse.js';

/** The longest paste that is cleaned: room for a header name, quotes, a link and wrapping around the longest token. */
export const MAX_TOKEN_INPUT_LENGTH = 2 * MAX_TOKEN_LENGTH;

/** A pasted token with what was around it taken off. */
export interface CleanedTokenInput {
  /** The token as found; may still be malformed (the decoder says why). Empty when the paste was empty. */
  token: string;
  /** What was taken off, in order, in words (`removed the "Bearer " prefix`); empty when nothing was. */
  notes: string[];
}

const QUOTES = new Set(['"', "'", '`']);
const HEADER = /^authorization\s*:\s*/i;
const BEARER = /^bearer(?:\s+|(?=["'`]))/i;
const LINK = /^(?:https?|file):\/\//i;

/** `#token=…` or `?t=` / `?token=` of a link, or undefined. Daily's meeting links carry the token as `?t=`. */
function tokenFromLink(text: string): { token: string; note: string } | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined; // not a URL after all: left for the token checks to explain
  }
  const fragment = new URLSearchParams(url.hash.replace(/^#/, '')).get('token');
  if (fragment) return { token: fragment, note: "took the token from the link's #token= fragment" };
  for (const name of ['t', 'token']) {
    const value = url.searchParams.get(name);
    if (value) return { token: value, note: `took the token from the URL's ?${name}= parameter` };
  }
  return undefined;
}

/**
 * Finds the token in pasted text: takes off surrounding whitespace and quotes (`"…"`, `'…'`, `` `…` ``), an
 * `Authorization:` header name and a `Bearer ` prefix in any nesting (quotes after the prefix too), the
 * whitespace of a token wrapped over lines (and shell `\` line continuations), and reads the token out of a
 * link (`…#token=eyJ…`, Daily's meeting link `…?t=eyJ…`, `?token=`). Never throws; what is left is for the
 * decoder to judge. Input over `MAX_TOKEN_INPUT_LENGTH` is only trimmed, so the decoder refuses it by size.
 *
 * @example
 * ```ts
 * cleanTokenInput('Authorization: Bearer "eyJhbGciOi…"').token; // 'eyJhbGciOi…'
 * cleanTokenInput('https://acme.daily.co/standup?t=eyJhbGciOi…').notes; // ["took the token from the URL's ?t= parameter"]
 * ```
 */
export function cleanTokenInput(raw: string): CleanedTokenInput {
  let s = raw.trim();
  const notes: string[] = [];
  if (s.length > MAX_TOKEN_INPUT_LENGTH) return { token: s, notes };
  const note = (n: string) => {
    if (!notes.includes(n)) notes.push(n);
  };
  for (let previous = ''; previous !== s; ) {
    previous = s;
    if (HEADER.test(s)) {
      s = s.replace(HEADER, '').trim();
      note('removed the "Authorization:" header name');
    }
    if (BEARER.test(s)) {
      s = s.replace(BEARER, '').trim();
      note('removed the "Bearer " prefix');
    }
    const first = s[0] as string;
    if (s.length >= 2 && QUOTES.has(first) && s.endsWith(first)) {
      s = s.slice(1, -1).trim();
      note('removed surrounding quotes');
    }
    if (LINK.test(s)) {
      const found = tokenFromLink(s);
      if (found) {
        s = found.token.trim();
        note(found.note);
      }
    }
  }
  if (/\s/.test(s)) {
    // A token wrapped by a terminal, an e-mail or a shell `\` continuation; a token itself has no whitespace.
    s = s.replace(/\\\r?\n/g, '').replace(/\s+/g, '');
    note('joined the lines of a wrapped token (removed whitespace inside it)');
  }
  return { token: s, notes };
}

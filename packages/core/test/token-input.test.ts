/**
 * The one cleaner of pasted tokens (CLI, inspector, service): the cases the CLI and the inspector each tested
 * on their own, and the pastes that only one of them understood.
 */
import { describe, expect, it } from 'vitest';
import { decodeUnverified, MAX_TOKEN_LENGTH } from '../src/index.js';
import { cleanTokenInput, MAX_TOKEN_INPUT_LENGTH } from '../src/token-input/index.js';
import { DOCS_TOKEN } from './fixtures.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyIjoiaGVsbG8ifQ.c2lnbmF0dXJl';
const QUOTES = 'removed surrounding quotes';
const BEARER = 'removed the "Bearer " prefix';
const HEADER = 'removed the "Authorization:" header name';
const JOINED = 'joined the lines of a wrapped token (removed whitespace inside it)';

describe('cleanTokenInput', () => {
  it.each([
    // the CLI's cases
    ['  a.b.c \n', 'a.b.c', []],
    ['"a.b.c"', 'a.b.c', [QUOTES]],
    ['Bearer a.b.c', 'a.b.c', [BEARER]],
    ['https://acme.daily.co/room?t=a.b.c', 'a.b.c', ["took the token from the URL's ?t= parameter"]],
    ['https://acme.daily.co/room', 'https://acme.daily.co/room', []],
    // the inspector's cases
    [TOKEN, TOKEN, []],
    [`  ${TOKEN}\n`, TOKEN, []],
    [`Bearer ${TOKEN}`, TOKEN, [BEARER]],
    [`bearer   ${TOKEN}`, TOKEN, [BEARER]],
    [`"${TOKEN}"`, TOKEN, [QUOTES]],
    [`'Bearer ${TOKEN}'`, TOKEN, [QUOTES, BEARER]],
    [`"Bearer '${TOKEN}'"`, TOKEN, [QUOTES, BEARER]],
    [`Authorization: Bearer ${TOKEN}`, TOKEN, [HEADER, BEARER]],
    [`\`${TOKEN}\``, TOKEN, [QUOTES]],
    [`${TOKEN.slice(0, 20)}\n  ${TOKEN.slice(20)}`, TOKEN, [JOINED]],
    // what the CLI used to refuse as "header (part 1) is not canonical base64url"
    [`Bearer "${TOKEN}"`, TOKEN, [BEARER, QUOTES]],
    [`Bearer"${TOKEN}"`, TOKEN, [BEARER, QUOTES]],
    [`authorization:Bearer ${TOKEN}\r\n`, TOKEN, [HEADER, BEARER]],
    [`${TOKEN.slice(0, 30)} \\\n${TOKEN.slice(30)}`, TOKEN, [JOINED]],
    // links: the inspector's fragment, Daily's ?t=, and both wrapped in quotes
    [`https://tokens.example/#token=${TOKEN}`, TOKEN, ["took the token from the link's #token= fragment"]],
    [`file:///srv/inspector/index.html#x=1&token=${TOKEN}`, TOKEN, ["took the token from the link's #token= fragment"]],
    [`"https://acme.daily.co/standup?t=${TOKEN}"`, TOKEN, [QUOTES, "took the token from the URL's ?t= parameter"]],
    [`https://tokens.example/?token=${TOKEN}`, TOKEN, ["took the token from the URL's ?token= parameter"]],
  ])('%j → %j', (raw, token, notes) => {
    expect(cleanTokenInput(raw)).toEqual({ token, notes });
  });

  it('a cleaned paste of a real token decodes', () => {
    const pasted = `Authorization: Bearer "${DOCS_TOKEN.slice(0, 40)}\n    ${DOCS_TOKEN.slice(40)}"`;
    expect(decodeUnverified(cleanTokenInput(pasted).token).claims.r).toBe('hello');
  });

  it('leaves garbage for the decoder to reject, and keeps an unmatched quote', () => {
    expect(cleanTokenInput('not a token').token).toBe('notatoken');
    expect(cleanTokenInput(`"${TOKEN}`)).toEqual({ token: `"${TOKEN}`, notes: [] });
    expect(cleanTokenInput('')).toEqual({ token: '', notes: [] });
    expect(cleanTokenInput('""').token).toBe('');
    expect(cleanTokenInput('Bearer').token).toBe('Bearer');
    expect(cleanTokenInput('https://acme.daily.co/room?t=').token).toBe('https://acme.daily.co/room?t=');
    expect(cleanTokenInput('http://[not a url').token).toBe('http://[notaurl');
  });

  it('allows room for a prefix and quotes around the longest token, and only trims beyond that', () => {
    expect(MAX_TOKEN_INPUT_LENGTH).toBeGreaterThan(MAX_TOKEN_LENGTH + 256);
    const huge = `Bearer ${'a'.repeat(MAX_TOKEN_INPUT_LENGTH)} `;
    expect(cleanTokenInput(huge)).toEqual({ token: huge.trim(), notes: [] });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64urlLengthOf,
  decodeBase64urlString,
  encodeBase64urlString,
  isCanonicalBase64url,
} from '../src/util/base64url.js';
import { parseToken, STANDARD_HEADER } from '../src/jwt/parse.js';

const strict = new TextDecoder('utf-8', { fatal: true });

/** What decodeBase64urlString must return, from first principles: canonical text, then strict UTF-8. */
function expected(s: string): string | undefined {
  if (!isCanonicalBase64url(s)) return undefined;
  try {
    return strict.decode(Buffer.from(s, 'base64url'));
  } catch {
    return undefined;
  }
}

// Mostly the alphabet, with the characters a lenient decoder would skip or accept.
const textChar = fc.constantFrom(
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split(''),
  '+',
  '/',
  '=',
  ' ',
  '\n',
  '.',
  'é',
  '\u{1F600}',
);

describe('decodeBase64urlString', () => {
  it.each([
    ['', ''],
    ['aGk', 'hi'],
    ['aGk=', undefined], // padding
    ['aG k', undefined], // whitespace
    ['aGl', undefined], // unused trailing bits set
    ['a', undefined], // a length no encoder produces
    ['-_8', undefined], // valid alphabet, but bytes fb ff are not UTF-8
    ['77-9', '\uFFFD'], // a real U+FFFD is kept
    ['Pz8_', '???'],
    ['Pz8/', undefined], // base64, not base64url
  ])('%j → %j', (input, output) => {
    expect(decodeBase64urlString(input)).toBe(output);
  });

  it('accepts exactly the canonical encodings of valid UTF-8', () => {
    fc.assert(
      fc.property(fc.array(textChar, { maxLength: 80 }), (chars) => {
        const s = chars.join('');
        expect(decodeBase64urlString(s)).toBe(expected(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every character outside the alphabet, in every position and length (Buffer reads only the low byte of some)', () => {
    const alphabet = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
    // "e30" is "{}" and "eyJhIjoxfQ" is {"a":1}: canonical, so only the replaced character can make them fail
    const bases = ['e30', 'eyJhIjoxfQ', 'eyJhIjoiYiJ9'];
    let tried = 0;
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      if (alphabet.has(c)) continue;
      for (const base of bases) {
        for (const at of [0, 1, base.length - 1]) {
          const s = base.slice(0, at) + c + base.slice(at + 1);
          tried++;
          if (decodeBase64urlString(s) !== undefined)
            throw new Error(`U+${code.toString(16)} at ${at} of ${base} decoded`);
        }
      }
    }
    expect(tried).toBeGreaterThan(500_000);
    // the probe's own example: Ł (U+0141) is A to Buffer
    expect(decodeBase64urlString('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'.replace('J', 'Ł'))).toBeUndefined();
  });

  it('round-trips any string, short or longer than its reusable buffer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.nat({ max: 400 }), (text, repeat) => {
        const long = text.repeat(repeat);
        expect(decodeBase64urlString(Buffer.from(long).toString('base64url'))).toBe(long);
      }),
      { numRuns: 200 },
    );
  });
});

describe('base64urlLengthOf', () => {
  it('is the length of the encoding, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        expect(base64urlLengthOf(s)).toBe(encodeBase64urlString(s).length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseToken', () => {
  it('refuses a header or payload with a character Buffer would misread as a digit', () => {
    const payload = encodeBase64urlString('{"r":"standup"}');
    const sig = 'A'.repeat(43);
    const lenientPayload = parseToken(`${STANDARD_HEADER}.${payload.replace('J', 'Ł')}.${sig}`);
    expect(typeof lenientPayload !== 'string' && lenientPayload.payloadError).toMatch(/not canonical base64url/);
    const header = encodeBase64urlString('{"typ":"JWT","alg":"HS256"}');
    expect(parseToken(`${header.replace('J', 'Ł')}.${payload}.${sig}`)).toMatch(/header \(part 1\) is not canonical/);
  });
});

describe('STANDARD_HEADER', () => {
  it('is the base64url encoding of the header every HS256 signer writes', () => {
    expect(STANDARD_HEADER).toBe(encodeBase64urlString('{"alg":"HS256","typ":"JWT"}'));
  });
});

/** The CLI's pure helpers, table-driven: the line splitter behind batch, argv scanning, token cleanup. */
import { describe, expect, it } from 'vitest';
import { readLines } from '../src/batch/lines.js';
import { cleanToken } from '../src/io/token-input.js';
import { colorsEnabled, scrub } from '../src/io/context.js';
import { findLiteralKey, parseKeyList } from '../src/io/secrets.js';
import { parseInstant } from '../src/io/time.js';

async function* chunks(...parts: string[]) {
  for (const p of parts) yield Buffer.from(p);
}
async function collect(parts: string[], max = 10) {
  const out: unknown[] = [];
  for await (const l of readLines(chunks(...parts), max))
    out.push(l.tooLong ? ['too long', l.number] : [l.text, l.number]);
  return out;
}

describe('readLines', () => {
  it.each([
    [
      ['a\nb\n'],
      [
        ['a', 1],
        ['b', 2],
      ],
    ],
    [
      ['a', 'b\nc'],
      [
        ['ab', 1],
        ['c', 2],
      ],
    ],
    [
      ['a\r\n', '\r\nb'],
      [
        ['a', 1],
        ['', 2],
        ['b', 3],
      ],
    ],
    [
      ['0123456789X\nok\n'],
      [
        ['too long', 1],
        ['ok', 2],
      ],
    ],
    [
      ['01234', '56789', 'XY', '\nok'],
      [
        ['too long', 1],
        ['ok', 2],
      ],
    ],
    [['0123456789'], [['0123456789', 1]]],
    [['héllo\n'], [['héllo', 1]]],
    [[''], []],
  ])('%j → %j', async (parts, expected) => {
    expect(await collect(parts)).toEqual(expected);
  });

  it('does not split a multi-byte character across chunks', async () => {
    const bytes = Buffer.from('é\n');
    async function* split() {
      yield bytes.subarray(0, 1);
      yield bytes.subarray(1);
    }
    const out = [];
    for await (const l of readLines(split(), 10)) out.push(l.text);
    expect(out).toEqual(['é']);
  });
});

describe('findLiteralKey', () => {
  it.each([
    [['create', '--api-key', 'sk_x'], 'sk_x'],
    [['create', '--api-key=sk_x'], 'sk_x'],
    [['create', '--api-key', '-'], undefined],
    [['create', '--api-key=-'], undefined],
    [['create', '--api-key', '--room', 'x'], undefined],
    [['create', '--', '--api-key', 'sk_x'], undefined],
    [['create', '--api-key-file', 'k.txt'], undefined],
  ])('%j → %j', (argv, expected) => {
    expect(findLiteralKey(argv)).toBe(expected);
  });
});

describe('parseKeyList', () => {
  it('first key active, the rest rotated out; blank and # lines skipped', () => {
    expect(parseKeyList('# keys\n\n k1 \r\nk2\n', 'f')).toEqual([
      { id: 'f key 1', secret: 'k1', active: true },
      { id: 'f key 2', secret: 'k2', active: false },
    ]);
    expect(() => parseKeyList('# only a comment\n', 'f')).toThrow('holds no key');
  });
});

describe('cleanToken', () => {
  // The cleaning cases are the core's (packages/core/test/token-input.test.ts); here, what the CLI adds.
  it("says what the core's cleaner took off, and refuses an empty token", () => {
    expect(cleanToken('Authorization: Bearer "a.b.c"')).toEqual({
      token: 'a.b.c',
      note: 'removed the "Authorization:" header name; removed the "Bearer " prefix; removed surrounding quotes',
    });
    expect(cleanToken(' a.b.c\n')).toEqual({ token: 'a.b.c' });
    expect(() => cleanToken(' "" ')).toThrow('the token is empty');
  });
});

describe('parseInstant', () => {
  const now = 1_700_000_000;
  it.each([
    ['1710000000', 1710000000],
    ['2024-03-09T15:00:00Z', 1709996400],
    ['15m', now + 900],
    ['+1h30m', now + 5400],
  ])('%s → %d', (v, s) => {
    expect(parseInstant(v, '--exp', now)).toBe(s);
  });
  it.each(['tomorrow', '1.5h', '2024-13-45', ''])('%j is refused', (v) => {
    expect(() => parseInstant(v, '--exp', now)).toThrow('is not a time');
  });
});

describe('colours and scrubbing', () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { NO_COLOR: '' }, true],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: 'yes' }, false],
    [{ isTTY: true }, { TERM: 'dumb' }, false],
  ])('%j %j → %s', (stream, env, on) => {
    expect(colorsEnabled(stream, env)).toBe(on);
  });
  it('scrubs every known secret', () => {
    expect(scrub('a sk_1234 b sk_1234', ['sk_1234'])).toBe('a [redacted] b [redacted]');
  });
});

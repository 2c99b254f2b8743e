import * as buffer from 'node:buffer';
import { createHmac, hash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmac } from '../src/jwt/hmac.js';
import { type OneShotHash, type OneShotHmac, oneShotHmac } from '../src/jwt/one-shot-hmac.js';

const reference = (key: Uint8Array | string, data: string) =>
  createHmac('sha256', key).update(data).digest('base64url');
const realHash = hash as unknown as OneShotHash;

describe('one-shot HMAC-SHA256', () => {
  // Asserted below; every other test here fails (rather than passes vacuously) without it.
  const fast = oneShotHmac(realHash, buffer, reference) as OneShotHmac;

  it('is available on this Node', () => {
    expect(fast).toBeDefined();
  });

  it('matches RFC 4231 test case 2 byte for byte', () => {
    const key = new TextEncoder().encode('Jefe');
    const mac = fast.sign(fast.pads(key), 'what do ya want for nothing?');
    expect(Buffer.from(mac ?? '', 'base64url').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('equals createHmac for any key length and any string, including lone surrogates', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.string({ unit: 'binary', maxLength: 600 }),
        (key, data) => {
          expect(fast.sign(fast.pads(key), data)).toBe(reference(key, data));
        },
      ),
      { numRuns: 500 },
    );
  });

  // The block size (64) is where HMAC changes how it treats a key: shorter keys are padded, longer hashed.
  it.each([0, 1, 63, 64, 65, 200])('equals createHmac for random %i-byte keys and random messages', (length) => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: length, maxLength: length }),
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        (key, data) => {
          expect(fast.sign(fast.pads(key), data)).toBe(reference(key, data));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('declines input longer than its scratch buffer instead of truncating it', () => {
    expect(fast.sign(fast.pads(new Uint8Array([1])), 'x'.repeat(20_000))).toBeUndefined();
  });

  it('is not used when the runtime has no hash() (Node < 20.12)', () => {
    expect(oneShotHmac(undefined, buffer, reference)).toBeUndefined();
  });

  it('is not used when hash() does not reproduce createHmac', () => {
    const wrong: OneShotHash = (alg, data, enc) => realHash(alg, data.subarray(1), enc);
    expect(oneShotHmac(wrong, buffer, reference)).toBeUndefined();
  });
});

describe('the HMAC backend in use', () => {
  it('signs inputs longer than the one-shot scratch buffer', async () => {
    const data = `${'a'.repeat(30_000)}.b`;
    expect(await hmac().prepare('key').sign(data)).toBe(reference('key', data));
  });

  it('copies a Uint8Array secret when preparing it: later changes to the array do not change the key', async () => {
    const secret = new Uint8Array(32).fill(7);
    const prepared = hmac().prepare(secret);
    const before = reference(secret, 'data');
    secret[0] = 8;
    expect(await prepared.sign('data')).toBe(before);
    // A new preparation (what createMeetingToken does on every call) sees the new bytes.
    expect(await hmac().prepare(secret).sign('data')).toBe(reference(secret, 'data'));
    expect(reference(secret, 'data')).not.toBe(before);
  });

  it('verifies only the exact signature', async () => {
    const sig = reference('key', 'data');
    expect(await hmac().prepare('key').verify('data', sig)).toBe(true);
    expect(
      await hmac()
        .prepare('key')
        .verify('data', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`),
    ).toBe(false);
    expect(await hmac().prepare('other').verify('data', sig)).toBe(false);
  });
});

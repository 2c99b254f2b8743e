/**
 * HMAC-SHA256 (RFC 2104) built from node:crypto's one-shot `hash()`.
 *
 * Why: `createHmac` allocates an Hmac object and crosses into C++ four times per token; two calls to
 * `hash()` over preallocated buffers do the same work in less time, and that difference is most of what
 * separates a meeting-token signer from a bare HMAC (docs/PERFORMANCE.md). The result is byte-for-byte `createHmac`'s, which
 * `oneShotHmac` checks against RFC 4231 vectors before it is used.
 */

const BLOCK = 64;
/** Longest UTF-8 input the scratch buffer takes; longer inputs go to the caller's fallback. */
const MAX_INPUT_BYTES = 32 * 1024;
/** Cached views of the scratch buffer, one per input length seen. */
const MAX_VIEWS = 1024;

interface ScratchBuffer extends Uint8Array {
  write(text: string, offset: number, encoding: 'utf8' | 'latin1'): number;
  subarray(start?: number, end?: number): ScratchBuffer;
}
interface BufferModule {
  Buffer: { alloc(size: number): ScratchBuffer };
}
export type OneShotHash = (algorithm: 'sha256', data: Uint8Array, outputEncoding: 'latin1' | 'base64url') => string;

/** The key XOR-ed with HMAC's inner and outer pads: all that per-key work, done once per key. */
export interface HmacPads {
  readonly inner: Uint8Array;
  readonly outer: Uint8Array;
}

export interface OneShotHmac {
  pads(key: Uint8Array): HmacPads;
  /** base64url HMAC-SHA256 of `data` (as UTF-8) under prepared pads; undefined when `data` is too long for the scratch buffer. */
  sign(key: HmacPads, data: string): string | undefined;
}

/**
 * Returns the one-shot HMAC, or undefined when the runtime lacks `hash()` (Node < 20.12) or it does not
 * reproduce `reference` on the RFC 4231 vectors.
 */
export function oneShotHmac(
  hash: OneShotHash | undefined,
  buffers: BufferModule | undefined,
  reference: (key: Uint8Array, data: string) => string,
): OneShotHmac | undefined {
  if (typeof hash !== 'function' || typeof buffers?.Buffer?.alloc !== 'function') return undefined;
  // Shared by every key: the call is synchronous, so no two signatures can interleave in them.
  const innerScratch = buffers.Buffer.alloc(BLOCK + MAX_INPUT_BYTES);
  const outerScratch = buffers.Buffer.alloc(BLOCK + 32);
  // hash() takes whole views; one per input length, made once (tokens of one issuer have few lengths).
  const innerViews = new Map<number, ScratchBuffer>();
  const innerView = (length: number): ScratchBuffer => {
    let view = innerViews.get(length);
    if (view === undefined) {
      view = innerScratch.subarray(0, BLOCK + length);
      if (innerViews.size < MAX_VIEWS) innerViews.set(length, view);
    }
    return view;
  };

  /** Writes key ⊕ ipad into `inner` and key ⊕ opad into `outer` (RFC 2104). */
  const writePads = (key: Uint8Array, inner: Uint8Array, outer: Uint8Array): void => {
    // A key longer than a block is hashed first (RFC 2104 §2).
    const k = key.length > BLOCK ? latin1Bytes(hash('sha256', key, 'latin1')) : key;
    for (let i = 0; i < BLOCK; i++) {
      const byte = i < k.length ? (k[i] as number) : 0;
      inner[i] = byte ^ 0x36;
      outer[i] = byte ^ 0x5c;
    }
  };

  const pads = (key: Uint8Array): HmacPads => {
    const inner = new Uint8Array(BLOCK);
    const outer = new Uint8Array(BLOCK);
    writePads(key, inner, outer);
    return { inner, outer };
  };

  const sign = (key: HmacPads, data: string): string | undefined => {
    // Three bytes per UTF-16 unit is UTF-8's worst case, so a shorter string always fits whole.
    if (data.length * 3 > MAX_INPUT_BYTES) return undefined;
    innerScratch.set(key.inner, 0);
    outerScratch.set(key.outer, 0);
    const length = innerScratch.write(data, BLOCK, 'utf8');
    const innerDigest = hash('sha256', innerView(length), 'latin1');
    outerScratch.write(innerDigest, BLOCK, 'latin1');
    return hash('sha256', outerScratch, 'base64url');
  };

  const candidate = { pads, sign };
  return selfTest(candidate, reference) ? candidate : undefined;
}

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** RFC 4231 test cases 2 (short key) and 6 (key longer than a block), plus a non-ASCII input. */
function selfTest(h: OneShotHmac, reference: (key: Uint8Array, data: string) => string): boolean {
  const cases: [Uint8Array, string][] = [
    [latin1Bytes('Jefe'), 'what do ya want for nothing?'],
    [new Uint8Array(131).fill(0xaa), 'Test Using Larger Than Block-Size Key - Hash Key First'],
    [new Uint8Array(64).fill(0x0b), 'héllo ☃ \u{1F600}'],
  ];
  try {
    return cases.every(([key, data]) => h.sign(h.pads(key), data) === reference(key, data));
  } catch {
    return false;
  }
}

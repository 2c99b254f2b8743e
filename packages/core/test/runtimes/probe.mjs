// Runs the built library once per HMAC backend and prints what it made, as JSON, so that Node, Bun and
// Deno can be compared byte for byte. Plain JavaScript: every runtime runs it as it is.
import {
  createMeetingToken,
  decodeUnverified,
  lintMeetingToken,
  useCryptoBackend,
  verifyMeetingToken,
} from '../../dist/esm/index.js';

const DOMAIN = '25df5057-ef0d-4d97-bde6-0cf287276cbb';
const NOW = new Date('2026-03-01T12:00:00Z');
const PROPERTIES = {
  room_name: 'standup',
  user_name: 'Zoë ☃ 😀',
  is_owner: true,
  enable_recording: 'cloud',
  permissions: { canSend: ['video', 'audio'], canAdmin: ['participants'], canReceive: { base: true } },
};
// A Daily-style key (64 hex characters: exactly one HMAC block), and one longer than a block (hashed first).
const KEYS = { daily: '0123456789abcdef'.repeat(4), long: 'k'.repeat(100) };

/** base64url of a string's UTF-8 bytes, with what every runtime has. */
function base64url(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const runtime = 'Bun' in globalThis ? 'bun' : 'Deno' in globalThis ? 'deno' : 'node';
const codes = (r) => r.problems.map((p) => p.code);

async function probe() {
  const results = {};
  for (const [name, apiKey] of Object.entries(KEYS)) {
    const options = { apiKey, domainId: DOMAIN, now: NOW, expiresIn: '1h' };
    const token = await createMeetingToken(PROPERTIES, options);
    const fromBytes = await createMeetingToken(PROPERTIES, { ...options, apiKey: new TextEncoder().encode(apiKey) });
    // The same token made an owner's by someone without the key.
    const [header, , signature] = token.split('.');
    const forged = `${header}.${base64url(JSON.stringify({ ...decodeUnverified(token).claims, o: true, r: 'all-hands' }))}.${signature}`;
    results[name] = {
      token,
      sameFromBytes: token === fromBytes,
      valid: codes(await verifyMeetingToken(token, { apiKey, domainId: DOMAIN, now: NOW })),
      wrongKey: codes(await verifyMeetingToken(token, { apiKey: `${apiKey}x`, now: NOW })),
      forged: codes(await verifyMeetingToken(forged, { apiKey, now: NOW })),
      expired: codes(await verifyMeetingToken(token, { apiKey, now: new Date(NOW.getTime() + 7200_000) })),
      properties: decodeUnverified(token).properties,
      lint: lintMeetingToken(token, { now: NOW }).map((f) => f.rule),
    };
  }
  return results;
}

/**
 * Payload spellings a lenient base64 decoder would accept: each runtime's Buffer must refuse the same ones
 * (decoding leans on how its decoder counts the bytes of text outside the alphabet).
 */
function strictness() {
  const [header, , signature] = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'.split('.');
  // {"r":"a>?"} and {"r":"ab~~"}: their encodings hold a "_" and a "-", the characters base64 spells "/" and "+".
  const underscore = 'eyJyIjoiYT4_In0';
  const dash = 'eyJyIjoiYWJ-fiJ9';
  // Each spelling below decodes to the same bytes as its canonical one under a lenient decoder.
  const spellings = {
    canonical: underscore,
    canonicalDash: dash,
    padded: `${underscore}=`,
    space: `${underscore.slice(0, 4)} ${underscore.slice(4)}`,
    newline: `${underscore.slice(0, 4)}\n${underscore.slice(4)}`,
    nonAscii: `${underscore.slice(0, 4)}é${underscore.slice(4)}`,
    slash: underscore.replace('_', '/'),
    plus: dash.replace('-', '+'),
    trailingBits: `${underscore.slice(0, -1)}1`,
    lengthOne: `${dash}A`,
  };
  const verdicts = {};
  for (const [name, spelling] of Object.entries(spellings)) {
    try {
      verdicts[name] = decodeUnverified(`${header}.${spelling}.${signature}`).claims;
    } catch (e) {
      verdicts[name] = e.code;
    }
  }
  return verdicts;
}

const auto = useCryptoBackend('auto');
const out = { runtime, auto, strictness: strictness(), backends: { [auto]: await probe() } };
if (auto !== 'webcrypto') {
  useCryptoBackend('webcrypto');
  out.backends.webcrypto = await probe();
}
console.log(JSON.stringify(out));

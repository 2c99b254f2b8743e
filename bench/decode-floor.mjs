// The least a decoder that returns full names can do: base64url, JSON.parse, and a copy of the payload
// under the registry's full names (permissions expanded through the codec's own code tables), checking
// nothing. Measured beside decodeUnverified on every shape, it shows what building the full-name object
// costs by itself, which fast-jwt's decoder (parse only) never pays.
import { ADMIN_CODES, MEDIA_CODES, PERMISSION_FIELDS, PROPERTY_BY_CLAIM, RECEIVE_CODES } from 'daily-tokens';

const invert = (codes) => Object.fromEntries(Object.entries(codes).map(([name, code]) => [code, name]));
const MEDIA = invert(MEDIA_CODES);
const ADMIN = invert(ADMIN_CODES);
const RECEIVE = invert(RECEIVE_CODES);
const FIELD = Object.fromEntries(Object.entries(PERMISSION_FIELDS).map(([name, f]) => [f.claim, name]));
const [BASE] = Object.keys(RECEIVE_CODES);

const set = (v, names) => (typeof v === 'string' ? v.split(',').map((code) => names[code]) : v);

function media(m) {
  if (typeof m !== 'object') return m;
  const out = {};
  for (const code in m) {
    const v = m[code];
    out[MEDIA[code]] = typeof v === 'object' ? { ...v } : v;
  }
  return out;
}

function receive(cr) {
  const out = {};
  for (const code in cr) {
    const name = RECEIVE[code];
    if (name === BASE) out[name] = media(cr[code]);
    else {
      const byId = {};
      for (const id in cr[code]) byId[id] = media(cr[code][id]);
      out[name] = byId;
    }
  }
  return out;
}

function permissions(p) {
  const out = {};
  for (const code in p) {
    const name = FIELD[code];
    const form = PERMISSION_FIELDS[name].value.kind;
    out[name] =
      form === 'object'
        ? receive(p[code])
        : form === 'set'
          ? set(p[code], name === 'canSend' ? MEDIA : ADMIN)
          : p[code];
  }
  return out;
}

// One reused buffer and Buffer's native methods: the cheapest base64url → text there is (what the library does).
const scratch = Buffer.alloc(8192);

/** Payload and full-name properties of a token, unchecked. */
export function decodeFloor(token) {
  const length = scratch.base64urlWrite(token.slice(token.indexOf('.') + 1, token.lastIndexOf('.')), 0);
  const claims = JSON.parse(scratch.utf8Slice(0, length));
  const properties = {};
  for (const key in claims) {
    const name = PROPERTY_BY_CLAIM.get(key);
    if (name !== undefined) properties[name] = name === 'permissions' ? permissions(claims[key]) : claims[key];
  }
  return { claims, properties };
}

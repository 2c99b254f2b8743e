/** Plain-object helpers that cannot be abused through `__proto__`/`constructor` keys in untrusted JSON. */

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  // An array's prototype is Array.prototype, so only a prototype-less value can still be an array.
  return proto === Object.prototype || (proto === null && !Array.isArray(v));
}

/**
 * A constructor of plain objects: `new Kind()` is an ordinary object whose prototype is Object.prototype,
 * exactly like `{}` (same keys, same prototype, nothing to tell them apart). Each kind the codecs build
 * (properties, media permissions, track maps …) gets its own constructor, hence its own V8 hidden-class
 * tree and its own object size: V8 sizes a constructor's objects to the most keys its first objects held,
 * so one constructor for every kind gave a one-key track map the room of a dozen-key properties object.
 * The stores that fill them also cost less on a tree of their own than on `{}`'s, which every empty
 * literal in the process shares. Figures: docs/PERFORMANCE.md.
 */
export function plainObjectKind(): new () => Record<string, unknown> {
  function PlainObject() {}
  PlainObject.prototype = Object.prototype;
  return PlainObject as unknown as new () => Record<string, unknown>;
}

/** Sets an own property even for the key `__proto__`, which `o[k] = v` would turn into a prototype change. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * `Object.prototype.hasOwnProperty`, for `for (const k in o) if (!ownProperty.call(o, k)) continue;`:
 * V8 answers that pattern from the enum cache, where `Object.hasOwn` costs a real lookup per key.
 */
export const ownProperty = Object.prototype.hasOwnProperty;

/**
 * True when Object.prototype has enumerable keys (someone polluted it), so that for-in over a plain object
 * would also see inherited keys. Checked once per call, it is cheaper than `ownProperty` per key.
 */
export function prototypePolluted(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

/** `Object.hasOwn`, through `hasOwnProperty`, which V8's optimiser inlines (it calls out for `Object.hasOwn`). */
export function hasOwn(o: object, key: string): boolean {
  return ownProperty.call(o, key);
}

/**
 * Closest candidate by edit distance, for "did you mean …?" hints. A hint must keep some of the word: a
 * distance as long as the word itself ("xx" → "da") is no hint at all.
 */
export function closest(word: string, candidates: Iterable<string>, maxDistance = 3): string | undefined {
  let best: string | undefined;
  let bestD = Math.min(maxDistance, word.length - 1) + 1;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

/** JSON-ish rendering of a value for messages, cut short so a huge value cannot flood a log. */
export function show(v: unknown, max = 60): string {
  let s: string;
  try {
    s = v === undefined ? 'undefined' : typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
  } catch {
    s = Object.prototype.toString.call(v);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

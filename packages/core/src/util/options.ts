/**
 * Options objects are checked for keys the function does not know: a misspelt option (`room_name` for
 * `roomName`) would otherwise be ignored without a word, and for `verifyMeetingToken` that means a check
 * silently skipped.
 */
import { closest, ownProperty, show } from './object.js';

/**
 * The option names of an options type, for `assertKnownOptions`. Curried so that `T` is given and the list
 * inferred: the list may name only keys of `T`, and the call does not compile while a key of `T` is missing
 * from it, so the list cannot drift from the interface.
 *
 * @example
 * ```ts
 * interface PingOptions { timeout?: number; retries?: number }
 * const PING_OPTIONS = optionNames<PingOptions>()(['timeout', 'retries']);
 * ```
 */
export function optionNames<T>(): <const L extends readonly (keyof T & string)[]>(
  names: L &
    ([Exclude<keyof T, L[number]>] extends [never] ? unknown : { missingOptionNames: Exclude<keyof T, L[number]> }),
) => ReadonlySet<string> {
  return (names) => new Set(names);
}

/**
 * Throws a `TypeError` naming the first key of `options` that is not in `known`, with the nearest known
 * name as a hint (`room_name` finds `roomName`: case, `_` and `-` are ignored when comparing). A key with
 * the value `undefined` counts too: `{ roomname: process.env.ROOM }` is still a misspelling. Costs a
 * for-in and a Set lookup per key, and allocates nothing, when every key is known.
 *
 * @example
 * ```ts
 * assertKnownOptions({ room_name: 'board' }, new Set(['roomName']), 'verifyMeetingToken');
 * // TypeError: verifyMeetingToken: unknown option "room_name"; did you mean "roomName"?
 * ```
 */
export function assertKnownOptions(options: object, known: ReadonlySet<string>, caller: string): void {
  for (const key in options) {
    // Inherited keys (a polluted Object.prototype) are not the caller's options: checked only off the fast path.
    if (!known.has(key) && ownProperty.call(options, key)) throw unknownOption(key, known, caller);
  }
}

function unknownOption(key: string, known: ReadonlySet<string>, caller: string): TypeError {
  const near = nearestName(key, known);
  return new TypeError(
    `${caller}: unknown option ${show(key)}; ${near ? `did you mean "${near}"?` : `the options are ${[...known].join(', ')}`}`,
  );
}

const fold = (name: string) => name.replace(/[_-]/g, '').toLowerCase();

/**
 * The known name a misspelling most likely meant: the same when folded; else one containing it or
 * contained in it (`room` for `roomName`, `nowSeconds` for `now`: too far apart by edits, but no
 * accident), the closest in length; else the nearest by edits.
 */
function nearestName(key: string, known: ReadonlySet<string>): string | undefined {
  const word = fold(key);
  let best: string | undefined;
  let bestGap = Number.POSITIVE_INFINITY;
  const folded = new Map<string, string>();
  for (const name of known) {
    const f = fold(name);
    if (f === word) return name;
    folded.set(f, name);
    const [short, long] = f.length < word.length ? [f, word] : [word, f];
    if (short.length >= 3 && long.includes(short) && long.length - short.length < bestGap) {
      best = name;
      bestGap = long.length - short.length;
    }
  }
  return best ?? folded.get(closest(word, folded.keys()) ?? '');
}

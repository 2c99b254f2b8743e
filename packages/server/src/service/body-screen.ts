/**
 * A body full of near-miss property names must not cost a "did you mean" each: every hint is an edit-distance
 * search of the registry (tens of µs), and a 64 KB body holds thousands of names, so one key could spend
 * seconds of CPU a second within its rate limit and stall every tenant. Before the registry's checks run,
 * the names are counted (a set look-up each): over MAX_ISSUES unknown ones, the request is refused at once,
 * naming the first MAX_ISSUES and counting the rest, with no hints. At most MAX_ISSUES hints are ever worked
 * out per object, so the reply is small too.
 */
import { MAX_ISSUES } from 'daily-tokens';
import { ROOM_PROPERTY_NAMES } from 'daily-tokens/rooms';
import { type ApiError, badRequest } from '../errors.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A name as it appears in a message: quoted, and cut short. */
const shown = (name: string) => JSON.stringify(name.length > 40 ? `${name.slice(0, 39)}…` : name);

/**
 * The 400 for an object (at `path`) with more than MAX_ISSUES names that are not in `known`, else undefined.
 *
 * @example
 * ```ts
 * const refusal = screenNames(body.properties, KNOWN, 'properties', 'meeting-token properties');
 * if (refusal) throw refusal;
 * ```
 */
export function screenNames(
  value: unknown,
  known: ReadonlySet<string>,
  path: string,
  what: string,
): ApiError | undefined {
  if (!isObject(value)) return undefined;
  let unknown = 0;
  const first: string[] = [];
  for (const key in value) {
    if (known.has(key)) continue;
    unknown++;
    if (first.length < MAX_ISSUES) first.push(key);
  }
  if (unknown <= MAX_ISSUES) return undefined;
  return badRequest(
    `${path} has ${unknown} names that are not ${what}: ${first.map(shown).join(', ')} and ${unknown - first.length} more; beyond ${MAX_ISSUES} unknown names no hints are given: check the names against the documentation`,
  );
}

const ROOM_NAMES = new Set<string>(ROOM_PROPERTY_NAMES);
/** What a room body may hold at the top (create; update takes the last two). */
const ROOM_TOP_LEVEL = new Set(['name', 'privacy', 'properties']);

/**
 * Screens a room body (create or update) before the room registry's checks, which hint at every unknown name.
 */
export function screenRoomBody(body: unknown): void {
  if (!isObject(body)) return;
  const refusal =
    screenNames(body, ROOM_TOP_LEVEL, 'the body', 'room fields (name, privacy, properties)') ??
    screenNames(body.properties, ROOM_NAMES, 'properties', 'room properties');
  if (refusal) throw refusal;
}

/**
 * A request body as the service reads it, and how large it may be. Both front ends read bodies with this: the
 * errors plugin's content-type parser and the fast path.
 */
import { ApiError } from '../errors.js';

/** Largest request body accepted (Daily's own bodies are a few KB). */
export const BODY_LIMIT = 64 * 1024;
/** Deepest nesting of arrays and objects accepted; Daily's deepest properties nest 4 levels. */
export const MAX_JSON_DEPTH = 32;

/** Whether `text` holds more than `max` `{` and `[` characters (inside strings too: an upper bound of the depth). */
function bracketsOver(text: string, max: number): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 123 || c === 91) && ++n > max) return true;
  }
  return false;
}

/** Nesting depth of a parsed JSON value, without recursion (a 64 KB body can nest 32,000 deep). */
export function jsonDepthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * A request body as the service reads it: empty (or blank) is no body, anything else must be JSON, not null,
 * nested at most MAX_JSON_DEPTH deep; a 400 ApiError in Daily's shape otherwise. Both front ends read bodies
 * with this.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(
      400,
      'json-parsing-error',
      'the request body is not valid JSON; send a JSON object such as {"properties": {"room_name": "my-room"}}',
    );
  }
  // `?? {}` in the routes would read a literal null as no body at all (and mint an all-rooms token)
  if (parsed === null)
    throw new ApiError(400, 'invalid-request-error', 'the body is JSON null; send a JSON object, or no body');
  // deeper values would overflow the stack later (JSON.stringify when storing a room: a 500); a text with
  // fewer opening brackets than that cannot nest so deep, which spares walking the usual small bodies
  if (bracketsOver(text, MAX_JSON_DEPTH) && jsonDepthOver(parsed, MAX_JSON_DEPTH)) {
    throw new ApiError(
      400,
      'invalid-request-error',
      `the request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep; flatten it`,
    );
  }
  return parsed;
}

/** A room's `config` as Daily shows it: the properties set explicitly, even to their default. */
import { hasOwn } from '../util/object.js';
import { ROOM_PROPERTY_REGISTRY, type RoomPropertyName } from './registry.js';

type Config = Partial<Record<RoomPropertyName, unknown>>;

/**
 * Applies `patch` to a room's config with Daily's merge semantics for `POST /rooms/:name`: properties
 * sent replace the old value, `null` resets a property to Daily's default (it is no longer set),
 * properties not sent stay. A property set to its default stays in the result: daily-js
 * `room({includeRoomConfigDefaults: false})` returns "only explicitly-set properties", so
 * `enable_chat: false` sent is `enable_chat: false` shown.
 *
 * @example
 * ```ts
 * mergeRoomConfig({ max_participants: 4 }, { enable_chat: false, max_participants: null })
 * // { enable_chat: false }
 * ```
 */
export function mergeRoomConfig(current: Config, patch: Config = {}): Config {
  const out: Config = {};
  for (const source of [current, patch]) {
    for (const key of Object.keys(source) as RoomPropertyName[]) {
      if (!hasOwn(ROOM_PROPERTY_REGISTRY, key)) continue;
      const value = source[key];
      if (value === null || value === undefined) delete out[key];
      else out[key] = value;
    }
  }
  return out;
}

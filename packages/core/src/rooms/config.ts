/** A room's `config` as Daily shows it: only the properties that are set and differ from Daily's defaults. */
import { hasOwn } from '../util/object.js';
import { ROOM_PROPERTY_REGISTRY, type RoomPropertyName } from './registry.js';

type Config = Partial<Record<RoomPropertyName, unknown>>;

/**
 * Applies `patch` to a room's config with Daily's merge semantics for `POST /rooms/:name`: properties
 * sent replace the old value, `null` resets a property to Daily's default, properties not sent stay.
 * The result leaves out every value equal to its documented default, as Daily's `config` does.
 *
 * @example
 * ```ts
 * mergeRoomConfig({ max_participants: 4 }, { enable_chat: true, max_participants: null })
 * // { enable_chat: true }
 * ```
 */
export function mergeRoomConfig(current: Config, patch: Config = {}): Config {
  const out: Config = {};
  for (const source of [current, patch]) {
    for (const key of Object.keys(source) as RoomPropertyName[]) {
      if (!hasOwn(ROOM_PROPERTY_REGISTRY, key)) continue;
      const value = source[key];
      const spec = ROOM_PROPERTY_REGISTRY[key] as { default?: unknown };
      if (value === null || value === undefined || value === spec.default) delete out[key];
      else out[key] = value;
    }
  }
  return out;
}

/** TypeScript types of room properties, derived from the room-property registry (never retyped). */
import type { Permissions } from '../claims/permissions.js';
import type { RoomPrivacy } from './limits.js';
import type { RoomPropertyName, RoomRegistry } from './registry.js';

type ValueOfRoomSpec<S> = S extends { kind: 'boolean' }
  ? boolean
  : S extends { kind: 'integer' | 'number' | 'timestamp' | 'seconds' }
    ? number
    : S extends { kind: 'enum'; openValues: true }
      ? string
      : S extends { kind: 'enum'; values: readonly (infer V)[]; legacyValues: infer L }
        ? V | keyof L
        : S extends { kind: 'enum'; values: readonly (infer V)[] }
          ? V
          : S extends { kind: 'object' }
            ? Record<string, unknown>
            : S extends { kind: 'object-array' }
              ? Record<string, unknown>[]
              : S extends { kind: 'permissions' }
                ? Permissions
                : string;

/** A room's properties as Daily returns them in `config`. */
export type RoomProperties = { [K in RoomPropertyName]?: ValueOfRoomSpec<RoomRegistry[K]> };

/** Properties to send: as {@link RoomProperties}, and `null` resets a property to Daily's default. */
export type RoomPropertiesInput = { [K in RoomPropertyName]?: ValueOfRoomSpec<RoomRegistry[K]> | null };

/** `POST /v1/rooms` body. */
export interface CreateRoomRequest {
  /** Letters, digits, `-` and `_`, at most 128; Daily generates one when left out. */
  name?: string;
  privacy?: RoomPrivacy;
  properties?: RoomPropertiesInput;
}

/** `POST /v1/rooms/:name` body: what to change; anything left out stays as it is. */
export interface UpdateRoomRequest {
  privacy?: RoomPrivacy;
  properties?: RoomPropertiesInput;
}

/** A room as Daily returns it. */
export interface DailyRoom {
  id: string;
  name: string;
  api_created: boolean;
  privacy: RoomPrivacy;
  url: string;
  created_at: string;
  config: RoomProperties;
}

/** `GET /v1/rooms`: one page, newest first, and how many rooms the domain has in all. */
export interface DailyRoomList {
  total_count: number;
  data: DailyRoom[];
}

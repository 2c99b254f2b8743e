/** Daily's room limits that the REST client needs too, apart from the registry so the client stays small. */

/** `privacy` values, first the default. */
export const ROOM_PRIVACY = ['public', 'private'] as const;
export type RoomPrivacy = (typeof ROOM_PRIVACY)[number];

/** Daily's rule for room names: letters, digits, `-` and `_`, at most 128 characters. */
export const ROOM_NAME_PATTERN = '^[A-Za-z0-9_-]{1,128}$';
export const ROOM_NAME_MAX_LENGTH = 128;

/** `GET /rooms` page size: at most 100, and 100 when not given. */
export const ROOM_LIST_MAX_LIMIT = 100;

/**
 * `daily-tokens/rooms`: Daily's room properties as one registry, and what is derived from it:
 * validation with "did you mean" hints, the minimal `config` Daily shows, and JSON schemas.
 * A separate entry, so code that only mints or verifies tokens does not ship it.
 *
 * @example
 * ```ts
 * import { readRoomRequest } from 'daily-tokens/rooms';
 * const { issues } = readRoomRequest({ properties: { maxParticipants: 4 } }, 'create');
 * // issues[0].message: 'is camelCase; Daily's room properties are snake_case: write "max_participants"'
 * ```
 * @packageDocumentation
 */
export {
  ROOM_LIST_MAX_LIMIT,
  ROOM_NAME_MAX_LENGTH,
  ROOM_NAME_PATTERN,
  ROOM_PRIVACY,
  ROOM_PROPERTY_NAMES,
  ROOM_PROPERTY_REGISTRY,
  roomPropertyEvidence,
  roomSpecOf,
} from './registry.js';
export type {
  RoomFieldType,
  RoomPrivacy,
  RoomPropertyKind,
  RoomPropertyName,
  RoomPropertySpec,
  RoomRegistry,
} from './registry.js';
export { readRoomProperties, readRoomRequest, unknownRoomPropertyMessage } from './validate.js';
export type { ReadRoomPropertiesOptions, RoomPropertiesResult, RoomRequest } from './validate.js';
export { mergeRoomConfig } from './config.js';
export {
  DOMAIN_PROPERTY_NAMES,
  DOMAIN_PROPERTY_REGISTRY,
  type DomainPropertyName,
  readDomainProperties,
} from './domain.js';
export { DEFAULT_DOMAIN_CONFIG, DOMAIN_CONFIG_FIELDS } from './domain-config.js';
export type { DomainConfigField, DomainConfigFieldType } from './domain-config.js';
export {
  createRoomBodySchema,
  domainPropertiesSchema,
  LIST_ROOMS_QUERY_SCHEMA,
  ROOM_NAME_SCHEMA,
  roomPropertiesSchema,
  roomPropertySchema,
  roomSchema,
  updateRoomBodySchema,
} from './schema.js';
export type {
  CreateRoomRequest,
  DailyRoom,
  DailyRoomList,
  RoomProperties,
  RoomPropertiesInput,
  UpdateRoomRequest,
} from './types.js';

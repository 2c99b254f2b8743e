/** JSON Schemas (OpenAPI 3.1 / draft 2020-12 compatible) of room bodies and replies, derived from the registry. */
import { PERMISSIONS_SCHEMA } from '../claims/schema.js';
import { DOMAIN_PROPERTY_REGISTRY } from './domain.js';
import {
  ROOM_LIST_MAX_LIMIT,
  ROOM_NAME_MAX_LENGTH,
  ROOM_NAME_PATTERN,
  ROOM_PRIVACY,
  ROOM_PROPERTY_REGISTRY,
  type RoomFieldType,
  type RoomPropertySpec,
} from './registry.js';

type Schema = Record<string, unknown>;

/** Largest unix-seconds value accepted (the millisecond check starts above it). */
const MAX_SECONDS = 99_999_999_999;

function fieldSchema(type: RoomFieldType): Schema {
  if (type === 'object-array') return { type: ['array', 'null'], items: { type: 'object' } };
  return { type: [type, 'null'] };
}

function valueSchema(spec: RoomPropertySpec): Schema {
  const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], ...extra });
  const limits: Schema = {
    ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}),
    ...(spec.maximum !== undefined ? { maximum: spec.maximum } : {}),
    ...(spec.maxLength !== undefined ? { maxLength: spec.maxLength } : {}),
  };
  switch (spec.kind) {
    case 'boolean':
      return nullable('boolean');
    case 'integer':
      return nullable('integer', limits);
    case 'number':
      return nullable('number', limits);
    case 'timestamp':
      return nullable('integer', { minimum: 0, maximum: MAX_SECONDS });
    case 'seconds':
      return nullable('integer', { minimum: 1 });
    case 'enum':
      // an open list (regions) takes any string: the values are the ones documented today
      if (spec.openValues) return nullable('string', { examples: [...(spec.values ?? [])] });
      return {
        enum: [...(spec.values ?? []), ...Object.keys(spec.legacyValues ?? {}), ...(spec.notSetValues ?? []), null],
      };
    case 'string':
      return nullable('string', { minLength: 1, ...limits });
    case 'template':
      return nullable('string', {
        minLength: 1,
        ...limits,
        ...(spec.requiredTag ? { pattern: `\\{${spec.requiredTag}\\}` } : {}),
      });
    case 'url':
      // a redirect may be a mobile deep link (myapp://bye); the registry refuses script schemes
      if (spec.deepLinks) return nullable('string', { pattern: '^[A-Za-z][A-Za-z0-9+.-]*:\\S+$', ...limits });
      // the values daily-ruby sends for "not set" ("NULL") are not URLs
      if (spec.notSetValues) {
        return { anyOf: [{ type: 'string', format: 'uri', ...limits }, { enum: [...spec.notSetValues, null] }] };
      }
      return nullable('string', { format: 'uri', ...limits });
    case 'object':
      if (!spec.fields) return nullable('object');
      return nullable('object', {
        properties: Object.fromEntries(Object.entries(spec.fields).map(([k, t]) => [k, fieldSchema(t)])),
      });
    case 'object-array':
      return nullable('array', { items: { type: 'object' } });
    case 'permissions':
      return { ...PERMISSIONS_SCHEMA, type: ['object', 'null'] };
  }
}

/** Schema of one room property's value; `null` (reset to Daily's default) is allowed. */
export function roomPropertySchema(spec: RoomPropertySpec): Schema {
  return {
    description: `${spec.meaning}${spec.prebuiltOnly ? ' (Daily Prebuilt only.)' : ''}`,
    ...(spec.default !== undefined ? { default: spec.default } : {}),
    ...valueSchema(spec),
  };
}

/**
 * Schema of a room's `properties` (and of the `config` Daily returns): every documented property,
 * nothing else.
 *
 * @example
 * ```ts
 * fastify.post('/v1/rooms', { schema: { body: createRoomBodySchema() } }, handler)
 * ```
 */
export function roomPropertiesSchema(): Schema {
  return propertiesSchemaOf(ROOM_PROPERTY_REGISTRY);
}

function propertiesSchemaOf(registry: Readonly<Record<string, RoomPropertySpec>>): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(registry).map(([n, spec]) => [n, roomPropertySchema(spec)])),
  };
}

/**
 * Schema of a domain's `properties` (`POST /v1/`): every domain property, nothing else.
 *
 * @example
 * ```ts
 * fastify.post('/v1/', { schema: { body: { type: 'object', properties: { properties: domainPropertiesSchema() } } } }, h)
 * ```
 */
export function domainPropertiesSchema(): Schema {
  return propertiesSchemaOf(DOMAIN_PROPERTY_REGISTRY);
}

const privacySchema: Schema = {
  type: 'string',
  enum: [...ROOM_PRIVACY],
  description:
    'Who may join: "public" rooms anyone with the URL, "private" rooms only with a meeting token (or by knocking).',
};

/** Schema of a room name. */
export const ROOM_NAME_SCHEMA: Schema = {
  type: 'string',
  pattern: ROOM_NAME_PATTERN,
  maxLength: ROOM_NAME_MAX_LENGTH,
  description: 'Letters, digits, - and _, at most 128 characters.',
};

/** Body of `POST /v1/rooms`. `properties` may be a `$ref` to a shared component. */
export function createRoomBodySchema(properties: Schema = roomPropertiesSchema()): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { ...ROOM_NAME_SCHEMA, description: 'The room name; Daily generates a random one when left out.' },
      privacy: { ...privacySchema, default: 'public' },
      properties,
    },
  };
}

/** Body of `POST /v1/rooms/:name`: what to change. */
export function updateRoomBodySchema(properties: Schema = roomPropertiesSchema()): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: { privacy: privacySchema, properties },
  };
}

/** Schema of a room as Daily returns it. */
export function roomSchema(config: Schema = roomPropertiesSchema()): Schema {
  return {
    type: 'object',
    required: ['id', 'name', 'api_created', 'privacy', 'url', 'created_at', 'config'],
    properties: {
      id: { type: 'string', format: 'uuid', description: 'The room id (the cursor for list paging).' },
      name: ROOM_NAME_SCHEMA,
      api_created: { type: 'boolean', description: 'True for rooms created through the REST API.' },
      privacy: privacySchema,
      url: { type: 'string', format: 'uri', description: 'https://<domain>.daily.co/<name>' },
      created_at: { type: 'string', format: 'date-time' },
      config: { ...config, description: 'The properties set explicitly (even to their default), as Daily shows them.' },
    },
  };
}

/** Query of `GET /v1/rooms`. */
export const LIST_ROOMS_QUERY_SCHEMA: Schema = {
  type: 'object',
  properties: {
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: ROOM_LIST_MAX_LIMIT,
      default: ROOM_LIST_MAX_LIMIT,
      description: `Rooms per page, 1–${ROOM_LIST_MAX_LIMIT}.`,
    },
    starting_after: {
      type: 'string',
      description: 'A room id: return the rooms after it in the list (older ones; the next page).',
    },
    ending_before: {
      type: 'string',
      description:
        'A room id: return the rooms before it in the list (newer ones; the previous page). The special value OLDEST returns the last page: the oldest rooms, still newest first.',
    },
  },
};

/** JSON Schemas (draft 2020-12 / OpenAPI 3.1 compatible) derived from the registry, for HTTP services. */
import { MILLISECONDS_THRESHOLD } from '../util/time.js';
import { CLAIM_MEANINGS } from './meanings.js';
import {
  MEDIA_CODES,
  type MediaType,
  PERMISSION_FIELDS,
  type PermissionField,
  type PermissionValueForm,
  RECEIVE_CODES,
  TRACK_MEDIA,
} from './permissions.js';
import { RECORDING_LAYOUT_PRESETS, RECORDING_NUMBER_OPTIONS, RECORDING_STRING_OPTIONS } from './recording.js';
import { CLAIM_REGISTRY, type ClaimSpec, type PropertyName, REST_PROPERTY_NAMES } from './registry.js';

type Schema = Record<string, unknown>;

const trackMap: Schema = { type: 'object', additionalProperties: { type: 'boolean' } };
const mediaProps = Object.fromEntries(
  Object.keys(MEDIA_CODES).map((k) => [k, TRACK_MEDIA.includes(k as MediaType) ? trackMap : { type: 'boolean' }]),
);
const partialMedia: Schema = { type: 'object', properties: mediaProps, additionalProperties: false };
const fullMedia: Schema = { ...partialMedia, required: Object.keys(MEDIA_CODES) };
const idMap: Schema = { type: 'object', additionalProperties: { oneOf: [{ type: 'boolean' }, partialMedia] } };
const setOf = (values: string[]): Schema => ({
  oneOf: [{ type: 'boolean' }, { type: 'array', items: { enum: values }, uniqueItems: true }],
});

const canReceive: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    Object.keys(RECEIVE_CODES).map((k, i) => [k, i === 0 ? { oneOf: [{ type: 'boolean' }, fullMedia] } : idMap]),
  ),
};
const formSchema = (form: PermissionValueForm): Schema =>
  form.kind === 'boolean' ? { type: 'boolean' } : form.kind === 'set' ? setOf([...form.items]) : canReceive;

/** Schema of the full-name `permissions` object, from each field's value form. */
export const PERMISSIONS_SCHEMA: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    (Object.keys(PERMISSION_FIELDS) as PermissionField[]).map((f) => [f, formSchema(PERMISSION_FIELDS[f].value)]),
  ),
};

const RECORDING_SCHEMA: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(RECORDING_NUMBER_OPTIONS.map((k) => [k, { type: 'number', minimum: 0 }])),
    ...Object.fromEntries(RECORDING_STRING_OPTIONS.map((k) => [k, { type: 'string' }])),
    layout: { type: 'object', required: ['preset'], properties: { preset: { enum: [...RECORDING_LAYOUT_PRESETS] } } },
  },
};

/** The JSON Schema of one property's value. */
export function schemaOf(name: PropertyName): Schema {
  const spec: ClaimSpec = CLAIM_REGISTRY[name];
  const base: Schema = { description: CLAIM_MEANINGS[name].meaning };
  if (spec.default !== undefined) base.default = spec.default;
  switch (spec.kind) {
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'string':
      return { ...base, type: 'string', minLength: 1, ...(spec.maxLength ? { maxLength: spec.maxLength } : {}) };
    case 'url':
      return { ...base, type: 'string', format: 'uri' };
    case 'timestamp':
      return { ...base, type: 'integer', minimum: 0, maximum: MILLISECONDS_THRESHOLD - 1 };
    case 'seconds':
      return { ...base, type: 'integer', minimum: 1 };
    case 'enum':
      return { ...base, enum: [...(spec.values ?? []), ...Object.keys(spec.legacyValues ?? {})] };
    case 'permissions':
      return { ...base, ...PERMISSIONS_SCHEMA };
    case 'recording-options':
      return { ...base, ...RECORDING_SCHEMA };
  }
}

/**
 * Schema of the `properties` object of `POST /v1/meeting-tokens` (every documented property,
 * nothing else).
 *
 * @example
 * ```ts
 * fastify.post('/v1/meeting-tokens', { schema: { body: { type: 'object', properties: { properties: meetingTokenPropertiesSchema() } } } }, handler)
 * ```
 */
export function meetingTokenPropertiesSchema(): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(REST_PROPERTY_NAMES.map((n) => [n, schemaOf(n)])),
  };
}

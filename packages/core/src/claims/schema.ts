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
import {
  RECORDING_LAYOUT_PRESETS,
  RECORDING_OPTIONS,
  RECORDING_PARTICIPANTS_SORTS,
  RECORDING_PORTRAIT_VARIANTS,
  type RecordingLayoutKey,
  type RecordingOptionForm,
} from './recording.js';
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

const stringArray: Schema = { type: 'array', items: { type: 'string' } };
const LAYOUT_VALUE_SCHEMAS: Record<RecordingLayoutKey, Schema> = {
  max_cam_streams: { type: 'number' },
  participants: {
    type: 'object',
    properties: { video: stringArray, audio: stringArray, sort: { enum: [...RECORDING_PARTICIPANTS_SORTS] } },
  },
  session_id: { type: 'string' },
  variant: { enum: [...RECORDING_PORTRAIT_VARIANTS] },
  composition_id: { type: 'string' },
  composition_params: { type: 'object', additionalProperties: { type: ['boolean', 'number', 'string'] } },
  session_assets: { type: 'object', additionalProperties: { type: 'string' } },
};
const recordingType = CLAIM_REGISTRY.enable_recording;
const optionSchema = (form: RecordingOptionForm): Schema => {
  switch (form) {
    case 'number':
      return { type: 'number' };
    case 'string':
      return { type: 'string' };
    case 'string-array':
      return stringArray;
    case 'recording-type':
      return { enum: [...recordingType.values, ...Object.keys(recordingType.legacyValues)] };
    case 'layout':
      return {
        type: 'object',
        required: ['preset'],
        properties: { preset: { enum: [...RECORDING_LAYOUT_PRESETS] }, ...LAYOUT_VALUE_SCHEMAS },
        // single-participant requires session_id
        anyOf: [{ not: { properties: { preset: { const: 'single-participant' } } } }, { required: ['session_id'] }],
      };
  }
};

/** Open, as Daily's options are: unknown keys are ignored by Daily (and warned about by the validator). */
const RECORDING_SCHEMA: Schema = {
  type: 'object',
  properties: Object.fromEntries(
    Object.entries(RECORDING_OPTIONS).map(([k, form]) => [k, optionSchema(form as RecordingOptionForm)]),
  ),
};

/**
 * The JSON Schema of one property's value, by full name: any property, including those a signer adds
 * (`domain_id`, `iat`) and the self-signing-only ones.
 *
 * @example
 * ```ts
 * propertySchema('exp'); // { type: 'integer', minimum: 0, maximum: 99999999999, description: … }
 * ```
 */
export function propertySchema(name: PropertyName): Schema {
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
    properties: Object.fromEntries(REST_PROPERTY_NAMES.map((n) => [n, propertySchema(n)])),
  };
}

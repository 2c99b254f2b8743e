/**
 * The room-property registry: every documented Daily room property, once.
 *
 * Validation, the TypeScript types, the JSON/OpenAPI schemas and the room `config` the service shows
 * are all derived from this table. Facts come from Daily's REST reference (rooms → configuration) and
 * the generated daily-ruby `RoomProperties` model; see docs/reference/daily-rooms.md for the sources
 * and where they disagree. Values shared with meeting tokens (languages, recording types) are taken
 * from the claim registry, never retyped.
 */
import { CLAIM_REGISTRY } from '../claims/registry.js';
import type { Evidence } from '../verdict/evidence.js';

/** How a room property's value is shaped. */
export type RoomPropertyKind =
  | 'boolean'
  | 'integer'
  /** Any finite number (`sfu_switchover` may be 0.5). */
  | 'number'
  /** Unix time in whole seconds. */
  | 'timestamp'
  /** A positive whole number of seconds. */
  | 'seconds'
  | 'enum'
  | 'string'
  | 'url'
  /** A file-name template with `{tags}` Daily fills in (`recordings_template`). */
  | 'template'
  /** A JSON object; its documented `fields` are type-checked, other keys are warnings. */
  | 'object'
  /** A JSON array of objects. */
  | 'object-array'
  /** The meeting-token permissions object (same shape). */
  | 'permissions';

/** The JSON type of a documented field inside an `object` property. */
export type RoomFieldType = 'boolean' | 'string' | 'number' | 'object' | 'object-array';

export interface RoomPropertySpec {
  readonly kind: RoomPropertyKind;
  /** One line, for people. */
  readonly meaning: string;
  /** Daily's default when the property is not set, where documented. */
  readonly default?: string | number | boolean;
  /** Allowed values for `enum`s. */
  readonly values?: readonly string[];
  /** Values older clients use: accepted with a warning that says why. */
  readonly legacyValues?: Readonly<Record<string, string>>;
  /**
   * The `values` are the ones Daily documents today, and Daily adds more over time (regions): another
   * string is accepted with a warning, not refused.
   */
  readonly openValues?: boolean;
  /**
   * Strings Daily's generated SDK (daily-ruby) sends as the default on every call (`"<not set>"`, `"NULL"`,
   * the spec's description text). Daily accepts them, so they mean "not set": treated as `null`, never stored.
   */
  readonly notSetValues?: readonly string[];
  /** `template`: the `{tags}` Daily fills in; `requiredTag` must appear. */
  readonly tags?: readonly string[];
  readonly requiredTag?: string;
  /** `object`: the documented fields and the JSON type of each. */
  readonly fields?: Readonly<Record<string, RoomFieldType>>;
  /** `url`: any absolute URL, a mobile deep link too (`myapp://…`); only script schemes are refused. */
  readonly deepLinks?: boolean;
  /**
   * Daily sets this on request, not through the API (the domain's `hipaa`, `intercom_auto_record`): kept,
   * so a test can act as such a domain, with a warning when it differs from the default.
   */
  readonly setByDaily?: string;
  /** Where a fact beyond daily-ruby's `RoomProperties` comes from. */
  readonly source?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxLength?: number;
  /** Only takes effect in Daily Prebuilt. */
  readonly prebuiltOnly?: boolean;
  /** For `url`s: Daily POSTs a webhook to it (see the claim registry's `webhook`). */
  readonly webhook?: boolean;
}

const RECORDING = CLAIM_REGISTRY.enable_recording;

/** Daily's call-server regions (`geo`). */
const SFU_REGIONS = [
  'af-south-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-south-1',
  'eu-central-1',
  'eu-west-2',
  'sa-east-1',
  'us-east-1',
  'us-west-2',
] as const;

/**
 * An S3 bucket of recordings or transcriptions (daily-ruby `RecordingsBucket`, `TranscriptionBucket`;
 * `storage_provider` and `namespace` from Daily's batch-rooms page).
 */
const BUCKET_FIELDS = {
  bucket_name: 'string',
  bucket_region: 'string',
  assume_role_arn: 'string',
  allow_api_access: 'boolean',
  storage_provider: 'string',
  namespace: 'string',
} as const satisfies Record<string, RoomFieldType>;

export const ROOM_PROPERTY_REGISTRY = {
  nbf: { kind: 'timestamp', meaning: 'Nobody can join before this time (unix seconds).' },
  exp: {
    kind: 'timestamp',
    meaning: 'Nobody can join after this time (unix seconds); the room is gone for the API from then on.',
  },
  max_participants: {
    kind: 'integer',
    default: 200,
    minimum: 1,
    maximum: 100_000,
    meaning: 'How many people may be in the room at once (above 200 needs Daily to raise your limit).',
  },
  enable_people_ui: { kind: 'boolean', prebuiltOnly: true, meaning: 'Show the People button and panel.' },
  enable_pip_ui: { kind: 'boolean', prebuiltOnly: true, meaning: 'Show the Picture-in-Picture button.' },
  enable_emoji_reactions: { kind: 'boolean', prebuiltOnly: true, meaning: 'Show the emoji Reactions button.' },
  enable_hand_raising: { kind: 'boolean', prebuiltOnly: true, meaning: 'Show the raise-hand button.' },
  enable_prejoin_ui: {
    kind: 'boolean',
    prebuiltOnly: true,
    meaning: 'Show the pre-join screen (camera, mic and browser check).',
  },
  enable_live_captions_ui: { kind: 'boolean', prebuiltOnly: true, meaning: 'Show the closed-captions button.' },
  enable_network_ui: { kind: 'boolean', prebuiltOnly: true, meaning: 'Show the network button and panel.' },
  enable_noise_cancellation_ui: {
    kind: 'boolean',
    prebuiltOnly: true,
    meaning: 'Show the noise-cancellation controls.',
  },
  enable_breakout_rooms: { kind: 'boolean', prebuiltOnly: true, meaning: 'Let owners create breakout rooms (beta).' },
  enable_cpu_warning_notifications: {
    kind: 'boolean',
    prebuiltOnly: true,
    meaning: 'Warn participants whose CPU is overloaded.',
  },
  enable_knocking: {
    kind: 'boolean',
    meaning: 'Private rooms get a lobby: people without a token knock and an owner admits them.',
  },
  enable_screenshare: {
    kind: 'boolean',
    default: true,
    meaning: 'Allow screen sharing (fixed once a session starts).',
  },
  enable_video_processing_ui: {
    kind: 'boolean',
    default: true,
    prebuiltOnly: true,
    meaning: 'Show the background-blur controls.',
  },
  enable_chat: { kind: 'boolean', default: false, prebuiltOnly: true, meaning: 'Show the text chat.' },
  enable_shared_chat_history: {
    kind: 'boolean',
    default: true,
    prebuiltOnly: true,
    meaning: 'Late joiners fetch the chat history from the others.',
  },
  start_video_off: { kind: 'boolean', default: false, meaning: 'Cameras start off on a direct join().' },
  start_audio_off: { kind: 'boolean', default: false, meaning: 'Microphones start off on a direct join().' },
  owner_only_broadcast: {
    kind: 'boolean',
    default: false,
    prebuiltOnly: true,
    meaning: 'Only owners may turn on camera, mic or screen share.',
  },
  enable_recording: {
    kind: 'enum',
    values: RECORDING.values,
    legacyValues: {
      'rtp-tracks': RECORDING.legacyValues['rtp-tracks'],
      'output-byte-stream': RECORDING.legacyValues['output-byte-stream'],
    },
    // in the OpenAPI enum, and daily-ruby's default: sent on every room it creates
    notSetValues: ['<not set>'],
    meaning: 'The kind of recording allowed in the room; unset means no recording.',
  },
  eject_at_room_exp: {
    kind: 'boolean',
    default: false,
    meaning: 'At exp, end a running meeting by ejecting everyone (tokens can override).',
  },
  eject_after_elapsed: {
    kind: 'seconds',
    meaning: 'Eject each participant this many seconds after they join (tokens can override).',
  },
  enable_advanced_chat: {
    kind: 'boolean',
    default: false,
    prebuiltOnly: true,
    meaning: 'Richer chat: reactions, emoji picker, Giphy.',
  },
  enable_hidden_participants: {
    kind: 'boolean',
    default: false,
    meaning: 'Non-owners join hidden and receive only the owners’ media (large events).',
  },
  enable_mesh_sfu: { kind: 'boolean', meaning: 'Spread the call over several SFUs (large calls, live streaming).' },
  sfu_switchover: {
    kind: 'number',
    default: 0.5,
    minimum: 0,
    meaning: 'Switch from peer-to-peer to SFU above this many participants (0.5: SFU from the start).',
  },
  enable_adaptive_simulcast: {
    kind: 'boolean',
    default: true,
    meaning: 'Daily Adaptive Bitrate for 1:1 calls.',
  },
  enable_multiparty_adaptive_simulcast: {
    kind: 'boolean',
    default: false,
    meaning: 'Daily Adaptive Bitrate for group calls (needs enable_adaptive_simulcast).',
  },
  enforce_unique_user_ids: {
    kind: 'boolean',
    default: false,
    meaning: 'A join with a user_id already present ejects the earlier participant.',
  },
  experimental_optimize_large_calls: {
    kind: 'boolean',
    prebuiltOnly: true,
    meaning: 'Prebuilt tuned for calls of up to 1,000 participants.',
  },
  lang: {
    kind: 'enum',
    default: CLAIM_REGISTRY.lang.default,
    values: CLAIM_REGISTRY.lang.values,
    prebuiltOnly: true,
    meaning: 'Language of the Prebuilt UI for this room; overrides the domain setting.',
  },
  meeting_join_hook: {
    kind: 'url',
    webhook: true,
    maxLength: 255,
    // the docs' "Default is NULL"; daily-ruby sends it as the domain's default
    notSetValues: ['NULL'],
    meaning: 'URL that gets a webhook when someone joins (Daily recommends the participant.joined webhook).',
  },
  geo: {
    kind: 'enum',
    values: SFU_REGIONS,
    // the OpenAPI types geo as a plain string; Daily adds regions
    openValues: true,
    notSetValues: ['NULL'],
    meaning: 'Always host the call in this AWS region instead of the first joiner’s nearest.',
  },
  rtmp_geo: {
    kind: 'enum',
    values: ['us-west-2', 'eu-central-1', 'ap-south-1'],
    openValues: true,
    notSetValues: ['The closest available region to the SFU region used by the meeting.'],
    meaning: 'Region RTMP streams start from; unset means the one nearest the call’s SFU.',
  },
  disable_rtmp_geo_fallback: {
    kind: 'boolean',
    default: false,
    meaning: 'Fail instead of falling back to another region when rtmp_geo has no capacity.',
  },
  recordings_bucket: {
    kind: 'object',
    fields: { ...BUCKET_FIELDS, allow_streaming_from_bucket: 'boolean' },
    meaning: 'Your own S3 bucket for cloud recordings ({bucket_name, bucket_region, assume_role_arn, …}).',
  },
  enable_terse_logging: {
    kind: 'boolean',
    default: false,
    meaning: 'Log less; advised above 200 participants.',
  },
  auto_transcription_settings: {
    kind: 'object',
    meaning: 'startTranscription() options used when transcription starts automatically.',
  },
  enable_transcription_storage: {
    kind: 'boolean',
    default: false,
    meaning: 'Save transcriptions as WebVTT.',
  },
  transcription_bucket: {
    kind: 'object',
    fields: BUCKET_FIELDS,
    meaning: 'Your own S3 bucket for stored transcriptions.',
  },
  recordings_template: {
    kind: 'template',
    maxLength: 1024,
    requiredTag: 'epoch_time',
    tags: ['epoch_time', 'domain_name', 'room_name', 'mtg_session_id', 'instance_id', 'recording_id'],
    source: 'Daily rooms config: "The epoch_time tag is mandatory"; at most 1024 characters',
    meaning: 'Recording file name template; must contain {epoch_time}.',
  },
  transcription_template: {
    kind: 'template',
    maxLength: 1024,
    requiredTag: 'epoch_time',
    tags: ['epoch_time', 'domain_name', 'room_name', 'mtg_session_id', 'instance_id', 'transcript_id'],
    source: 'Daily rooms config (transcription_template): same rules as recordings_template',
    meaning: 'Stored transcription file name template; must contain {epoch_time}.',
  },
  streaming_endpoints: {
    kind: 'object-array',
    meaning: 'Predefined RTMP/HLS endpoints that startLiveStreaming() can name.',
  },
  enable_dialout: {
    kind: 'boolean',
    default: false,
    source: 'Daily rooms config: "Allow dialout API from the room. Default: false"',
    meaning: 'Allow dial-out (PSTN or SIP) from the room.',
  },
  dialout_config: {
    kind: 'object',
    fields: { allow_room_start: 'boolean', dialout_geo: 'string', max_idle_timeout_sec: 'number' },
    source: 'Daily rooms config (dialout_config)',
    meaning: 'Dial-out behaviour: start the room without anyone in it, SFU region, idle timeout.',
  },
  dialin: {
    kind: 'object',
    fields: { display_name: 'string', wait_for_meeting_start: 'boolean', room_numbers: 'object-array' },
    source: 'Daily PIN dial-in guide (dialin room property); Daily answers with a read-only dialin_code',
    meaning: 'PSTN dial-in with a PIN ({display_name, wait_for_meeting_start, room_numbers}).',
  },
  sip: {
    kind: 'object',
    fields: { display_name: 'string', sip_mode: 'string', video: 'boolean', num_endpoints: 'number', codecs: 'object' },
    source: 'Daily SIP guide (sip room property; null disables it)',
    meaning: 'SIP dial-in settings ({display_name, sip_mode, video, num_endpoints}).',
  },
  permissions: {
    kind: 'permissions',
    meaning: 'Default permissions of participants without a token that sets their own.',
  },
} as const satisfies Record<string, RoomPropertySpec>;

export type RoomRegistry = typeof ROOM_PROPERTY_REGISTRY;
/** Every room property name. */
export type RoomPropertyName = keyof RoomRegistry;

/** Room property names in registry order. */
export const ROOM_PROPERTY_NAMES = Object.keys(ROOM_PROPERTY_REGISTRY) as RoomPropertyName[];

export {
  ROOM_LIST_MAX_LIMIT,
  ROOM_NAME_MAX_LENGTH,
  ROOM_NAME_PATTERN,
  ROOM_PRIVACY,
  type RoomPrivacy,
} from './limits.js';

/** Looks up a room property's spec. */
export function roomSpecOf(name: RoomPropertyName): RoomPropertySpec {
  return ROOM_PROPERTY_REGISTRY[name];
}

/**
 * Where a room property's facts come from, as the verdict model's evidence: its `source` where the entry
 * names one (Daily's docs and guides), else Daily's OpenAPI, whose generated `RoomProperties` model lists it.
 *
 * @example
 * ```ts
 * roomPropertyEvidence('recordings_template').says // 'Daily rooms config: "The epoch_time tag is mandatory"; …'
 * ```
 */
export function roomPropertyEvidence(name: RoomPropertyName): Evidence {
  const spec = roomSpecOf(name);
  if (spec.source === undefined)
    return { source: 'daily-openapi', says: `${name} is a room property (RoomProperties, daily-ruby)` };
  return { source: spec.source.startsWith('daily-ruby') ? 'daily-openapi' : 'daily-docs', says: spec.source };
}

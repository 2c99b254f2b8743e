/**
 * The claim registry: every Daily meeting-token property, once.
 *
 * Types, the full-name ↔ claim mapping, validation, JSON schemas, CLI flags, the inspector's
 * explanations and the README's claim table are all derived from this table. Facts come from Daily's
 * docs and daily-js (see shared/reference/daily-meeting-tokens.md); where sources disagree the entry
 * says which way we went.
 */

/** How a property's value is shaped. */
export type ClaimKind =
  | 'string'
  | 'boolean'
  /** Unix time in whole seconds. */
  | 'timestamp'
  /** A positive whole number of seconds. */
  | 'seconds'
  | 'enum'
  | 'url'
  | 'permissions'
  | 'recording-options';

/** Who sets a property. */
export type ClaimOrigin =
  /** Sent in `POST /v1/meeting-tokens` `properties` and settable when self-signing. */
  | 'rest'
  /** Put in the JWT by whoever signs it (`d`, `iat`); not a POST property. */
  | 'signer'
  /** Documented only in the self-signing abbreviation table; not a POST property. */
  | 'jwt-only';

export interface ClaimSpec {
  /** The JWT claim, or null for the three properties that travel under their full names. */
  readonly claim: string | null;
  readonly kind: ClaimKind;
  readonly origin: ClaimOrigin;
  /** One line, for people: what it does. */
  readonly meaning: string;
  /** Daily's default when the property is absent, where documented. */
  readonly default?: string | number | boolean;
  /** Allowed values for `enum`s. */
  readonly values?: readonly string[];
  /** Values Daily's older clients or room docs use: accepted, with a warning that says why. */
  readonly legacyValues?: Readonly<Record<string, string>>;
  readonly maxLength?: number;
  /** Only takes effect in Daily Prebuilt (the hosted UI), not in custom call-object apps. */
  readonly prebuiltOnly?: boolean;
  /** Anything a user must know that does not fit `meaning`. */
  readonly note?: string;
}

export const CLAIM_REGISTRY = {
  room_name: {
    claim: 'r',
    kind: 'string',
    origin: 'rest',
    meaning: 'The room this token is for. Without it the token works in every room of the domain.',
  },
  domain_id: {
    claim: 'd',
    kind: 'string',
    origin: 'signer',
    meaning: 'The Daily domain the token belongs to (domain_id from GET /v1/); tokens of other domains are ignored.',
  },
  iat: {
    claim: 'iat',
    kind: 'timestamp',
    origin: 'signer',
    meaning: 'When the token was issued (unix seconds).',
  },
  nbf: {
    claim: 'nbf',
    kind: 'timestamp',
    origin: 'rest',
    meaning: 'The token cannot be used to join before this time (unix seconds).',
  },
  exp: {
    claim: 'exp',
    kind: 'timestamp',
    origin: 'rest',
    meaning: 'The token cannot be used to join after this time (unix seconds). Without it the token never expires.',
  },
  eject_at_token_exp: {
    claim: 'ejt',
    kind: 'boolean',
    origin: 'rest',
    default: false,
    meaning: 'Eject the participant when the token expires.',
    note: "Setting this or eject_after_elapsed makes Daily ignore the room's own ejection settings.",
  },
  eject_after_elapsed: {
    claim: 'eje',
    kind: 'seconds',
    origin: 'rest',
    meaning: 'Eject the participant this many seconds after they join.',
  },
  is_owner: {
    claim: 'o',
    kind: 'boolean',
    origin: 'rest',
    default: false,
    meaning: 'Give the participant meeting-owner privileges (all permissions).',
  },
  user_name: {
    claim: 'u',
    kind: 'string',
    origin: 'rest',
    meaning: 'Display name of the participant; also kept in the meeting events log.',
  },
  user_id: {
    claim: 'ud',
    kind: 'string',
    origin: 'rest',
    maxLength: 36,
    meaning: 'Your id for the participant, reported by participants() and /meetings (at most 36 characters).',
    note: 'On HIPAA domains /meetings shows it only if it is a UUID.',
  },
  enable_screenshare: {
    claim: 'ss',
    kind: 'boolean',
    origin: 'rest',
    default: true,
    meaning: 'Allow screen sharing for the whole meeting (use permissions to change it during the call).',
  },
  start_video_off: {
    claim: 'vo',
    kind: 'boolean',
    origin: 'rest',
    default: false,
    meaning: 'Start with the camera off.',
  },
  start_audio_off: {
    claim: 'ao',
    kind: 'boolean',
    origin: 'rest',
    default: false,
    meaning: 'Start with the microphone off.',
  },
  enable_recording: {
    claim: 'er',
    kind: 'enum',
    origin: 'rest',
    values: ['cloud', 'local', 'raw-tracks'],
    legacyValues: {
      'cloud-audio-only': 'documented for rooms, not for tokens',
      'rtp-tracks': 'a legacy value not in the current docs',
      'output-byte-stream': 'a legacy value not in the current docs',
    },
    meaning: 'The kind of recording this participant may start.',
  },
  enable_prejoin_ui: {
    claim: null,
    kind: 'boolean',
    origin: 'rest',
    prebuiltOnly: true,
    meaning: 'Show the pre-join screen (camera and mic check); overrides the room and domain setting.',
  },
  enable_live_captions_ui: {
    claim: null,
    kind: 'boolean',
    origin: 'rest',
    prebuiltOnly: true,
    meaning: 'Show the closed-captions button in the tray.',
  },
  enable_recording_ui: {
    claim: 'erui',
    kind: 'boolean',
    origin: 'rest',
    prebuiltOnly: true,
    meaning: 'Show or hide the Recording button.',
  },
  enable_terse_logging: {
    claim: null,
    kind: 'boolean',
    origin: 'rest',
    default: false,
    meaning: 'Log less; advised for calls of more than 200 participants.',
  },
  knocking: {
    claim: 'k',
    kind: 'boolean',
    origin: 'rest',
    default: false,
    meaning: 'Make the holder knock to enter a room with knocking enabled, instead of skipping the lobby.',
  },
  start_cloud_recording: {
    claim: 'sr',
    kind: 'boolean',
    origin: 'rest',
    default: false,
    meaning: 'Start a cloud recording when this participant joins (needs enable_recording "cloud").',
  },
  start_cloud_recording_opts: {
    claim: 'sro',
    kind: 'recording-options',
    origin: 'rest',
    meaning: 'Options for the recording that start_cloud_recording starts (as for startRecording()).',
    note: 'Keep the whole token under 2048 characters.',
  },
  auto_start_transcription: {
    claim: 'ast',
    kind: 'boolean',
    origin: 'rest',
    default: false,
    meaning: 'Start transcription when an owner joins.',
  },
  close_tab_on_exit: {
    claim: 'ctoe',
    kind: 'boolean',
    origin: 'rest',
    default: false,
    prebuiltOnly: true,
    meaning: 'Close the browser tab when the participant leaves.',
  },
  redirect_on_meeting_exit: {
    claim: 'rome',
    kind: 'url',
    origin: 'rest',
    prebuiltOnly: true,
    meaning: 'Send the participant to this URL when they leave (Daily appends ?recent-call=<domain>/<room>).',
  },
  lang: {
    claim: 'uil',
    kind: 'enum',
    origin: 'rest',
    default: 'en',
    values: [
      'da',
      'de',
      'en',
      'es',
      'fi',
      'fr',
      'it',
      'jp',
      'ka',
      'nl',
      'no',
      'pt',
      'pt-BR',
      'pl',
      'ru',
      'sv',
      'tr',
      'user',
    ],
    prebuiltOnly: true,
    meaning: 'Language of the Prebuilt UI; "user" follows the browser.',
    note: '"no" and "ru" exist only in the new Prebuilt.',
  },
  permissions: {
    claim: 'p',
    kind: 'permissions',
    origin: 'rest',
    meaning: 'Initial permissions: presence, what the participant may send, receive and administer.',
    note: "Owners get every permission; a token can only add to an owner's admin rights.",
  },
  intercom_join_alert: {
    claim: 'ij',
    kind: 'boolean',
    origin: 'jwt-only',
    meaning: 'Alert (intercom) when this participant joins. Documented only in the self-signing table.',
  },
  meeting_join_hook: {
    claim: 'mjh',
    kind: 'url',
    origin: 'jwt-only',
    meaning: 'Webhook URL called when this participant joins. Documented only in the self-signing table.',
  },
} as const satisfies Record<string, ClaimSpec>;

export type Registry = typeof CLAIM_REGISTRY;
/** Every full property name. */
export type PropertyName = keyof Registry;

/** Full property names in registry order. */
export const PROPERTY_NAMES = Object.keys(CLAIM_REGISTRY) as PropertyName[];

/** Full names of the properties accepted by `POST /v1/meeting-tokens`. */
export const REST_PROPERTY_NAMES = PROPERTY_NAMES.filter((n) => CLAIM_REGISTRY[n].origin === 'rest');

/** The name a property travels under inside the JWT: its abbreviation, or its full name when it has none. */
export function claimKeyOf(name: PropertyName): string {
  return CLAIM_REGISTRY[name].claim ?? name;
}

/** JWT claim key → full property name (for the abbreviation-less three, the key is the full name). */
export const PROPERTY_BY_CLAIM: ReadonlyMap<string, PropertyName> = new Map(
  PROPERTY_NAMES.map((n) => [claimKeyOf(n), n] as const),
);

/** Full names that have an abbreviation: written under the full name in a JWT, Daily ignores them. */
export const ABBREVIATED_PROPERTY_NAMES: ReadonlySet<string> = new Set(
  PROPERTY_NAMES.filter((n) => CLAIM_REGISTRY[n].claim !== null && CLAIM_REGISTRY[n].claim !== n),
);

/** Looks up a property's spec by its full name. */
export function specOf(name: PropertyName): ClaimSpec {
  return CLAIM_REGISTRY[name];
}

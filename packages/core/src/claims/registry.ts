/**
 * The claim registry: every Daily meeting-token property, once.
 *
 * Types, the compiled claim codecs (codec.ts: validation, the full-name ↔ claim mapping, the JSON
 * writer), JSON schemas, CLI flags, the inspector's explanations and the README's claim table are all
 * derived from this table. What each property means, in words, is in meanings.ts, keyed the same way. Facts come from Daily's
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
  /** Daily's default when the property is absent, where documented. */
  readonly default?: string | number | boolean;
  /** Allowed values for `enum`s. */
  readonly values?: readonly string[];
  /** Values Daily's older clients or room docs use: accepted, with a warning that says why. */
  readonly legacyValues?: Readonly<Record<string, string>>;
  readonly maxLength?: number;
  /** Only takes effect in Daily Prebuilt (the hosted UI), not in custom call-object apps. */
  readonly prebuiltOnly?: boolean;
  /**
   * For `url`s: Daily's servers POST a webhook to it, so only an http(s) URL can receive it (any other
   * absolute URL is accepted with a warning). Other URLs are opened by the browser or app: any absolute
   * URL but a script one (`myapp://…` deep links are documented).
   */
  readonly webhook?: boolean;
}

export const CLAIM_REGISTRY = {
  room_name: {
    claim: 'r',
    kind: 'string',
    origin: 'rest',
  },
  domain_id: {
    claim: 'd',
    kind: 'string',
    origin: 'signer',
  },
  iat: {
    claim: 'iat',
    kind: 'timestamp',
    origin: 'signer',
  },
  nbf: {
    claim: 'nbf',
    kind: 'timestamp',
    origin: 'rest',
  },
  exp: {
    claim: 'exp',
    kind: 'timestamp',
    origin: 'rest',
  },
  eject_at_token_exp: {
    claim: 'ejt',
    kind: 'boolean',
    origin: 'rest',
    default: false,
  },
  eject_after_elapsed: {
    claim: 'eje',
    kind: 'seconds',
    origin: 'rest',
  },
  is_owner: {
    claim: 'o',
    kind: 'boolean',
    origin: 'rest',
    default: false,
  },
  user_name: {
    claim: 'u',
    kind: 'string',
    origin: 'rest',
  },
  user_id: {
    claim: 'ud',
    kind: 'string',
    origin: 'rest',
    maxLength: 36,
  },
  enable_screenshare: {
    claim: 'ss',
    kind: 'boolean',
    origin: 'rest',
    default: true,
  },
  start_video_off: {
    claim: 'vo',
    kind: 'boolean',
    origin: 'rest',
    default: false,
  },
  start_audio_off: {
    claim: 'ao',
    kind: 'boolean',
    origin: 'rest',
    default: false,
  },
  enable_recording: {
    claim: 'er',
    kind: 'enum',
    origin: 'rest',
    // daily-js 0.92 types the same four as startRecording's `type`; Daily's recording guide and its
    // Jan 2026 changelog document cloud-audio-only on rooms and tokens.
    values: ['cloud', 'local', 'raw-tracks', 'cloud-audio-only'],
    legacyValues: {
      'rtp-tracks': 'a legacy value not in the current docs',
      'output-byte-stream': 'a legacy value not in the current docs',
    },
  },
  enable_prejoin_ui: {
    claim: null,
    kind: 'boolean',
    origin: 'rest',
    prebuiltOnly: true,
  },
  enable_live_captions_ui: {
    claim: null,
    kind: 'boolean',
    origin: 'rest',
    prebuiltOnly: true,
  },
  enable_recording_ui: {
    claim: 'erui',
    kind: 'boolean',
    origin: 'rest',
    prebuiltOnly: true,
  },
  enable_terse_logging: {
    claim: null,
    kind: 'boolean',
    origin: 'rest',
    default: false,
  },
  knocking: {
    claim: 'k',
    kind: 'boolean',
    origin: 'rest',
    default: false,
  },
  start_cloud_recording: {
    claim: 'sr',
    kind: 'boolean',
    origin: 'rest',
    default: false,
  },
  start_cloud_recording_opts: {
    claim: 'sro',
    kind: 'recording-options',
    origin: 'rest',
  },
  auto_start_transcription: {
    claim: 'ast',
    kind: 'boolean',
    origin: 'rest',
    default: false,
  },
  close_tab_on_exit: {
    claim: 'ctoe',
    kind: 'boolean',
    origin: 'rest',
    default: false,
    prebuiltOnly: true,
  },
  redirect_on_meeting_exit: {
    claim: 'rome',
    kind: 'url',
    origin: 'rest',
    prebuiltOnly: true,
  },
  lang: {
    claim: 'uil',
    kind: 'enum',
    origin: 'rest',
    default: 'en',
    // Daily's docs list, plus cs and sk from daily-js 0.92's DailyLanguage.
    values: [
      'cs',
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
      'sk',
      'sv',
      'tr',
      'user',
    ],
    legacyValues: {
      // daily-js types tokenConfig.lang as '' | DailyLanguageSetting: what room() reports when none is set.
      '': "the empty value daily-js reports for 'not set'; Daily uses the room's or domain's language",
    },
    prebuiltOnly: true,
  },
  permissions: {
    claim: 'p',
    kind: 'permissions',
    origin: 'rest',
  },
  intercom_join_alert: {
    claim: 'ij',
    kind: 'boolean',
    origin: 'jwt-only',
  },
  meeting_join_hook: {
    claim: 'mjh',
    kind: 'url',
    origin: 'jwt-only',
    webhook: true,
  },
} as const satisfies Record<string, ClaimSpec>;

export type Registry = typeof CLAIM_REGISTRY;
/** Every full property name. */
export type PropertyName = keyof Registry;

/** Full property names in registry order. */
export const PROPERTY_NAMES = Object.keys(CLAIM_REGISTRY) as PropertyName[];

/** Full names of the properties accepted by `POST /v1/meeting-tokens`. */
// The derived tables are built inside pure calls, so that a bundle which does not use them drops them
// (an annotation on `new Map(…)` alone would keep its argument's work).
export const REST_PROPERTY_NAMES = /* @__PURE__ */ (() =>
  PROPERTY_NAMES.filter((n) => CLAIM_REGISTRY[n].origin === 'rest'))();

/** The name a property travels under inside the JWT: its abbreviation, or its full name when it has none. */
export function claimKeyOf(name: PropertyName): string {
  return CLAIM_REGISTRY[name].claim ?? name;
}

/** JWT claim key → full property name (for the abbreviation-less three, the key is the full name). */
export const PROPERTY_BY_CLAIM: ReadonlyMap<string, PropertyName> = /* @__PURE__ */ (() =>
  new Map(PROPERTY_NAMES.map((n) => [claimKeyOf(n), n] as const)))();

/** Full names that have an abbreviation: written under the full name in a JWT, Daily ignores them. */
export const ABBREVIATED_PROPERTY_NAMES: ReadonlySet<string> = /* @__PURE__ */ (() =>
  new Set(PROPERTY_NAMES.filter((n) => CLAIM_REGISTRY[n].claim !== null && CLAIM_REGISTRY[n].claim !== n)))();

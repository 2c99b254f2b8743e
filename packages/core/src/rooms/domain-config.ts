/**
 * What Daily's GetDomainConfig (`GET /v1/`) reports in `config`: its fields, their types and a fresh
 * domain's values. The settable domain properties are domain.ts; these are what a domain reads back.
 */

export type DomainConfigFieldType = 'boolean' | 'string' | 'integer' | 'number' | 'object';

export interface DomainConfigField {
  type: DomainConfigFieldType;
  /** What a fresh domain reports: `null` where Daily documents no default; left out when undefined. */
  value?: unknown;
  /** daily-ruby raises on a null here (the OpenAPI forbids it): never null, left out instead. */
  notNil?: true;
  meaning: string;
}

/**
 * The `config` fields of Daily's GetDomainConfig reply (daily-ruby `GetDomainConfig200ResponseConfig`,
 * types as its OpenAPI gives them), with what a fresh domain reports.
 *
 * @example
 * ```ts
 * DOMAIN_CONFIG_FIELDS.lang; // { type: 'string', value: 'en', meaning: 'Default Prebuilt language.' }
 * ```
 */
export const DOMAIN_CONFIG_FIELDS: Readonly<Record<string, DomainConfigField>> = {
  hide_daily_branding: { type: 'boolean', value: false, meaning: 'Hide the Daily logo in Prebuilt.' },
  redirect_on_meeting_exit: { type: 'string', value: null, meaning: 'URL Prebuilt opens when someone leaves.' },
  meeting_join_hook: { type: 'string', value: null, meaning: 'Webhook URL called when someone joins.' },
  hipaa: { type: 'boolean', value: false, meaning: 'HIPAA mode (user_id shown only if a UUID).' },
  intercom_auto_record: { type: 'boolean', value: false, meaning: 'Intercom: record automatically.' },
  intercom_manual_record: { type: 'string', value: null, meaning: 'Intercom: manual recording setting.' },
  // not_nil in Daily's OpenAPI, and a fresh domain's value is not documented: left out
  sfu_impl: { type: 'string', notNil: true, meaning: 'SFU implementation.' },
  // an integer in the reply's OpenAPI, while the documented default is 0.5 (a client generated with an
  // integer type fails on it): left out until a domain sets it
  sfu_switchover: { type: 'integer', meaning: 'Participants above which calls switch to SFU.' },
  switchover_impl: { type: 'string', value: null, meaning: 'How calls switch between P2P and SFU.' },
  lang: { type: 'string', value: 'en', meaning: 'Default Prebuilt language.' },
  webhook_meeting_end: { type: 'string', value: null, meaning: 'Webhook URL called when a meeting ends.' },
  recordings_bucket: { type: 'object', value: null, meaning: 'Your S3 bucket for recordings.' },
  max_live_streams: { type: 'number', value: null, meaning: 'Concurrent live streams allowed.' },
  max_streaming_instances_per_room: { type: 'number', value: null, meaning: 'Streams per room allowed.' },
  enable_daily_logger: { type: 'boolean', value: true, meaning: 'Send client logs to Daily.' },
  enable_prejoin_ui: { type: 'boolean', value: true, meaning: 'Prebuilt pre-join screen by default.' },
  enable_live_captions_ui: { type: 'boolean', value: false, meaning: 'Prebuilt closed-captions button.' },
  enable_network_ui: { type: 'boolean', value: false, meaning: 'Prebuilt network panel.' },
  disable_rate_limiting: { type: 'boolean', value: false, meaning: 'Rate limits off (never, here).' },
  attach_callobject_to_window: { type: 'boolean', value: false, meaning: 'Expose the call object on window.' },
};

/**
 * Domain config as a fresh domain reports it: no field without a value, and never null where not_nil.
 *
 * @example
 * ```ts
 * DEFAULT_DOMAIN_CONFIG.enable_prejoin_ui; // true
 * ```
 */
export const DEFAULT_DOMAIN_CONFIG: Readonly<Record<string, unknown>> = Object.fromEntries(
  Object.entries(DOMAIN_CONFIG_FIELDS).flatMap(([k, f]) =>
    f.value === undefined || (f.value === null && f.notNil) ? [] : [[k, f.value]],
  ),
);

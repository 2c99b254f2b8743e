/**
 * Daily's domain properties (`POST /v1/`, body `{properties}`): the properties a domain shares with rooms
 * come from the room-property registry (same shapes; the domain's own defaults from Daily's domain config
 * page), plus the domain-only ones. Names as daily-ruby's `DomainProperties` model and the docs give them.
 */
import type { ValidationIssue } from '../util/errors.js';
import { closest, hasOwn, show } from '../util/object.js';
import { ROOM_PROPERTY_REGISTRY, type RoomPropertyName, type RoomPropertySpec } from './registry.js';
import { readPropertiesOf } from './validate.js';

/** Room properties a domain has too (as defaults for its rooms). */
const SHARED_WITH_ROOMS = [
  'enable_advanced_chat',
  'enable_people_ui',
  'enable_pip_ui',
  'enable_emoji_reactions',
  'enable_hand_raising',
  'enable_prejoin_ui',
  'enable_breakout_rooms',
  'enable_live_captions_ui',
  'enable_network_ui',
  'enable_noise_cancellation_ui',
  'enable_video_processing_ui',
  'enable_cpu_warning_notifications',
  'lang',
  'meeting_join_hook',
  'geo',
  'rtmp_geo',
  'disable_rtmp_geo_fallback',
  'enable_terse_logging',
  'enable_transcription_storage',
  'transcription_bucket',
  'recordings_template',
  'enable_mesh_sfu',
  'sfu_switchover',
  'enable_adaptive_simulcast',
  'enforce_unique_user_ids',
  'recordings_bucket',
  'permissions',
] as const satisfies readonly RoomPropertyName[];

/** Where the domain's documented default differs from the room's (Daily's domain config page). */
const DOMAIN_DEFAULTS: Partial<Record<(typeof SHARED_WITH_ROOMS)[number], boolean>> = {
  enable_people_ui: true,
  enable_prejoin_ui: true,
  enable_noise_cancellation_ui: true,
  enable_cpu_warning_notifications: true,
  enable_pip_ui: false,
  enable_emoji_reactions: false,
  enable_hand_raising: false,
  enable_breakout_rooms: false,
  enable_live_captions_ui: false,
  enable_network_ui: false,
};

const DOMAIN_ONLY = {
  hide_daily_branding: {
    kind: 'boolean',
    default: false,
    prebuiltOnly: true,
    meaning: 'Hide "Powered by Daily" in the call UI (pay-as-you-go).',
  },
  redirect_on_meeting_exit: {
    kind: 'url',
    deepLinks: true,
    meaning: 'Where Prebuilt-in-a-tab goes on leave; a mobile deep link works too.',
  },
  hipaa: {
    kind: 'boolean',
    default: false,
    setByDaily: 'Daily turns HIPAA on by email (help@daily.co), a paid add-on',
    meaning: 'HIPAA mode: user_id shown by /meetings only if it is a UUID.',
  },
  intercom_auto_record: {
    kind: 'boolean',
    setByDaily: 'Daily documents it as read-only ("contact us")',
    meaning: 'Record automatically when an Intercom agent joins an Intercom-created call.',
  },
  batch_processor_bucket: { kind: 'object', meaning: 'Your own S3 bucket for batch-processor output.' },
  enable_opus_fec: { kind: 'boolean', meaning: 'Opus forward error correction for audio.' },
  pinless_dialin: {
    kind: 'object-array',
    source: 'daily-ruby DomainProperties; managed through /domain-dialin-config',
    meaning: 'Pinless dial-in configurations (phone numbers, room creation webhook).',
  },
  pin_dialin: {
    kind: 'object-array',
    source: 'daily-ruby DomainProperties; managed through /domain-dialin-config',
    meaning: 'PIN dial-in configurations (phone numbers).',
  },
} as const satisfies Record<string, RoomPropertySpec>;

export type DomainPropertyName = (typeof SHARED_WITH_ROOMS)[number] | keyof typeof DOMAIN_ONLY;

/**
 * Every domain property, derived from the room registry where shared. Validation and the `POST /v1/`
 * schema come from this table.
 */
export const DOMAIN_PROPERTY_REGISTRY: Readonly<Record<DomainPropertyName, RoomPropertySpec>> = {
  ...(Object.fromEntries(
    SHARED_WITH_ROOMS.map((n) => {
      const spec: RoomPropertySpec = ROOM_PROPERTY_REGISTRY[n];
      const d = DOMAIN_DEFAULTS[n];
      return [n, d === undefined ? spec : { ...spec, default: d }];
    }),
  ) as Record<(typeof SHARED_WITH_ROOMS)[number], RoomPropertySpec>),
  ...DOMAIN_ONLY,
};

/** Domain property names in registry order. */
export const DOMAIN_PROPERTY_NAMES = Object.keys(DOMAIN_PROPERTY_REGISTRY) as DomainPropertyName[];

function unknownDomainPropertyMessage(key: string): string {
  if (hasOwn(ROOM_PROPERTY_REGISTRY, key)) {
    return 'is a room property, not a domain one; set it on a room with POST /v1/rooms/:name';
  }
  const hint = closest(key, DOMAIN_PROPERTY_NAMES);
  return `is not a domain property${hint ? `; did you mean ${show(hint)}?` : ''}`;
}

/**
 * Reads the `properties` of `POST /v1/` (set domain config): the same checks as room properties, and
 * a warning where Daily sets the property itself (`hipaa`).
 *
 * @example
 * ```ts
 * readDomainProperties({ lang: 'de', geo: 'NULL' }).properties
 * // { lang: 'de', geo: null }
 * ```
 */
export function readDomainProperties(
  value: unknown,
  path = 'properties',
): { issues: ValidationIssue[]; properties: Partial<Record<DomainPropertyName, unknown>> } {
  const r = readPropertiesOf(DOMAIN_PROPERTY_REGISTRY, 'domain', value, path, unknownDomainPropertyMessage);
  for (const [name, v] of Object.entries(r.properties)) {
    const spec = DOMAIN_PROPERTY_REGISTRY[name as DomainPropertyName];
    if (spec.setByDaily && v !== null && v !== (spec.default ?? false)) {
      r.issues.push({
        path: `${path}.${name}`,
        severity: 'warning',
        message: `is set by Daily, not through the API (${spec.setByDaily}); the emulator keeps and reports it, so a test can act as such a domain`,
      });
    }
  }
  return r;
}

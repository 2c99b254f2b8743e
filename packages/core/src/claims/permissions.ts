/**
 * The `permissions` property's vocabulary, as daily-js reads it (Permissions.js
 * `fromMinifiedJSONObject`): the media, admin and `canReceive` codes, the four fields with their
 * minified names and value forms, and the types of both forms. Data only; the checking converter
 * between the forms is permission-codec.ts.
 */

/** Media kinds and their minified codes, in Daily's order. */
export const MEDIA_CODES = {
  video: 'v',
  audio: 'a',
  screenVideo: 'sv',
  screenAudio: 'sa',
  customVideo: 'cv',
  customAudio: 'ca',
} as const;

/** Media kinds whose permission is per track name (`{"*": true, "<track>": false}`), not a boolean. */
export const TRACK_MEDIA: readonly MediaType[] = ['customVideo', 'customAudio'];

/** Admin rights and their minified codes. */
export const ADMIN_CODES = { participants: 'p', streaming: 's', transcription: 't' } as const;

/** `canReceive` keys and their minified codes. */
export const RECEIVE_CODES = { base: 'b', byUserId: 'u', byParticipantId: 'p' } as const;

export type MediaType = keyof typeof MEDIA_CODES;
export type AdminType = keyof typeof ADMIN_CODES;

/**
 * How a permission field's value is written, for tools that build inputs for it (CLI flags, the
 * inspector's form): a boolean; a set of named items, or true (all) / false (none); or an object.
 */
export type PermissionValueForm =
  | { readonly kind: 'boolean' }
  | { readonly kind: 'set'; readonly items: readonly string[] }
  | { readonly kind: 'object'; readonly example: string };

/**
 * The permission fields: minified name and value form (their meanings are in `PERMISSION_MEANINGS`).
 *
 * @example
 * ```ts
 * PERMISSION_FIELDS.canSend.claim // 'cs'
 * PERMISSION_FIELDS.canSend.value // { kind: 'set', items: ['video', 'audio', …] }
 * ```
 */
export const PERMISSION_FIELDS = {
  hasPresence: { claim: 'hp', value: { kind: 'boolean' } },
  canSend: { claim: 'cs', value: { kind: 'set', items: Object.keys(MEDIA_CODES) as MediaType[] } },
  canReceive: { claim: 'cr', value: { kind: 'object', example: '{"base": true}' } },
  canAdmin: { claim: 'ca', value: { kind: 'set', items: Object.keys(ADMIN_CODES) as AdminType[] } },
} as const satisfies Record<string, { claim: string; value: PermissionValueForm }>;

/** A permission field's full name. */
export type PermissionField = keyof typeof PERMISSION_FIELDS;

/** `{ "*": true, "<trackName>": false }`: custom tracks by name, `*` for the rest. */
export type TrackPermissions = Record<string, boolean>;

/** A complete media permission (all six keys), as `canReceive.base` requires. */
export interface MediaPermissions {
  video: boolean;
  audio: boolean;
  screenVideo: boolean;
  screenAudio: boolean;
  customVideo: TrackPermissions;
  customAudio: TrackPermissions;
}

export interface CanReceivePermission {
  /** `true`/`false`, or a full media object (all six keys, `customVideo`/`customAudio` with `*`). */
  base?: boolean | MediaPermissions;
  /** Overrides by user id; beaten by `byParticipantId`. */
  byUserId?: Record<string, boolean | Partial<MediaPermissions>>;
  /** Overrides by participant (session) id; beat everything else. */
  byParticipantId?: Record<string, boolean | Partial<MediaPermissions>>;
}

/** Full-name permissions, as sent to `POST /v1/meeting-tokens`. */
export interface Permissions {
  hasPresence?: boolean;
  canSend?: boolean | MediaType[];
  canReceive?: CanReceivePermission;
  canAdmin?: boolean | AdminType[];
}

export interface MinifiedMediaPermissions {
  v?: boolean;
  a?: boolean;
  sv?: boolean;
  sa?: boolean;
  cv?: TrackPermissions;
  ca?: TrackPermissions;
}

export interface MinifiedCanReceivePermission {
  b?: boolean | MinifiedMediaPermissions;
  u?: Record<string, boolean | MinifiedMediaPermissions>;
  p?: Record<string, boolean | MinifiedMediaPermissions>;
}

/** Minified permissions, as they sit in the JWT under `p`. */
export interface MinifiedPermissions {
  hp?: boolean;
  cs?: boolean | string;
  cr?: MinifiedCanReceivePermission;
  ca?: boolean | string;
}

const snakeCase = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** `can_send` → `canSend`: what an HTTP client that snake_cases keys sends. */
// Built inside a pure call, so that a bundle which only reads tokens drops it (the writing half uses it).
export const PERMISSION_BY_SNAKE_CASE = /* @__PURE__ */ (() =>
  new Map((Object.keys(PERMISSION_FIELDS) as PermissionField[]).map((f) => [snakeCase(f), f] as const)))();

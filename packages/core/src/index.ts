/**
 * daily-tokens: create, decode, verify and lint Daily.co meeting tokens.
 *
 * @example
 * ```ts
 * import { createMeetingToken, verifyMeetingToken } from 'daily-tokens';
 * const token = await createMeetingToken({ room_name: 'standup' }, { apiKey, domainId });
 * const { valid, problems } = await verifyMeetingToken(token, { apiKey, domainId, roomName: 'standup' });
 * ```
 * @packageDocumentation
 */
export {
  CLAIM_REGISTRY,
  PROPERTY_NAMES,
  REST_PROPERTY_NAMES,
  PROPERTY_BY_CLAIM,
  claimKeyOf,
} from './claims/registry.js';
export type { ClaimKind, ClaimOrigin, ClaimSpec, PropertyName } from './claims/registry.js';
export type { MeetingTokenClaims, MeetingTokenInput, MeetingTokenProperties } from './claims/types.js';
export {
  ADMIN_CODES,
  MEDIA_CODES,
  PERMISSION_FIELDS,
  RECEIVE_CODES,
  TRACK_MEDIA,
} from './claims/permissions.js';
export { normalizePermissions } from './claims/permission-codec.js';
export type {
  AdminType,
  CanReceivePermission,
  MediaPermissions,
  MediaType,
  MinifiedPermissions,
  PermissionField,
  PermissionValueForm,
  Permissions,
  TrackPermissions,
} from './claims/permissions.js';
export type { RecordingLayout, RecordingOptions } from './claims/recording.js';
export { toClaims, toProperties } from './claims/mapping.js';
export { validateProperties } from './claims/validate.js';
export type { ValidatePropertiesOptions } from './claims/validate.js';
export { createMeetingToken, createMeetingTokenSigner } from './jwt/create.js';
export type {
  CreateMeetingTokenOptions,
  Duration,
  MeetingTokenSigner,
  MeetingTokenSignerOptions,
  MintedToken,
  SignOptions,
} from './jwt/create.js';
export { decodeUnverified } from './jwt/decode.js';
export type { DecodedMeetingToken } from './jwt/decode.js';
export { createMeetingTokenVerifier, verifyMeetingToken } from './jwt/verify.js';
export type {
  KeyringEntry,
  MeetingTokenVerifier,
  MeetingTokenVerifierOptions,
  VerifyMeetingTokenOptions,
  VerifyOptions,
  VerifyResult,
} from './jwt/verify.js';
export { MAX_TOKEN_LENGTH, SIGNATURE_LENGTH } from './jwt/parse.js';
export type { JwtHeader } from './jwt/parse.js';
export { useCryptoBackend } from './jwt/hmac.js';
export type { CryptoBackendName, Secret } from './jwt/hmac.js';
export { lintMeetingToken, lintMinted } from './lint/lint.js';
export type { LintOptions } from './lint/lint.js';
export { LINT_RULES } from './lint/rules.js';
export type { Finding, RuleId, Severity } from './lint/rules.js';
export { CLAIM_ISSUE_CODES, MAX_ISSUES, MeetingTokenError, PROBLEM_CODES } from './util/errors.js';
export type { ClaimIssueCode, MeetingTokenErrorCode, Problem, ProblemCode, ValidationIssue } from './util/errors.js';
export { EFFECTS, verdictOf } from './verdict/effects.js';
export type { DailyEffect, DailyVerdict, EffectCode } from './verdict/effects.js';
export { parseDuration } from './util/duration.js';
// For packages built on this one (the token service), so their options fail the same way.
export { assertKnownOptions, optionNames } from './util/options.js';
export { MILLISECONDS_THRESHOLD } from './util/time.js';
export type { Instant } from './util/time.js';
// Display helpers (formatDuration, isoFromSeconds, relativeTime) are the `daily-tokens/explain` entry.
// The REST client and its types are the `daily-tokens/rest` entry; the cleaner of pasted tokens is
// `daily-tokens/token-input` (the main entry is at its size budget).
// Rooms: the types here cost nothing; the registry, validation and schemas are the `daily-tokens/rooms`
// entry, so token-only users do not ship them.
export type { RoomPrivacy } from './rooms/limits.js';
export type { RoomPropertyKind, RoomPropertyName, RoomPropertySpec } from './rooms/registry.js';
export type {
  DailyRoomList,
  RoomProperties,
  RoomPropertiesInput,
  UpdateRoomRequest,
} from './rooms/types.js';
export type { ListRoomsOptions } from './rest/client.js';

/**
 * Lint rules: what makes a meeting token dangerous, ignored by Daily, or merely unwise.
 * `error` = the token is dangerous or Daily will ignore (part of) it; `warning` = likely a mistake;
 * `info` = worth knowing. Each rule says how to fix what it finds.
 */
import { ADMIN_CODES, MEDIA_CODES, PERMISSION_FIELDS } from '../claims/permissions.js';
import { validateRecordingOptions } from '../claims/recording.js';
import {
  ABBREVIATED_PROPERTY_NAMES,
  CLAIM_REGISTRY,
  claimKeyOf,
  PROPERTY_BY_CLAIM,
  PROPERTY_NAMES,
  type PropertyName,
} from '../claims/registry.js';
import { formatDuration } from '../util/duration.js';
import { closest, isPlainObject, show } from '../util/object.js';
import { isoFromSeconds, MILLISECONDS_THRESHOLD, relativeTime } from '../util/time.js';

export type Severity = 'error' | 'warning' | 'info';

/** One lint finding. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  /** The claim concerned, in JWT vocabulary (`exp`, `p.ca`). */
  claim?: string;
  fix?: string;
}

/** What the rules look at: the payload in JWT vocabulary, whatever the input was. */
export interface LintContext {
  source: 'token' | 'claims' | 'properties';
  claims: Record<string, unknown>;
  /** The claims Daily does not know, as decoding sorted them out. */
  unknownClaims: Record<string, unknown>;
  /** Length of the token, or of the token these claims would make. */
  tokenLength: number;
  now: number;
  hipaa: boolean;
  maxLifetime: number;
  /** Byte length of the secret, when one was given. */
  keyLength?: number;
}

type Emit = (f: Omit<Finding, 'rule' | 'severity'>) => void;

export interface LintRule {
  id: string;
  severity: Severity;
  summary: string;
  check(ctx: LintContext, emit: Emit): void;
}

/** Every property's claim key (`K.room_name` is `r`): the rules name claims through the registry. */
const K = Object.fromEntries(PROPERTY_NAMES.map((n) => [n, claimKeyOf(n)])) as Record<PropertyName, string>;
const TIMESTAMP_CLAIMS = PROPERTY_NAMES.filter((n) => CLAIM_REGISTRY[n].kind === 'timestamp').map(claimKeyOf);
/** The permission sets Daily reads only as strings, with an example of the string form. */
const SET_PERMISSIONS = [
  [PERMISSION_FIELDS.canSend.claim, Object.values(MEDIA_CODES).slice(0, 2).join(',')],
  [PERMISSION_FIELDS.canAdmin.claim, Object.values(ADMIN_CODES).join(',')],
] as const;
const CLOUD_RECORDING = CLAIM_REGISTRY.enable_recording.values[0];
const TOKEN_LENGTH_LIMIT = 2048;
const USER_ID_MAX = CLAIM_REGISTRY.user_id.maxLength;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /[^\s@]+@[^\s@]+\.[a-z]{2,}/i;
const PHONE = /(?:\+|\b)\d[\d\s().-]{7,}\d\b/;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** Seconds, even when the claim is (wrongly) in milliseconds, so other rules still judge the time. */
const secs = (v: unknown): number | undefined => {
  const n = num(v);
  return n === undefined ? undefined : n >= MILLISECONDS_THRESHOLD ? Math.floor(n / 1000) : n;
};

/** Every rule, in the order findings are reported within a severity. */
export const LINT_RULES = [
  {
    id: 'malformed',
    severity: 'error',
    summary: 'The input is not a readable JWT.',
    // Emitted by lint.ts before any other rule can run.
    check() {},
  },
  {
    id: 'no-expiry',
    severity: 'error',
    summary: 'No exp: the token works forever and cannot be revoked.',
    check(ctx, emit) {
      if (ctx.claims[K.exp] !== undefined) return;
      emit({
        claim: K.exp,
        message: `no "${K.exp}": the token never expires and cannot be revoked short of regenerating the API key`,
        fix: 'Set exp (unix seconds), e.g. one hour from now; createMeetingToken does so by default.',
      });
    },
  },
  {
    id: 'no-room',
    severity: 'error',
    summary: `No ${K.room_name} (room_name): the token opens every room of the domain.`,
    check(ctx, emit) {
      if (ctx.claims[K.room_name] !== undefined) return;
      emit({
        claim: K.room_name,
        message: `no "${K.room_name}" (room_name): the token works in every room of the domain${ctx.claims.room_name !== undefined ? ' ("room_name" is not read inside a token)' : ''}`,
        fix: ctx.source === 'properties' ? 'Set room_name.' : `Set "${K.room_name}" to the room name.`,
      });
    },
  },
  {
    id: 'no-domain',
    severity: 'error',
    summary: `No ${K.domain_id} (domain_id) in a token: Daily cannot tie it to a domain.`,
    check(ctx, emit) {
      if (ctx.source === 'properties' || ctx.claims[K.domain_id] !== undefined) return;
      emit({
        claim: K.domain_id,
        message: `no "${K.domain_id}" (domain_id): Daily ignores the token`,
        fix: `Add "${K.domain_id}": the domain_id from GET /v1/.`,
      });
    },
  },
  {
    id: 'milliseconds-timestamp',
    severity: 'error',
    summary: 'exp, nbf or iat in milliseconds instead of seconds.',
    check(ctx, emit) {
      for (const claim of TIMESTAMP_CLAIMS) {
        const v = num(ctx.claims[claim]);
        if (v === undefined || v < MILLISECONDS_THRESHOLD) continue;
        emit({
          claim,
          message: `"${claim}" is ${v}, which is milliseconds (${isoFromSeconds(Math.floor(v / 1000))}); Daily reads seconds, so this is the year ${new Date(v * 1000).getUTCFullYear() || 'far future'}`,
          fix: `Divide by 1000: ${Math.floor(v / 1000)}.`,
        });
      }
    },
  },
  {
    id: 'expired',
    severity: 'error',
    summary: 'The token has already expired.',
    check(ctx, emit) {
      const exp = secs(ctx.claims[K.exp]);
      if (exp === undefined || ctx.now < exp) return;
      emit({
        claim: K.exp,
        message: `expired ${relativeTime(exp, ctx.now)} (${isoFromSeconds(exp)})`,
        fix: 'Mint a new token.',
      });
    },
  },
  {
    id: 'not-before-after-expiry',
    severity: 'error',
    summary: 'nbf is not before exp: the token is never valid.',
    check(ctx, emit) {
      const exp = secs(ctx.claims[K.exp]);
      const nbf = secs(ctx.claims[K.nbf]);
      if (exp === undefined || nbf === undefined || nbf < exp) return;
      emit({
        claim: K.nbf,
        message: `nbf (${isoFromSeconds(nbf)}) is not before exp (${isoFromSeconds(exp)}): the token is never valid`,
        fix: 'Make nbf earlier than exp.',
      });
    },
  },
  {
    id: 'permissions-array',
    severity: 'error',
    summary: `${SET_PERMISSIONS.map(([k]) => `${K.permissions}.${k}`).join(' or ')} written as an array, which Daily ignores.`,
    check(ctx, emit) {
      const p = ctx.claims[K.permissions];
      if (!isPlainObject(p)) return;
      for (const [key, example] of SET_PERMISSIONS) {
        if (!Array.isArray(p[key])) continue;
        emit({
          claim: `${K.permissions}.${key}`,
          message: `"${K.permissions}.${key}" is an array (${show(p[key])}); Daily reads only true/false or a comma-separated string, so it ignores this permission`,
          fix: `Write a comma-separated string of codes, e.g. "${example}", or use createMeetingToken / toClaims, which encode it.`,
        });
      }
    },
  },
  {
    id: 'user-id-too-long',
    severity: 'error',
    summary: `user_id (${K.user_id}) longer than ${USER_ID_MAX} characters.`,
    check(ctx, emit) {
      const ud = ctx.claims[K.user_id];
      if (typeof ud !== 'string' || ud.length <= USER_ID_MAX) return;
      emit({
        claim: K.user_id,
        message: `"${K.user_id}" (user_id) is ${ud.length} characters; Daily allows ${USER_ID_MAX}`,
        fix: 'Use a shorter id, such as a UUID.',
      });
    },
  },
  {
    id: 'token-too-long',
    severity: 'error',
    summary: 'The token is over 2048 characters.',
    check(ctx, emit) {
      if (ctx.tokenLength <= TOKEN_LENGTH_LIMIT) return;
      emit({
        message: `the token is ${ctx.tokenLength} characters; Daily advises under ${TOKEN_LENGTH_LIMIT} (URLs and headers may cut it)`,
        fix: 'Move large options (start_cloud_recording_opts, per-user canReceive) elsewhere or shorten them.',
      });
    },
  },
  {
    id: 'invalid-claim',
    severity: 'error',
    summary: 'A claim with a value Daily cannot read.',
    // Emitted from the decoding issues in lint.ts, after the specific rules above had their say.
    check() {},
  },
  {
    id: 'long-lifetime',
    severity: 'warning',
    summary: 'The token lives longer than maxLifetime (1 hour by default).',
    check(ctx, emit) {
      const exp = secs(ctx.claims[K.exp]);
      if (exp === undefined) return;
      const start = secs(ctx.claims[K.nbf]) ?? secs(ctx.claims[K.iat]) ?? ctx.now;
      const life = exp - start;
      if (life <= ctx.maxLifetime) return;
      emit({
        claim: K.exp,
        message: `the token is valid for ${formatDuration(life)}, over ${formatDuration(ctx.maxLifetime)}; a leaked token works that long`,
        fix: 'Mint short-lived tokens when the user joins, rather than long-lived ones ahead of time.',
      });
    },
  },
  {
    id: 'full-name-claim',
    severity: 'warning',
    summary: `A full property name used as a claim (room_name instead of ${K.room_name}): Daily ignores it.`,
    check(ctx, emit) {
      if (ctx.source === 'properties') return;
      for (const key of Object.keys(ctx.claims)) {
        if (!ABBREVIATED_PROPERTY_NAMES.has(key)) continue;
        const abbr = CLAIM_REGISTRY[key as keyof typeof CLAIM_REGISTRY].claim as string;
        emit({
          claim: key,
          message: `"${key}" is not read inside a token; Daily reads "${abbr}"`,
          fix: `Rename "${key}" to "${abbr}".`,
        });
      }
    },
  },
  {
    id: 'unknown-claim',
    severity: 'warning',
    summary: 'A claim Daily does not know (misspelt or custom): it is ignored.',
    check(ctx, emit) {
      if (ctx.source === 'properties') return;
      for (const key of Object.keys(ctx.unknownClaims)) {
        if (ABBREVIATED_PROPERTY_NAMES.has(key)) continue;
        const hint = closest(key, [...PROPERTY_BY_CLAIM.keys()], key.length <= 3 ? 1 : 2);
        emit({
          claim: key,
          message: `"${key}" is not a Daily claim; it is ignored${hint ? ` (did you mean "${hint}", ${PROPERTY_BY_CLAIM.get(hint)}?)` : ''}`,
          fix: hint
            ? `Rename it to "${hint}", or remove it.`
            : 'Remove it; the token is readable by anyone who holds it.',
        });
      }
    },
  },
  {
    id: 'legacy-value',
    severity: 'warning',
    summary: 'A value Daily accepts only for compatibility (e.g. enable_recording "rtp-tracks").',
    // Emitted from the decoding warnings in lint.ts.
    check() {},
  },
  {
    id: 'ignored-recording-option',
    severity: 'warning',
    summary:
      'A start_cloud_recording_opts key daily-js does not know, or one its layout does not take: Daily ignores it.',
    check(ctx, emit) {
      const sro = ctx.claims[K.start_cloud_recording_opts];
      if (sro === undefined) return;
      // The recording codec's own walk names the keys; its type errors are invalid-claim findings already.
      validateRecordingOptions(sro, K.start_cloud_recording_opts, [], (issues, path, message) => {
        issues.push({ path, message, severity: 'warning' });
        emit({
          claim: path,
          message: `${path} ${message}`,
          fix: 'Rename it as the message suggests, or remove it: Daily records without it.',
        });
      });
    },
  },
  {
    id: 'user-id-not-uuid',
    severity: 'warning',
    summary: 'On a HIPAA domain, a user_id that is not a UUID is hidden from /meetings.',
    check(ctx, emit) {
      const ud = ctx.claims[K.user_id];
      if (!ctx.hipaa || typeof ud !== 'string' || UUID.test(ud)) return;
      emit({
        claim: K.user_id,
        message: `"${K.user_id}" (user_id) is not a UUID; on a HIPAA domain /meetings reports it as "hipaa"`,
        fix: 'Use a UUID as user_id.',
      });
    },
  },
  {
    id: 'personal-data',
    severity: 'warning',
    summary: `An e-mail address or phone number in ${K.user_name} or ${K.user_id}: anyone holding the token can read it.`,
    check(ctx, emit) {
      for (const claim of [K.user_name, K.user_id]) {
        const v = ctx.claims[claim];
        if (typeof v !== 'string') continue;
        // The cheap tests first: an address has an @; PHONE needs 9 characters (digit, 7 more, digit).
        const kind =
          v.includes('@') && EMAIL.test(v)
            ? 'an e-mail address'
            : v.length > 8 && PHONE.test(v)
              ? 'a phone number'
              : undefined;
        if (!kind) continue;
        emit({
          claim,
          message: `"${claim}" (${PROPERTY_BY_CLAIM.get(claim)}) looks like ${kind}; tokens are signed, not encrypted, and are logged by Daily`,
          fix: 'Use an opaque id and a display name without contact details.',
        });
      }
    },
  },
  {
    id: 'weak-key',
    severity: 'warning',
    summary: 'The signing secret is shorter than 32 bytes.',
    check(ctx, emit) {
      if (ctx.keyLength === undefined || ctx.keyLength >= 32) return;
      emit({
        message: `the secret is ${ctx.keyLength} bytes; HS256 secrets should be at least 32`,
        fix: "Use the domain's API key as Daily issues it.",
      });
    },
  },
  {
    id: 'eject-without-expiry',
    severity: 'warning',
    summary: 'eject_at_token_exp without exp: nobody is ever ejected.',
    check(ctx, emit) {
      if (ctx.claims[K.eject_at_token_exp] !== true || ctx.claims[K.exp] !== undefined) return;
      emit({
        claim: K.eject_at_token_exp,
        message: `"${K.eject_at_token_exp}" (eject_at_token_exp) is true but there is no "${K.exp}", so it never fires`,
        fix: 'Set exp.',
      });
    },
  },
  {
    id: 'recording-not-enabled',
    severity: 'info',
    summary: `start_cloud_recording without enable_recording "${CLOUD_RECORDING}" in the token.`,
    check(ctx, emit) {
      if (ctx.claims[K.start_cloud_recording] !== true || ctx.claims[K.enable_recording] === CLOUD_RECORDING) return;
      emit({
        claim: K.start_cloud_recording,
        message: `"${K.start_cloud_recording}" (start_cloud_recording) needs enable_recording "${CLOUD_RECORDING}" on the room or in the token`,
        fix: `Set "${K.enable_recording}": "${CLOUD_RECORDING}" unless the room has it.`,
      });
    },
  },
  {
    id: 'no-issued-at',
    severity: 'info',
    summary: "No iat: Daily's docs ask self-signed tokens to carry it.",
    check(ctx, emit) {
      if (ctx.source === 'properties' || ctx.claims[K.iat] !== undefined) return;
      emit({
        claim: K.iat,
        message: `no "${K.iat}" (issued at); Daily's docs say self-signed tokens must include it`,
        fix: `Add "${K.iat}": the current unix time in seconds.`,
      });
    },
  },
] as const satisfies readonly LintRule[];

/** The id of every lint rule. */
export type RuleId = (typeof LINT_RULES)[number]['id'];

/**
 * Lint rules: what makes a meeting token dangerous, ignored by Daily, or merely unwise.
 * `error` = the token is dangerous or Daily will ignore (part of) it; `warning` = likely a mistake;
 * `info` = worth knowing. Each rule says how to fix what it finds, and each finding carries the rule's
 * effect on Daily's verdict (verdict/effects.ts), the same one verify gives the same fact.
 */
import { PERMISSION_FIELDS } from '../claims/permissions.js';
import {
  CLAIM_REGISTRY,
  claimKeyOf,
  PROPERTY_BY_CLAIM,
  PROPERTY_NAMES,
  type PropertyName,
} from '../claims/registry.js';
import { TOKEN_LENGTH_ADVICE } from '../jwt/parse.js';
import { formatDuration } from '../util/duration.js';
import { isoFromSeconds, MILLISECONDS_THRESHOLD } from '../util/time.js';
import type { DailyEffect } from '../verdict/effects.js';
import { expiredNote, noDomainNote, notYetValidNote } from '../verdict/notes.js';

export type Severity = 'error' | 'warning' | 'info';

/** One lint finding. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  /**
   * What it does to Daily's handling of the token: `refuses` (Daily ignores the whole token), `drops`
   * (Daily leaves this claim out and applies the rest) or `applies` (advice; Daily applies the token).
   */
  effect: DailyEffect;
  message: string;
  /** The claim concerned, in JWT vocabulary (`exp`, `p.ca`). */
  claim?: string;
  fix: string;
}

/** What the rules look at: the payload in JWT vocabulary, whatever the input was. */
export interface LintContext {
  source: 'token' | 'claims' | 'properties';
  claims: Record<string, unknown>;
  /** Length of the token, or of the token these claims would make. */
  tokenLength: number;
  now: number;
  hipaa: boolean;
  maxLifetime: number;
  /** Byte length of the secret, when one was given. */
  keyLength?: number;
}

type Emit = (f: Omit<Finding, 'rule' | 'severity' | 'effect'>) => void;

export interface LintRule {
  id: string;
  severity: Severity;
  summary: string;
  check(ctx: LintContext, emit: Emit): void;
}

/** Every property's claim key (`K.room_name` is `r`): the rules name claims through the registry. */
const K = Object.fromEntries(PROPERTY_NAMES.map((n) => [n, claimKeyOf(n)])) as Record<PropertyName, string>;
/** The permission sets Daily reads only as strings. */
const SET_PERMISSIONS = [PERMISSION_FIELDS.canSend.claim, PERMISSION_FIELDS.canAdmin.claim] as const;
const CLOUD_RECORDING = CLAIM_REGISTRY.enable_recording.values[0];
const USER_ID_MAX = CLAIM_REGISTRY.user_id.maxLength;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /[^\s@]+@[^\s@]+\.[a-z]{2,}/i;
const PHONE = /(?:\+|\b)\d[\d\s().-]{7,}\d\b/;
/** A time claim as Daily reads it: a number, taken as seconds even when it is (wrongly) milliseconds. */
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

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
    summary: `No readable ${K.domain_id} (domain_id) in a token: Daily cannot tie it to a domain.`,
    check(ctx, emit) {
      const d = ctx.claims[K.domain_id];
      if (ctx.source === 'properties' || (typeof d === 'string' && d !== '')) return;
      emit({ claim: K.domain_id, ...noDomainNote(K.domain_id, d) });
    },
  },
  {
    id: 'milliseconds-timestamp',
    severity: 'error',
    summary: 'exp, nbf or iat in milliseconds instead of seconds: Daily reads them as seconds, millennia away.',
    // Emitted from decoding (claims/codec.ts), whose words verify gives too.
    check() {},
  },
  {
    id: 'expired',
    severity: 'error',
    summary: 'The token has already expired.',
    check(ctx, emit) {
      const exp = num(ctx.claims[K.exp]);
      if (exp === undefined || ctx.now < exp) return;
      emit({ claim: K.exp, ...expiredNote(exp, ctx.now) });
    },
  },
  {
    id: 'not-yet-valid',
    severity: 'error',
    summary: 'nbf is still in the future: Daily refuses the token until then.',
    check(ctx, emit) {
      const nbf = num(ctx.claims[K.nbf]);
      if (nbf === undefined || ctx.now >= nbf) return;
      emit({ claim: K.nbf, ...notYetValidNote(nbf, ctx.now) });
    },
  },
  {
    id: 'not-before-after-expiry',
    severity: 'error',
    summary: 'nbf is not before exp: the token is never valid.',
    check(ctx, emit) {
      const exp = num(ctx.claims[K.exp]);
      const nbf = num(ctx.claims[K.nbf]);
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
    summary: `${SET_PERMISSIONS.map((k) => `${K.permissions}.${k}`).join(' or ')} written as an array: Daily drops that permission.`,
    // Emitted from decoding (claims/permissions.ts), whose words verify gives too.
    check() {},
  },
  {
    id: 'user-id-too-long',
    severity: 'error',
    summary: `user_id (${K.user_id}) longer than ${USER_ID_MAX} characters.`,
    // Emitted from decoding (claims/codec.ts), whose words verify gives too.
    check() {},
  },
  {
    id: 'token-too-long',
    severity: 'error',
    summary: `The token is over ${TOKEN_LENGTH_ADVICE} characters.`,
    check(ctx, emit) {
      if (ctx.tokenLength <= TOKEN_LENGTH_ADVICE) return;
      emit({
        message: `the token is ${ctx.tokenLength} characters; Daily advises under ${TOKEN_LENGTH_ADVICE} (URLs and headers may cut it)`,
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
      const exp = num(ctx.claims[K.exp]);
      // A millisecond exp has its own finding; a lifetime of 54,000 years would only repeat it.
      if (exp === undefined || exp >= MILLISECONDS_THRESHOLD) return;
      const start = num(ctx.claims[K.nbf]) ?? num(ctx.claims[K.iat]) ?? ctx.now;
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
    // Emitted from decoding (claims/ignored.ts), whose words verify gives too.
    check() {},
  },
  {
    id: 'unknown-claim',
    severity: 'warning',
    summary: 'A claim Daily does not know (misspelt or custom): it is ignored.',
    // Emitted from decoding (claims/ignored.ts).
    check() {},
  },
  {
    id: 'unknown-option',
    severity: 'warning',
    summary:
      'A start_cloud_recording_opts key daily-js does not know, or one its layout does not take: Daily ignores it.',
    // Emitted from decoding (claims/recording.ts).
    check() {},
  },
  {
    id: 'legacy-value',
    severity: 'warning',
    summary: 'A value Daily accepts only for compatibility (e.g. enable_recording "rtp-tracks").',
    // Emitted from the decoding warnings in lint.ts.
    check() {},
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

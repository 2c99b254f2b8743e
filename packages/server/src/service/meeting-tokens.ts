/**
 * Where a mint is decided. `POST /v1/meeting-tokens` mints as Daily mints (abbreviated claims + d + iat, the
 * domain's active key); `GET /v1/meeting-tokens/:token` validates against the caller's domain keyring.
 *
 * A token request's body is checked once: `readTokenRequest` reads the envelope and what only the REST API
 * refuses (a flat body, JWT abbreviations, names the service sets, a room name Daily could never have, float
 * timestamps); the core signer checks every value, in the pass that writes the payload. Both front ends (the
 * Fastify route and the fast path) call these functions.
 */
import {
  CLAIM_REGISTRY,
  decodeUnverified,
  lintMinted,
  MAX_ISSUES,
  MeetingTokenError,
  type MeetingTokenInput,
  PROPERTY_BY_CLAIM,
  PROPERTY_NAMES,
  REST_PROPERTY_NAMES,
  type ValidationIssue,
  type VerifyResult,
} from 'daily-tokens';
import { ROOM_NAME_MAX_LENGTH, ROOM_NAME_PATTERN } from 'daily-tokens/rooms';
import { cleanTokenInput } from 'daily-tokens/token-input';
import type { ResolvedKey } from '../cache/key-cache.js';
import { type ApiError, badRequest } from '../errors.js';
import { screenNames } from './body-screen.js';
import type { AppContext, LintFindings } from './context.js';

const REST_NAMES = new Set<string>(REST_PROPERTY_NAMES);
const ALL_NAMES = new Set<string>(PROPERTY_NAMES);

/** Names `properties` may hold without an "unknown property" issue: the full names and their claims. */
const KNOWN_NAMES = new Set<string>([...ALL_NAMES, ...PROPERTY_BY_CLAIM.keys()]);
/** Daily's room-name rule, from the core's one statement of it. */
const ROOM_NAME = new RegExp(ROOM_NAME_PATTERN);
/** A value as it appears in a message: JSON, cut short. */
const show = (v: string) => {
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function issuesInfo(issues: readonly ValidationIssue[]): string {
  const errors = issues.filter((i) => i.severity === 'error');
  // The library's option, said as the service's switch: the caller of this API cannot pass library options.
  const words = (m: string) => m.replace(/pass allowExpired: true/, 'start the service with --allow-past-exp');
  // at most MAX_ISSUES named, and a count of the rest: the reply stays small whatever the body
  const named = errors.slice(0, MAX_ISSUES).map((i) => `properties.${i.path} ${words(i.message)}`);
  const rest = errors.length - named.length;
  return `invalid properties: ${named.join('; ')}${rest > 0 ? `; and ${rest} more` : ''}`;
}

/**
 * Reads `{"properties": {…}}`. Top-level property names (a flat body) are refused with the fix,
 * because Daily would silently mint a token for every room of the domain from them.
 */
export function readTokenRequest(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (!isObject(body))
    throw badRequest('the body must be a JSON object: {"properties": {"room_name": "my-room", "exp": 1700000000}}');
  // (for…in, not Object.keys(): the usual body has one key and the check allocates nothing; a parsed body has
  // no inherited enumerable keys)
  for (const k in body) if (k !== 'properties') throw strayFields(body);
  const props = body.properties;
  if (props === undefined || props === null) return {};
  if (!isObject(props)) throw badRequest('"properties" must be an object of meeting token properties');
  const flood = screenNames(props, KNOWN_NAMES, 'properties', 'meeting-token properties');
  if (flood) throw flood;
  // a copy only once a value is changed: the signer reads the properties and keeps nothing of them
  let out: Record<string, unknown> | undefined;
  for (const key in props) {
    const value = props[key];
    if (ALL_NAMES.has(key) && !REST_NAMES.has(key)) {
      throw badRequest(
        `properties.${key} cannot be set through the REST API (${CLAIM_REGISTRY[key as keyof typeof CLAIM_REGISTRY].origin === 'signer' ? 'the service sets it' : 'it exists only in self-signed JWTs'}); remove it`,
      );
    }
    if (PROPERTY_BY_CLAIM.has(key) && !ALL_NAMES.has(key)) {
      throw badRequest(
        `properties.${key} is a JWT abbreviation; the REST API takes full names: use "${PROPERTY_BY_CLAIM.get(key)}"`,
      );
    }
    // Daily allows a room name only of ASCII letters, digits, - and _ (its create-room docs): a token for any
    // other name could never open a room, and `../admin` or `ｈｅｌｌｏ` in a token only misleads what reads it
    if (key === 'room_name' && typeof value === 'string' && !ROOM_NAME.test(value)) {
      throw badRequest(
        `properties.room_name must be a Daily room name (1–${ROOM_NAME_MAX_LENGTH} ASCII letters, digits, - or _), got ${show(value)}`,
      );
    }
    // real clients send float timestamps (Date.now() / 1000); Daily accepts them, so floor them
    if (
      typeof value === 'number' &&
      !Number.isInteger(value) &&
      Number.isFinite(value) &&
      ALL_NAMES.has(key) &&
      CLAIM_REGISTRY[key as keyof typeof CLAIM_REGISTRY].kind === 'timestamp'
    ) {
      out ??= { ...props };
      out[key] = Math.floor(value);
    }
  }
  return out ?? props;
}

/** The 400 for top-level fields beside "properties": a flat body gets the fix. */
function strayFields(body: Record<string, unknown>): ApiError {
  const stray = Object.keys(body).filter((k) => k !== 'properties');
  const flat = stray.filter((k) => ALL_NAMES.has(k) || PROPERTY_BY_CLAIM.has(k));
  if (flat.length > 0) {
    return badRequest(
      `${flat.map((k) => JSON.stringify(k)).join(', ')} must be inside "properties": send {"properties": {${flat
        .map((k) => `"${PROPERTY_BY_CLAIM.get(k) ?? k}": …`)
        .join(', ')}}}; without the wrapper Daily mints a token valid for every room`,
    );
  }
  return badRequest(`unknown top-level field ${JSON.stringify(stray[0])}; the body is {"properties": {…}}`);
}

/**
 * What the two meeting-token routes do once a request is authenticated, shared by the Fastify routes and the
 * fast path (http/fast-path.ts), so both answer alike by construction.
 */
export interface MeetingTokenOps {
  /** Signs the read properties (`readTokenRequest`) with the domain key; a 400 ApiError for a bad property. */
  mint(auth: ResolvedKey, properties: Record<string, unknown>): { token: string; lint: LintFindings | null };
  /** Checks a token against the domain keyring (and, with `room`, that the room exists); counted by outcome. */
  verify(auth: ResolvedKey, token: string, ignoreNbf: boolean, room?: string): VerifyResult | Promise<VerifyResult>;
  /**
   * The 400 for an invalid token, every problem named; for a malformed one that is a pasted token with more
   * around it (`Bearer `, quotes, a link), what to take off. `token` is the one from the path, never echoed.
   */
  refusal(result: VerifyResult, token?: string): ApiError;
}

export function meetingTokenOps(ctx: AppContext, lintLogged: boolean): MeetingTokenOps {
  const minted = ctx.metrics.counterFor('daily_tokens_tokens_minted_total', {});
  const validated = {
    true: ctx.metrics.counterFor('daily_tokens_tokens_validated_total', { valid: 'true' }),
    false: ctx.metrics.counterFor('daily_tokens_tokens_validated_total', { valid: 'false' }),
  };
  return {
    mint(auth, input) {
      const properties = input as MeetingTokenInput;
      const now = ctx.clock();
      // the signer checks every property in the pass that writes the payload: validated once
      const signer = properties.exp === undefined ? auth.signers.noExpiry : auth.signers.expiring;
      let token: string;
      let lint: LintFindings | null = null;
      try {
        if (lintLogged) {
          // Daily mints these for a well-formed request; the request's log line (at warn) points them out. The
          // claims are linted as built, from the same pass that wrote the token (no decoding), and only when
          // that line is written.
          const minted = signer.mintSync(properties, { now });
          token = minted.token;
          const findings = lintMinted(minted, { now });
          if (findings.length > 0)
            lint = findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message }));
        } else token = signer.signSync(properties, { now });
      } catch (e) {
        if (e instanceof MeetingTokenError) throw badRequest(issuesInfo(e.issues));
        throw e;
      }
      minted.inc();
      return { token, lint };
    },
    verify(auth, token, ignoreNbf, room) {
      const result = auth
        .verifier(ignoreNbf)
        .verifySync(token, room ? { now: ctx.clock(), roomName: room } : { now: ctx.clock() });
      validated[result.valid ? 'true' : 'false'].inc();
      if (!room) return result;
      return ctx.store.rooms.get(auth.domain.id, room).then((found) => {
        if (!found) {
          result.valid = false;
          result.verdict = 'refuses';
          result.problems.push({
            code: 'wrong-room',
            effect: 'refuses',
            message: `room ${room} does not exist in domain ${auth.domain.name}`,
            fix: 'create it with POST /v1/rooms, or check the room name',
          });
        }
        return result;
      });
    },
    refusal(result, token) {
      const info = result.problems.map((p) => `${p.message}${p.fix ? ` (${p.fix})` : ''}`).join('; ');
      return badRequest(`invalid meeting token: ${info}${pasteHint(result, token)}`);
    },
  };
}

/**
 * Daily's validate route takes the bare token, so the service does too (it does not strip a paste): but when a
 * malformed token is a pasted one with a prefix, quotes or a link around it, the same cleaner as the CLI's and
 * the inspector's says what to take off.
 */
function pasteHint(result: VerifyResult, token: string | undefined): string {
  if (token === undefined || !result.problems.some((p) => p.code === 'malformed')) return '';
  const { token: inner, notes } = cleanTokenInput(token);
  if (notes.length === 0 || inner === '') return '';
  try {
    decodeUnverified(inner);
  } catch {
    return '';
  }
  return `; the path holds a pasted token with more around it (taking this off leaves a readable token: ${notes.join('; ')}): put only the token in the path, /v1/meeting-tokens/<token>`;
}

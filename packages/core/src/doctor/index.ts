/**
 * `daily-tokens/doctor`: why won't this token work in this room? A pure function over the token (or its
 * claims), the room as `GET /v1/rooms/:name` returns it, and optionally the domain (`GET /v1/`): what
 * happens when this token joins this room, as findings with the same severities, codes, messages, fixes
 * and evidence as verify and lint, and one verdict in the same model.
 *
 * @example
 * ```ts
 * import { diagnoseMeetingToken } from 'daily-tokens/doctor';
 * const room = await rest.getRoom('standup'); // GET /v1/rooms/standup
 * const { verdict, findings } = diagnoseMeetingToken({ token, room, roomName: 'standup' });
 * for (const f of findings) console.log(f.severity, f.rule, f.message, f.fix);
 * ```
 * @packageDocumentation
 */
import { readClaims } from '../claims/mapping.js';
import type { MeetingTokenProperties } from '../claims/types.js';
import { decodeUnverified } from '../jwt/decode.js';
import type { VerifyResult } from '../jwt/verify.js';
import { lintMeetingToken } from '../lint/lint.js';
import { LINT_RULES, type Severity } from '../lint/rules.js';
import { parseDuration } from '../util/duration.js';
import type { Problem, ValidationIssue } from '../util/errors.js';
import { isPlainObject } from '../util/object.js';
import { assertKnownOptions, optionNames } from '../util/options.js';
import { type Instant, nowSeconds } from '../util/time.js';
import { type DailyEffect, type DailyVerdict, type EffectCode, verdictOf } from '../verdict/effects.js';
import { describeEvidence, EFFECT_EVIDENCE } from '../verdict/evidence.js';
import { DOCTOR_RULES, type DoctorContext, type RoomLike } from './rules.js';

export { DOCTOR_RULES } from './rules.js';
export type { DoctorRule, DoctorRuleId, RoomLike } from './rules.js';

export interface DiagnoseOptions {
  /** The token, or its claims (a JWT payload). */
  token: string | Record<string, unknown>;
  /** The room as `GET /v1/rooms/:name` returns it, or null when that answered 404. */
  room: RoomLike | null;
  /** The room the token is meant for. Default: `room.name`. Needed when `room` is null. */
  roomName?: string;
  /** The domain as `GET /v1/` returns it (`config.hipaa` is read), when known. */
  domain?: { domain_id?: string; config?: Record<string, unknown> } | null;
  /** What `verifyMeetingToken` said, when the key was at hand: its problems and warnings are findings too. */
  verified?: VerifyResult;
  /** A Date or unix seconds. Default: the current time. */
  now?: Instant;
  /** A join shorter than this from now is a surprise worth a warning (ejections). Default 30 minutes. */
  minSession?: string | number;
}

/** One finding: what lint, verify or a room rule says, in one shape. */
export interface DoctorFinding {
  /** A lint rule id, a verify problem code, or a doctor rule id. */
  rule: string;
  /** Where it comes from: the token alone (lint, verify) or the token in this room (room). */
  source: 'verify' | 'lint' | 'room';
  severity: Severity;
  effect: DailyEffect;
  message: string;
  fix: string;
  claim?: string;
  /** Where the fact comes from, in words ("Daily's docs say …"). */
  evidence: string;
}

export interface Diagnosis {
  /** What Daily does with this token in this room: refuses it, drops claims, or applies it all. */
  verdict: DailyVerdict;
  /** Whether the signature was checked (a `verified` result was given). */
  verified: boolean;
  /** Errors first, then warnings, then notes. */
  findings: DoctorFinding[];
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const RULE_SEVERITY: ReadonlyMap<string, Severity> = new Map(LINT_RULES.map((r) => [r.id, r.severity]));
const DIAGNOSE_OPTIONS = optionNames<DiagnoseOptions>()([
  'token',
  'room',
  'roomName',
  'domain',
  'verified',
  'now',
  'minSession',
]);

/**
 * What happens when this token joins this room: every finding of verify (when `verified` is given), lint
 * and the room rules (`DOCTOR_RULES`), and the verdict of them all. Pure: fetch the room (and domain)
 * yourself, or use `daily-tokens doctor`, which does.
 *
 * @example
 * ```ts
 * const d = diagnoseMeetingToken({ token, room: { name: 'standup', privacy: 'private', config: { exp } } });
 * d.findings.find((f) => f.rule === 'ejected-at-token-exp')?.message
 * // 'the participant is ejected at the token's exp, in 5 min (…): "Meeting has ended" after 5 min'
 * ```
 */
export function diagnoseMeetingToken(options: DiagnoseOptions): Diagnosis {
  if (!isPlainObject(options))
    throw new TypeError('diagnoseMeetingToken takes { token, room, roomName?, domain?, verified?, now? }');
  assertKnownOptions(options, DIAGNOSE_OPTIONS, 'diagnoseMeetingToken');
  const { token, room, verified } = options;
  if (room !== null && !(isPlainObject(room) && typeof room.name === 'string'))
    throw new TypeError('room must be the room object GET /v1/rooms/:name returns (with its name), or null');
  const roomName = options.roomName ?? room?.name;
  if (typeof roomName !== 'string' || roomName === '') throw new TypeError('give roomName when room is null');
  const now = nowSeconds(options.now);
  const minSession = options.minSession === undefined ? 1800 : parseDuration(options.minSession, 'minSession');
  const domainConfig = isPlainObject(options.domain?.config) ? options.domain.config : undefined;

  const findings: DoctorFinding[] = [];
  const add = (f: Omit<DoctorFinding, 'evidence'>, code: EffectCode) =>
    findings.push({ ...f, evidence: describeEvidence(EFFECT_EVIDENCE[code]) });
  if (verified) {
    const problem = (p: Problem, severity: Severity) =>
      add(
        {
          rule: p.code,
          source: 'verify',
          severity,
          effect: p.effect,
          message: p.message,
          fix: p.fix,
          ...(p.claim ? { claim: p.claim } : {}),
        },
        p.code,
      );
    for (const p of verified.problems) problem(p, 'error');
    for (const w of verified.warnings) problem(w, RULE_SEVERITY.get(w.code) ?? 'warning');
  }
  // Lint says what the token alone does; what verify said already (expired, …) is said once.
  const said = new Set(findings.map((f) => `${f.rule}|${f.claim ?? ''}`));
  for (const f of lintMeetingToken(token, { now, hipaa: domainConfig?.hipaa === true })) {
    if (said.has(`${f.rule}|${f.claim ?? ''}`)) continue;
    add(
      {
        rule: f.rule,
        source: 'lint',
        severity: f.severity,
        effect: f.effect,
        message: f.message,
        fix: f.fix,
        ...(f.claim ? { claim: f.claim } : {}),
      },
      f.rule,
    );
  }
  const tokenRefused = findings.some((f) => f.effect === 'refuses');
  const properties = propertiesOf(token);
  const ctx: DoctorContext = {
    token: properties ?? {},
    readable: properties !== undefined,
    room,
    roomName,
    now,
    tokenRefused,
    minSession,
  };
  let rule!: (typeof DOCTOR_RULES)[number];
  // verify's wrong-room (when it was given the room) already said what the room rule would.
  const emit = (f: { message: string; fix: string; claim?: string }) => {
    if (said.has(`${rule.id}|${f.claim ?? ''}`)) return;
    findings.push({
      rule: rule.id,
      source: 'room',
      severity: rule.severity,
      effect: rule.effect,
      ...f,
      evidence: describeEvidence(rule.evidence),
    });
  };
  for (rule of DOCTOR_RULES) rule.check(ctx, emit);
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return { verdict: verdictOf(findings), verified: verified !== undefined, findings };
}

/** The token's properties as Daily reads them, or undefined for a malformed token (lint has said why). */
function propertiesOf(token: string | Record<string, unknown>): MeetingTokenProperties | undefined {
  if (typeof token !== 'string') return readClaims(token, [] as ValidationIssue[]);
  try {
    return decodeUnverified(token).properties;
  } catch {
    return undefined;
  }
}

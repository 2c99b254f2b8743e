/**
 * The doctor's rules: what happens when a token joins a given room, beyond what the token alone says.
 * Each rule has a severity (as lint: `error` the join will not do what the token asks, `warning` likely a
 * surprise, `info` worth knowing), an effect on Daily's verdict in the one model (verdict/effects.ts),
 * and its evidence. Facts about tokens and rooms are named through the two registries.
 */
import { claimKeyOf, PROPERTY_NAMES, type PropertyName } from '../claims/registry.js';
import type { MeetingTokenProperties } from '../claims/types.js';
import type { RoomPrivacy } from '../rooms/limits.js';
import { formatDuration } from '../util/duration.js';
import { closest, show } from '../util/object.js';
import { isoFromSeconds, relativeTime } from '../util/time.js';
import type { DailyEffect } from '../verdict/effects.js';
import type { Evidence } from '../verdict/evidence.js';
import type { Severity } from '../lint/rules.js';

/** A room as `GET /v1/rooms/:name` returns it; only the fields the rules read are needed. */
export interface RoomLike {
  name: string;
  privacy?: RoomPrivacy | string;
  /** The room's `config`; read defensively, as pasted JSON may hold anything. */
  config?: Readonly<Record<string, unknown>>;
}

/** What the rules look at. */
export interface DoctorContext {
  /** The token's properties as Daily reads them (full names); empty when the token is unreadable. */
  token: MeetingTokenProperties;
  /** False for a token that is not a readable JWT: nothing can be said of its claims. */
  readable: boolean;
  /** The room, or null when it does not exist; `roomName` is the name asked for. */
  room: RoomLike | null;
  roomName: string;
  now: number;
  /** Daily refuses the token itself (verify or lint said so): the join goes on without it. */
  tokenRefused: boolean;
  /** Joins shorter than this are a surprise (ejections), in seconds. */
  minSession: number;
}

export interface DoctorRule {
  readonly id: string;
  readonly severity: Severity;
  readonly effect: DailyEffect;
  readonly summary: string;
  readonly evidence: Evidence;
  check(ctx: DoctorContext, emit: (f: { message: string; fix: string; claim?: string }) => void): void;
}

/** Every token property's claim key: `K.exp` is `exp`, `K.is_owner` is `o`. */
const K = Object.fromEntries(PROPERTY_NAMES.map((n) => [n, claimKeyOf(n)])) as Record<PropertyName, string>;
const docs = (says: string): Evidence => ({ source: 'daily-docs', says });
const inferred = (says: string): Evidence => ({ source: 'inferred', says });
const cfg = (ctx: DoctorContext) => ctx.room?.config ?? {};
/** The recording types that can record in the cloud (`start_cloud_recording` needs one). */
const CLOUD_TYPES: ReadonlySet<unknown> = new Set(['cloud', 'cloud-audio-only']);

export const DOCTOR_RULES = [
  {
    id: 'room-not-found',
    severity: 'error',
    effect: 'refuses',
    summary: 'The room does not exist in the domain.',
    evidence: docs('joining a room that does not exist fails with the fatal error no-room'),
    check(ctx, emit) {
      if (ctx.room !== null) return;
      emit({
        message: `room ${show(ctx.roomName)} does not exist in this domain`,
        fix: 'Create it (POST /v1/rooms), or check the name: room names are case-sensitive.',
      });
    },
  },
  {
    id: 'wrong-room',
    severity: 'error',
    effect: 'refuses',
    summary: 'The token is for another room (or the same name spelled differently).',
    evidence: docs('a token with room_name is valid for that room only'),
    check(ctx, emit) {
      const r = ctx.token.room_name;
      if (r === undefined || r === ctx.roomName) return;
      const spelling =
        r.toLowerCase() === ctx.roomName.toLowerCase() || closest(r, [ctx.roomName], 2) !== undefined
          ? ' (the same name spelled differently: room names are case-sensitive)'
          : '';
      emit({
        claim: K.room_name,
        message: `the token is for room ${show(r)}, not ${show(ctx.roomName)}${spelling}; Daily ignores it in this room`,
        fix: `Mint the token with room_name ${show(ctx.roomName)}.`,
      });
    },
  },
  {
    id: 'room-expired',
    severity: 'error',
    effect: 'refuses',
    summary: "The room's own exp has passed: nobody can join.",
    evidence: docs('nobody can join a room after its exp (the fatal error exp-room)'),
    check(ctx, emit) {
      const exp = cfg(ctx).exp;
      if (typeof exp !== 'number' || ctx.now < exp) return;
      emit({
        message: `the room expired ${relativeTime(exp, ctx.now)} (exp ${isoFromSeconds(exp)}); nobody can join it`,
        fix: 'Move the room’s exp later (POST /v1/rooms/:name), or create a new room.',
      });
    },
  },
  {
    id: 'room-not-open',
    severity: 'error',
    effect: 'refuses',
    summary: "The room's own nbf is still ahead: nobody can join yet.",
    evidence: docs('nobody can join a room before its nbf (the fatal error nbf-room)'),
    check(ctx, emit) {
      const nbf = cfg(ctx).nbf;
      if (typeof nbf !== 'number' || ctx.now >= nbf) return;
      emit({
        message: `the room opens ${relativeTime(nbf, ctx.now)} (nbf ${isoFromSeconds(nbf)}); nobody can join before`,
        fix: 'Wait, or move the room’s nbf earlier.',
      });
    },
  },
  {
    id: 'token-after-room',
    severity: 'error',
    effect: 'refuses',
    summary: "The token's nbf is at or after the room's exp: it can never be used in this room.",
    evidence: inferred('a join needs both the token and the room to be valid at once'),
    check(ctx, emit) {
      const nbf = ctx.token.nbf;
      const exp = cfg(ctx).exp;
      if (nbf === undefined || typeof exp !== 'number' || nbf < exp) return;
      emit({
        claim: K.nbf,
        message: `the token becomes valid at ${isoFromSeconds(nbf)}, when the room has already expired (${isoFromSeconds(exp)})`,
        fix: 'Make the token’s nbf earlier than the room’s exp, or extend the room.',
      });
    },
  },
  {
    id: 'private-room-without-token',
    severity: 'error',
    effect: 'refuses',
    summary: 'Daily refuses the token and the room is private: the join goes on without it.',
    evidence: docs(
      'a private room admits only participants with a valid meeting token (others knock, where knocking is on)',
    ),
    check(ctx, emit) {
      if (!ctx.tokenRefused || ctx.room?.privacy !== 'private') return;
      emit({
        message: `Daily refuses this token, and ${show(ctx.roomName)} is private: the participant ${cfg(ctx).enable_knocking === true ? 'has to knock and wait for an owner' : 'cannot get in'}`,
        fix: 'Fix the problems that make Daily refuse the token (above).',
      });
    },
  },
  {
    id: 'owner-needed',
    severity: 'error',
    effect: 'applies',
    summary: 'auto_start_transcription in a token that is not an owner’s: transcription never starts.',
    evidence: docs('auto_start_transcription starts transcription when an owner joins'),
    check(ctx, emit) {
      if (ctx.token.auto_start_transcription !== true || ctx.token.is_owner === true) return;
      emit({
        claim: K.auto_start_transcription,
        message: `"${K.auto_start_transcription}" (auto_start_transcription) is set, but the token is not an owner's ("${K.is_owner}" is not true): transcription does not start, silently`,
        fix: `Mint the bot's token with is_owner: true ("${K.is_owner}": true).`,
      });
    },
  },
  {
    id: 'recording-not-allowed',
    severity: 'error',
    effect: 'applies',
    summary: 'start_cloud_recording where neither the token nor the room allows cloud recording.',
    evidence: docs('start_cloud_recording needs enable_recording "cloud" on the room or the token (the token wins)'),
    check(ctx, emit) {
      if (ctx.token.start_cloud_recording !== true) return;
      const type = ctx.token.enable_recording ?? cfg(ctx).enable_recording;
      if (CLOUD_TYPES.has(type)) return;
      emit({
        claim: K.start_cloud_recording,
        message: `"${K.start_cloud_recording}" (start_cloud_recording) is set, but recording here is ${type === undefined ? 'not enabled' : show(type)} (token ${show(ctx.token.enable_recording ?? 'unset')}, room ${show(cfg(ctx).enable_recording ?? 'unset')}): no recording starts`,
        fix: `Set "${K.enable_recording}": "cloud" in the token, or enable_recording "cloud" on the room.`,
      });
    },
  },
  {
    id: 'knocking-without-lobby',
    severity: 'warning',
    effect: 'applies',
    summary: 'knocking in a token for a room without knocking: the claim does nothing.',
    evidence: docs('the knocking token property takes effect only in a room with enable_knocking'),
    check(ctx, emit) {
      if (ctx.token.knocking !== true || ctx.room === null || cfg(ctx).enable_knocking === true) return;
      emit({
        claim: K.knocking,
        message: `"${K.knocking}" (knocking) is set, but ${show(ctx.roomName)} has no lobby (enable_knocking is not true): the participant joins without knocking`,
        fix: 'Turn on enable_knocking for the room, or drop the claim.',
      });
    },
  },
  {
    id: 'ejected-at-token-exp',
    severity: 'warning',
    effect: 'applies',
    summary: 'eject_at_token_exp with an exp soon: the participant sees "Meeting has ended".',
    evidence: docs('eject_at_token_exp ejects the participant at exp, and in a non-public room they cannot rejoin'),
    check(ctx, emit) {
      const { exp, eject_at_token_exp: eject } = ctx.token;
      if (eject !== true || exp === undefined || exp - ctx.now >= ctx.minSession) return;
      emit({
        claim: K.exp,
        message: `the participant is ejected at the token's exp, ${relativeTime(exp, ctx.now)} (${isoFromSeconds(exp)}): "Meeting has ended" after ${formatDuration(Math.max(0, exp - ctx.now))}`,
        fix: 'Give the token an exp after the meeting’s planned end, or drop eject_at_token_exp.',
      });
    },
  },
  {
    id: 'ejected-at-room-exp',
    severity: 'warning',
    effect: 'applies',
    summary: 'The room ejects everyone at its exp, soon, and the token does not override it.',
    evidence: docs(
      'eject_at_room_exp ends a meeting at the room exp; a token with eject_at_token_exp or eject_after_elapsed makes Daily ignore the room’s ejection settings',
    ),
    check(ctx, emit) {
      const c = cfg(ctx);
      if (c.eject_at_room_exp !== true || typeof c.exp !== 'number' || c.exp <= ctx.now) return;
      if (ctx.token.eject_at_token_exp !== undefined || ctx.token.eject_after_elapsed !== undefined) return;
      if (c.exp - ctx.now >= ctx.minSession) return;
      emit({
        message: `the room ejects everyone at its exp, ${relativeTime(c.exp, ctx.now)} (${isoFromSeconds(c.exp)}): "Meeting has ended"`,
        fix: 'Extend the room’s exp, or set eject_at_token_exp / eject_after_elapsed in the token (they replace the room’s rule).',
      });
    },
  },
  {
    id: 'room-ejection-overridden',
    severity: 'info',
    effect: 'applies',
    summary: "The token's ejection settings replace the room's.",
    evidence: docs(
      'if eject_at_token_exp or eject_after_elapsed is set in the token, the room’s eject_at_room_exp and eject_after_elapsed are ignored for that session',
    ),
    check(ctx, emit) {
      const c = cfg(ctx);
      const roomEjects = c.eject_at_room_exp === true || c.eject_after_elapsed !== undefined;
      if (!roomEjects || (ctx.token.eject_at_token_exp === undefined && ctx.token.eject_after_elapsed === undefined))
        return;
      emit({
        message:
          "the token sets its own ejection, so the room's eject_at_room_exp / eject_after_elapsed do not apply to this participant",
        fix: 'Nothing to change if that is meant; otherwise drop the token’s ejection settings.',
      });
    },
  },
  {
    id: 'token-for-every-room',
    severity: 'info',
    effect: 'applies',
    summary: 'The token has no room_name: it works here, and in every other room of the domain.',
    evidence: docs('a token without room_name is valid for every room of the domain'),
    check(ctx, emit) {
      if (!ctx.readable || ctx.token.room_name !== undefined || ctx.room === null) return;
      emit({
        claim: K.room_name,
        message: `the token has no "${K.room_name}": it works in ${show(ctx.roomName)} and in every other room of the domain`,
        fix: `Mint it with room_name ${show(ctx.roomName)}.`,
      });
    },
  },
] as const satisfies readonly DoctorRule[];

/** The id of every doctor rule. */
export type DoctorRuleId = (typeof DOCTOR_RULES)[number]['id'];

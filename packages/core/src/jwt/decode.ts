/** Reading a token without checking it: for debugging, display and routing, never for trust. */
import { readClaims } from '../claims/mapping.js';
import type { MeetingTokenClaims, MeetingTokenProperties } from '../claims/types.js';
import { MeetingTokenError, type ValidationIssue } from '../util/errors.js';
import { type JwtHeader, parseToken } from './parse.js';

export interface DecodedMeetingToken {
  header: JwtHeader;
  /** The payload as it is, abbreviated. */
  claims: MeetingTokenClaims & Record<string, unknown>;
  /** The claims Daily would apply, under full names. */
  properties: MeetingTokenProperties;
  /** Claims Daily does not read (misspelt, full-name spellings such as `room_name`, custom ones). */
  unknownClaims: Record<string, unknown>;
  /** Known claims with values Daily would not read (left out of `properties`). */
  issues: ValidationIssue[];
}

/**
 * Decodes a meeting token **without verifying it**: anyone can forge what this returns.
 * Throws `MeetingTokenError` with code `malformed` when the input is not a readable JWT.
 *
 * @example
 * ```ts
 * const { properties } = decodeUnverified(token);
 * console.log(properties.room_name, properties.exp);
 * ```
 */
export function decodeUnverified(token: string): DecodedMeetingToken {
  const parsed = parseToken(token);
  if (typeof parsed === 'string') throw new MeetingTokenError('malformed', `Malformed token: ${parsed}`);
  const { header, payload, payloadError } = parsed;
  if (!payload) throw new MeetingTokenError('malformed', `Malformed token: ${payloadError}`);
  const issues: ValidationIssue[] = [];
  const unknownClaims: Record<string, unknown> = {};
  const properties = readClaims(payload, issues, unknownClaims);
  return { header, claims: payload as DecodedMeetingToken['claims'], properties, unknownClaims, issues };
}

/** Full-name properties: checked and converted to claims in one pass over the compiled codecs. */
import type { ValidationIssue } from '../util/errors.js';
import { closest, isPlainObject, ownProperty, show } from '../util/object.js';
import { assertKnownOptions, optionNames } from '../util/options.js';
import { CODEC_BY_NAME, encodeClaim } from './codec.js';
import { PERMISSION_BY_SNAKE_CASE, PERMISSION_FIELDS } from './permissions.js';
import { PROPERTY_BY_CLAIM, PROPERTY_NAMES } from './registry.js';

/** Explains a key that is not a full property name: an abbreviation, a typo, or a flat-body mistake. */
export function unknownPropertyMessage(key: string): string {
  const byClaim = PROPERTY_BY_CLAIM.get(key);
  if (byClaim && byClaim !== key) {
    return `is the JWT claim of ${show(byClaim)}; properties use full names: write ${show(byClaim)}`;
  }
  if (key === 'properties') return 'is nested twice: put the properties directly in one "properties" object';
  const permission = PERMISSION_BY_SNAKE_CASE.get(key) ?? (Object.hasOwn(PERMISSION_FIELDS, key) ? key : undefined);
  if (permission) return `is a permission; put it inside "permissions" as ${show(permission)}`;
  const hint = closest(key, PROPERTY_NAMES);
  return `is not a meeting-token property${hint ? `; did you mean ${show(hint)}?` : ''}`;
}

/**
 * Full-name properties → the claims of every valid one, with every problem in `issues` at `base.key`.
 * `allowDates` admits `Date`s for timestamps (inputs to create; never inside a JWT).
 */
export function encodeProperties(
  properties: Record<string, unknown>,
  issues: ValidationIssue[],
  allowDates: boolean,
  base = '',
): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const key in properties) {
    if (!ownProperty.call(properties, key)) continue;
    const value = properties[key];
    const codec = CODEC_BY_NAME.get(key);
    const path = base ? `${base}.${key}` : key;
    if (codec === undefined) {
      issues.push({ path, message: unknownPropertyMessage(key), severity: 'error' });
      continue;
    }
    if (value === undefined) continue;
    const claim = encodeClaim(codec, value, path, issues, allowDates);
    if (claim !== undefined) claims[codec.key] = claim;
  }
  return claims;
}

/** Options of `validateProperties`. */
export interface ValidatePropertiesOptions {
  /** Accept `Date`s for timestamps (`exp`, `nbf`), as `createMeetingToken` does. Default false. */
  allowDates?: boolean;
  /** Prefix of every issue's path (`body.properties`). Default none. */
  path?: string;
}
const VALIDATE_OPTIONS = optionNames<ValidatePropertiesOptions>()(['allowDates', 'path']);

/**
 * Validates full-name properties; returns every issue (errors and warnings) with its path.
 *
 * @example
 * ```ts
 * validateProperties({ room_name: 'x', permissions: { canSend: ['screen'] } })
 * // [{ path: 'permissions.canSend[0]', message: '"screen" is not one of video, audio, …', severity: 'error' }]
 * ```
 */
export function validateProperties(properties: unknown, options: ValidatePropertiesOptions = {}): ValidationIssue[] {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('validateProperties options must be an object such as { path }');
  assertKnownOptions(options, VALIDATE_OPTIONS, 'validateProperties');
  const issues: ValidationIssue[] = [];
  const base = options.path ?? '';
  if (!isPlainObject(properties)) {
    issues.push({
      path: base || '(properties)',
      message: `must be an object, got ${show(properties)}`,
      severity: 'error',
    });
    return issues;
  }
  encodeProperties(properties, issues, options.allowDates ?? false, base);
  return issues;
}

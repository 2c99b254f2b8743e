/** Validation of full-name properties and of single values, driven by the registry's `kind`s. */
import type { ValidationIssue } from '../util/errors.js';
import { closest, hasOwn, isPlainObject, show } from '../util/object.js';
import { validatePermissions } from './permissions.js';
import { validateRecordingOptions } from './recording.js';
import { CLAIM_REGISTRY, type ClaimSpec, PROPERTY_BY_CLAIM, PROPERTY_NAMES, type PropertyName } from './registry.js';

/** Unix seconds beyond this (the year 5138) are certainly milliseconds. */
export const MILLISECONDS_THRESHOLD = 100_000_000_000;

const SNAKE_PERMISSIONS: Record<string, string> = {
  has_presence: 'hasPresence',
  can_send: 'canSend',
  can_receive: 'canReceive',
  can_admin: 'canAdmin',
};

function pushError(issues: ValidationIssue[], path: string, message: string): void {
  issues.push({ path, message, severity: 'error' });
}

/**
 * Checks one value against its spec, pushing issues at `path`.
 * `allowDates` admits `Date` objects for timestamps (inputs to create; never inside a JWT).
 * `permissions` are checked in their full form here; the minified form is checked while decoding.
 */
export function validateValue(
  spec: ClaimSpec,
  value: unknown,
  path: string,
  issues: ValidationIssue[],
  allowDates: boolean,
): void {
  switch (spec.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') pushError(issues, path, `must be true or false, got ${show(value)}`);
      return;
    case 'string':
      if (typeof value !== 'string' || value.length === 0)
        pushError(issues, path, `must be a non-empty string, got ${show(value)}`);
      else if (spec.maxLength !== undefined && value.length > spec.maxLength) {
        pushError(issues, path, `must be at most ${spec.maxLength} characters, got ${value.length}`);
      }
      return;
    case 'url':
      if (typeof value !== 'string' || !isHttpUrl(value))
        pushError(issues, path, `must be an http(s) URL, got ${show(value)}`);
      return;
    case 'timestamp': {
      if (allowDates && value instanceof Date) {
        if (Number.isNaN(value.getTime())) pushError(issues, path, 'is an invalid Date');
        return;
      }
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        pushError(issues, path, `must be unix time in seconds${allowDates ? ' or a Date' : ''}, got ${show(value)}`);
      } else if (value >= MILLISECONDS_THRESHOLD) {
        pushError(issues, path, `${value} looks like milliseconds; Daily wants seconds: ${Math.floor(value / 1000)}`);
      } else if (!Number.isInteger(value) || value < 0) {
        pushError(issues, path, `must be whole, non-negative unix seconds, got ${value}`);
      }
      return;
    }
    case 'seconds':
      if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
        pushError(issues, path, `must be a positive whole number of seconds, got ${show(value)}`);
      }
      return;
    case 'enum': {
      const values = spec.values ?? [];
      if (typeof value === 'string' && values.includes(value)) return;
      if (typeof value === 'string' && spec.legacyValues && hasOwn(spec.legacyValues, value)) {
        issues.push({
          path,
          message: `${show(value)} is ${spec.legacyValues[value]}; the documented values are ${values.join(', ')}`,
          severity: 'warning',
        });
        return;
      }
      const hint = typeof value === 'string' ? closest(value, values, 2) : undefined;
      pushError(
        issues,
        path,
        `${show(value)} is not one of ${values.join(', ')}${hint ? `; did you mean ${show(hint)}?` : ''}`,
      );
      return;
    }
    case 'permissions':
      validatePermissions(value, path, issues);
      return;
    case 'recording-options':
      validateRecordingOptions(value, path, issues);
      return;
  }
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Explains a key that is not a full property name: an abbreviation, a typo, or a flat-body mistake. */
export function unknownPropertyMessage(key: string): string {
  const byClaim = PROPERTY_BY_CLAIM.get(key);
  if (byClaim && byClaim !== key) {
    return `is the JWT claim of ${show(byClaim)}; properties use full names: write ${show(byClaim)}`;
  }
  if (key === 'properties') return 'is nested twice: put the properties directly in one "properties" object';
  const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (hasOwn(SNAKE_PERMISSIONS, key) || ['hasPresence', 'canSend', 'canReceive', 'canAdmin'].includes(camel)) {
    return `is a permission; put it inside "permissions" as ${show(SNAKE_PERMISSIONS[key] ?? camel)}`;
  }
  const hint = closest(key, PROPERTY_NAMES);
  return `is not a meeting-token property${hint ? `; did you mean ${show(hint)}?` : ''}`;
}

/**
 * Validates full-name properties; returns every issue (errors and warnings) with its path.
 *
 * @example
 * ```ts
 * validateProperties({ room_name: 'x', permissions: { canSend: ['screen'] } })
 * // [{ path: 'permissions.canSend[0]', message: '"screen" is not one of video, audio, …', severity: 'error' }]
 * ```
 */
export function validateProperties(
  properties: unknown,
  options: { allowDates?: boolean; path?: string } = {},
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const base = options.path ?? '';
  const at = (k: string) => (base ? `${base}.${k}` : k);
  if (!isPlainObject(properties)) {
    issues.push({
      path: base || '(properties)',
      message: `must be an object, got ${show(properties)}`,
      severity: 'error',
    });
    return issues;
  }
  for (const key of Object.keys(properties)) {
    if (!hasOwn(CLAIM_REGISTRY, key)) {
      issues.push({ path: at(key), message: unknownPropertyMessage(key), severity: 'error' });
      continue;
    }
    const value = properties[key];
    if (value === undefined) continue;
    if (key === 'permissions' && isPlainObject(value) && Object.keys(value).some((k) => hasOwn(SNAKE_PERMISSIONS, k))) {
      // A client that snake_cases keys deserves to be told so, not "unknown permission".
      for (const pk of Object.keys(value)) {
        if (hasOwn(SNAKE_PERMISSIONS, pk)) {
          issues.push({
            path: at(`permissions.${pk}`),
            message: `is snake_case; Daily reads ${show(SNAKE_PERMISSIONS[pk])} (is your HTTP client converting keys?)`,
            severity: 'error',
          });
        }
      }
      const filtered = Object.fromEntries(Object.entries(value).filter(([k]) => !hasOwn(SNAKE_PERMISSIONS, k)));
      validateValue(CLAIM_REGISTRY.permissions, filtered, at(key), issues, false);
      continue;
    }
    validateValue(CLAIM_REGISTRY[key as PropertyName], value, at(key), issues, options.allowDates ?? false);
  }
  return issues;
}

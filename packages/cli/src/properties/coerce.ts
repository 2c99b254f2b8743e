/** Turning text (flag values, CSV cells) into property values, by the registry's `kind`. */
import { CLAIM_REGISTRY, type ClaimSpec, type PropertyName, parseDuration } from 'daily-tokens';
import { usage } from '../errors.js';
import { parseJson } from '../io/json-input.js';
import { parseInstant } from '../io/time.js';

const TRUE = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off']);

export function parseBoolean(raw: string, where: string): boolean {
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw usage(`${where} ${JSON.stringify(raw)} is not a boolean; use true or false`);
}

/** How a kind is written as text, for help and errors. */
export function textFormOf(spec: ClaimSpec): string {
  switch (spec.kind) {
    case 'boolean':
      return 'true|false';
    case 'timestamp':
      return 'unix seconds, ISO date, or duration from now (15m, 2h)';
    case 'seconds':
      return 'duration (90s, 15m, 1h30m)';
    case 'enum':
      return (spec.values ?? []).join('|');
    case 'url':
      return 'absolute URL (https://…, or an app link)';
    case 'permissions':
    case 'recording-options':
      return 'JSON object';
    default:
      return 'text';
  }
}

/** The value of property `name` written as `raw`; `where` names the flag or CSV cell in errors. */
export function coerceProperty(name: PropertyName, raw: string, now: number, where: string): unknown {
  const spec: ClaimSpec = CLAIM_REGISTRY[name];
  switch (spec.kind) {
    case 'boolean':
      return parseBoolean(raw, where);
    case 'timestamp':
      return parseInstant(raw, where, now);
    case 'seconds':
      try {
        return parseDuration(raw.trim(), where);
      } catch (e) {
        throw usage(e instanceof Error ? e.message : String(e));
      }
    case 'permissions':
    case 'recording-options':
      return parseJson(raw, where);
    default:
      return raw;
  }
}

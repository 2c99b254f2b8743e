/**
 * The words for what Daily refuses a token for, shared by verify and lint so that both say the same
 * thing about one token.
 */
import { show } from '../util/object.js';
import { isoFromSeconds, relativeTime } from '../util/time.js';

/** `message` and `fix` of one refusal. */
export interface Note {
  readonly message: string;
  readonly fix: string;
}

export function expiredNote(exp: number, now: number): Note {
  return {
    message: `expired ${relativeTime(exp, now)} (exp ${exp} = ${isoFromSeconds(exp)})`,
    fix: 'Mint a new token; give it a lifetime that covers when it is used.',
  };
}

export function notYetValidNote(nbf: number, now: number): Note {
  return {
    message: `not valid until ${isoFromSeconds(nbf)} (${relativeTime(nbf, now)}; nbf ${nbf})`,
    fix: 'Wait until nbf, lower nbf, or validate with ignoreNbf; check the clocks if nbf should have passed.',
  };
}

/** No readable `d`: absent (`value` undefined) or not a string. */
export function noDomainNote(key: string, value: unknown): Note {
  return {
    message:
      value === undefined
        ? `no "${key}" (domain id): Daily cannot tie the token to a domain and ignores it`
        : `"${key}" (domain id) is ${show(value)}, not a domain id: Daily cannot tie the token to a domain and ignores it`,
    fix: `Set "${key}" to the domain_id from GET https://api.daily.co/v1/.`,
  };
}

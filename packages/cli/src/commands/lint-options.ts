/** The options `lint` and `explain` pass to `lintMeetingToken`, from the same flags. */
import type { LintOptions } from 'daily-tokens';
import type { Keys } from '../io/secrets.js';
import { dateOf } from '../io/time.js';

export interface LintFlags {
  hipaa?: boolean;
  maxLifetime?: string;
}

/** The first key of the ring, when given, lets the weak-key rule judge it (it is never shown). */
export function lintOptions(flags: LintFlags, now: Parameters<typeof dateOf>[0], keys: Keys | undefined): LintOptions {
  return {
    now: dateOf(now),
    ...(flags.hipaa ? { hipaa: true } : {}),
    ...(flags.maxLifetime !== undefined ? { maxLifetime: flags.maxLifetime } : {}),
    ...(keys?.ring[0] ? { apiKey: keys.ring[0].secret } : {}),
  };
}

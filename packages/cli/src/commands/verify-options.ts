/** Options for checking a token the way Daily would: expected room and domain, clock handling. */
import { type Command, Option } from 'commander';
import type { KeyringEntry, VerifyMeetingTokenOptions } from 'daily-tokens';
import type { Keys } from '../io/secrets.js';
import { dateOf } from '../io/time.js';

export interface VerifyFlags {
  room?: string;
  ignoreNbf?: boolean;
  clockTolerance?: string;
  strict?: boolean;
}

export function addVerifyOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--room <name>', 'the room the token is used for; a token for another room is wrong-room'))
    .addOption(new Option('--ignore-nbf', "accept a token whose nbf is still ahead (as Daily's ?ignoreNbf=true)"))
    .addOption(new Option('--clock-tolerance <duration>', 'leeway for exp and nbf, e.g. 30s (at most 5m)'))
    .addOption(
      new Option('--strict', 'also count a claim Daily cannot read (and drops, applying the rest) as a problem'),
    );
}

export function verifyOptions(
  keys: Keys,
  domainId: string | undefined,
  flags: VerifyFlags,
  now: number,
): VerifyMeetingTokenOptions {
  const ring: KeyringEntry[] = keys.ring;
  return {
    ...(ring.length === 1 ? { apiKey: (ring[0] as KeyringEntry).secret } : { keys: ring }),
    now: dateOf(now),
    ...(domainId !== undefined ? { domainId } : {}),
    ...(flags.room !== undefined ? { roomName: flags.room } : {}),
    ...(flags.ignoreNbf ? { ignoreNbf: true } : {}),
    ...(flags.clockTolerance !== undefined ? { clockTolerance: flags.clockTolerance } : {}),
    ...(flags.strict ? { strict: true } : {}),
  };
}

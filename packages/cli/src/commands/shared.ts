/** Options several commands share: where the key and domain come from, the clock, JSON output. */
import { type Command, Option } from 'commander';
import { MeetingTokenError, type ValidationIssue } from 'daily-tokens';
import { CliError, usage } from '../errors.js';
import type { Context } from '../io/context.js';
import { loadEnvFile } from '../io/env-file.js';

export interface KeyFlags {
  apiKey?: string;
  apiKeyFile?: string;
  domainId?: string;
  envFile?: string;
}

const KEY_GROUP = 'Key and domain (never pass the key itself as an argument):';

/** Adds the key options, and `--domain-id` when the command uses a domain (`domainHelp` says how). */
export function addKeyOptions(cmd: Command, domainHelp?: string): Command {
  cmd
    .addOption(
      new Option(
        '--api-key <->',
        'read the API key from stdin; only "-" is accepted (default: $DAILY_API_KEY)',
      ).helpGroup(KEY_GROUP),
    )
    .addOption(
      new Option(
        '--api-key-file <path>',
        'file with the API key; one per line: the first is active, the rest are rotated-out keys',
      ).helpGroup(KEY_GROUP),
    )
    .addOption(
      new Option('--env-file <path>', 'load variables from this dotenv file (no .env is read otherwise)').helpGroup(
        KEY_GROUP,
      ),
    );
  if (domainHelp !== undefined) {
    cmd.addOption(new Option('--domain-id <id>', `${domainHelp} (default: $DAILY_DOMAIN_ID)`).helpGroup(KEY_GROUP));
  }
  return cmd;
}

export function addNowOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('--now <time>', 'judge times as if it were this time (unix seconds or ISO date); default: the clock'),
  );
}

/** Loads --env-file before anything reads the environment. */
export async function prepareEnv(flags: KeyFlags, ctx: Context): Promise<void> {
  if (flags.envFile !== undefined) await loadEnvFile(flags.envFile, ctx);
}

/** Core's option names, as the CLI spells them, so library advice reads as CLI advice. */
const OPTION_WORDS: [RegExp, string][] = [
  [/allRooms: true/g, '--all-rooms'],
  [/noExpiry: true/g, '--no-expiry'],
  [/allowExpired: true/g, '--allow-past-exp'],
  [/\bnoExpiry\b/g, '--no-expiry'],
  [/\bexpiresIn\b/g, '--expires-in'],
  [/\bclockTolerance\b/g, '--clock-tolerance'],
  [/\bmaxLifetime\b/g, '--max-lifetime'],
  [/\bignoreNbf\b/g, '--ignore-nbf'],
  [/\bdomainId option\b/g, '--domain-id'],
  [/\bbaseUrl\b/g, '--api-url'],
];

export function cliWords(message: string): string {
  return OPTION_WORDS.reduce((m, [re, w]) => m.replace(re, w), message);
}

export function issueLines(issues: readonly ValidationIssue[], origins?: Map<string, string>): string {
  return issues
    .filter((i) => i.severity === 'error')
    .map((i) => {
      const root = i.path.split(/[.[]/)[0] ?? i.path;
      const field = i.path.match(/^permissions\.(\w+)/)?.[0];
      const from = (field && origins?.get(field)) ?? origins?.get(root);
      return `  - ${i.path}: ${cliWords(i.message)}${from ? ` (from ${from})` : ''}`;
    })
    .join('\n');
}

/** Core's thrown errors as CLI errors: bad options and properties are the caller's input (exit 2). */
export function fromCoreError(e: unknown, origins?: Map<string, string>): unknown {
  if (e instanceof MeetingTokenError && e.code !== 'malformed' && e.issues.length) {
    const n = e.issues.filter((i) => i.severity === 'error').length;
    return usage(`invalid token properties (${n} problem${n === 1 ? '' : 's'}):\n${issueLines(e.issues, origins)}`);
  }
  if (e instanceof TypeError || e instanceof MeetingTokenError) return usage(cliWords(e.message));
  return e;
}

export function isCliError(e: unknown): e is CliError {
  return e instanceof CliError;
}

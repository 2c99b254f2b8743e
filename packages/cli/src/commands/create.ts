/** `daily-tokens create`: mint one token from flags and/or --properties, or many with --batch. */
import { Command, Option } from 'commander';
import { createMeetingToken, decodeUnverified, lintMeetingToken, parseDuration } from 'daily-tokens';
import { isoFromSeconds, relativeTime } from 'daily-tokens/explain';
import { usage } from '../errors.js';
import type { Context } from '../io/context.js';
import { readJsonObjectArg } from '../io/json-input.js';
import { readDomainId, requireKeys } from '../io/secrets.js';
import { dateOf, parseNow } from '../io/time.js';
import { addPropertyOptions, collectPropertyFlags, mergeProperties } from '../properties/flags.js';
import { jsonText, relativeWords, renderFindings } from '../report/format.js';
import { addKeyOptions, addNowOption, fromCoreError, type KeyFlags, prepareEnv } from './shared.js';

interface CreateFlags extends KeyFlags {
  properties?: string;
  expiresIn?: string;
  allRooms?: boolean;
  expiry: boolean;
  batch?: string;
  format?: 'ndjson' | 'csv';
  json?: boolean;
  quiet?: boolean;
  now?: string;
  allowPastExp?: boolean;
}

const EXAMPLES = `
Examples:
  $ export DAILY_API_KEY=... DAILY_DOMAIN_ID=...        # or --env-file .env.daily
  $ daily-tokens create --room standup --user-name Ada --expires-in 15m
  $ daily-tokens create --room standup --owner --can-send video,audio --can-admin participants
  $ daily-tokens create --properties @props.json --lang de --json
  $ daily-tokens create --room standup --api-key-file ~/.daily/key      # key from a file
  $ pass show daily | daily-tokens create --room standup --api-key -   # key from stdin
  $ daily-tokens create --batch users.csv --room standup > tokens.ndjson
  $ daily-tokens create --room standup --exp 1700000000 --allow-past-exp   # an expired token, for tests
  $ daily-tokens create --room standup --nbf 1h --exp 2h                    # not valid for another hour

The token alone goes to stdout, a summary to stderr. Without --room a token works in every room of the
domain, so --all-rooms must say that is meant; --no-expiry likewise for a token that never expires.
With --batch, each NDJSON line or CSV row holds properties (full names); flags given alongside are
defaults for every row. Output: one NDJSON line per row, {"token":...} or {"line":N,"error":...}.`;

export function createCommand(ctx: Context, done: (code: number) => void): Command {
  const cmd = new Command('create')
    .summary('mint a meeting token signed with the domain API key')
    .description('Mint a Daily meeting token (HS256, abbreviated claims, d and iat added; exp 1 h unless told).')
    .option('--properties <json>', 'properties as JSON with full names: inline, @file.json, or - for stdin')
    .option('--expires-in <duration>', 'lifetime when exp is not given (default 1h): 90s, 15m, 1h30m, 7d')
    .option('--all-rooms', 'allow a token without room_name: it works in every room of the domain')
    .option('--no-expiry', 'allow a token without exp: it never expires')
    .option('--batch <file>', 'mint one token per row of an NDJSON or CSV file (- for stdin)')
    .addOption(
      new Option('--format <format>', 'batch input format (default: by extension, else ndjson)').choices([
        'ndjson',
        'csv',
      ]),
    )
    .option('--allow-past-exp', 'for tests: mint even if exp has passed (an already-expired token)')
    .option('--json', 'print {"token","claims","properties"} on stdout instead of the bare token')
    .option('-q, --quiet', 'no summary on stderr');
  addNowOption(cmd);
  addKeyOptions(cmd, 'the domain the token is for: domain_id from GET https://api.daily.co/v1/');
  addPropertyOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (flags: CreateFlags, command: Command) => {
    done(await runCreate(flags, command, ctx));
  });
  return cmd;
}

async function runCreate(flags: CreateFlags, command: Command, ctx: Context): Promise<number> {
  await prepareEnv(flags, ctx);
  const now = parseNow(flags.now);
  if (flags.expiresIn !== undefined) {
    try {
      parseDuration(flags.expiresIn, '--expires-in');
    } catch (e) {
      throw fromCoreError(e);
    }
  }
  if (flags.format !== undefined && flags.batch === undefined) throw usage('--format only applies to --batch');
  const fromFlags = collectPropertyFlags(command, now);
  if (flags.batch !== undefined && flags.json) {
    throw usage('--batch always writes NDJSON ({"token":...} per row); leave out --json');
  }
  if (flags.batch !== undefined && flags.allowPastExp) {
    throw usage('--allow-past-exp mints one test token at a time; leave out --batch');
  }
  if (flags.batch !== undefined && flags.properties !== undefined) {
    throw usage('--batch reads properties from its rows; use flags for defaults shared by every row, not --properties');
  }
  const stdinUsers = [flags.batch === '-' && '--batch -', flags.properties === '-' && '--properties -'].filter(
    (x): x is string => typeof x === 'string',
  );
  const keys = await requireKeys(flags, ctx, 'create', stdinUsers[0]);
  const domainId = readDomainId(flags.domainId, ctx);
  if (domainId === undefined) {
    throw usage(
      'create needs the domain id: --domain-id ID or DAILY_DOMAIN_ID (domain_id from GET https://api.daily.co/v1/)',
    );
  }
  if (fromFlags.properties.exp !== undefined && flags.expiresIn !== undefined) {
    throw usage(`${fromFlags.origins.get('exp')} and --expires-in both set the expiry; give one of them`);
  }
  const active = keys.ring[0];
  if (!active) throw usage('no API key found');
  const options = {
    apiKey: active.secret,
    domainId,
    now: dateOf(now),
    ...(flags.expiresIn !== undefined ? { expiresIn: flags.expiresIn } : {}),
    ...(flags.allRooms ? { allRooms: true } : {}),
    ...(flags.expiry === false ? { noExpiry: true } : {}),
  };

  if (flags.batch !== undefined) {
    // Loaded on demand: single-token runs need neither the CSV parser nor the progress bar.
    const { runBatch } = await import('../batch/mint.js');
    return runBatch(
      { input: flags.batch, format: flags.format, defaults: fromFlags.properties, options, now, quiet: !!flags.quiet },
      ctx,
    );
  }

  const json = flags.properties !== undefined ? await readJsonObjectArg(flags.properties, '--properties', ctx) : {};
  const properties = mergeProperties(json, fromFlags, '--properties');
  if (flags.expiresIn !== undefined && properties.exp !== undefined) {
    throw usage('--properties sets exp and --expires-in sets the lifetime; give one of them');
  }
  let token: string;
  try {
    token = await createMeetingToken(properties, flags.allowPastExp ? { ...options, allowExpired: true } : options);
  } catch (e) {
    throw fromCoreError(e, fromFlags.origins);
  }
  const decoded = decodeUnverified(token);
  if (flags.json) {
    ctx.stdout.write(jsonText({ token, claims: decoded.claims, properties: decoded.properties }));
  } else ctx.stdout.write(`${token}\n`);
  if (!flags.quiet) {
    const c = ctx.err;
    const p = decoded.properties;
    const parts = [
      p.room_name !== undefined ? `room ${c.bold(JSON.stringify(p.room_name))}` : c.yellow('every room of the domain'),
      p.exp !== undefined
        ? `${relativeWords('exp', relativeTime(p.exp, now))} (${isoFromSeconds(p.exp)})`
        : c.yellow('never expires'),
    ];
    if (p.is_owner) parts.push('owner');
    if (p.user_name !== undefined) parts.push(`user ${JSON.stringify(p.user_name)}`);
    parts.push(`${token.length} chars`, `signed with ${keys.source}`);
    ctx.stderr.write(`${c.green('✓')} minted a token: ${parts.join(' · ')}\n`);
    const findings = lintMeetingToken(token, { now: dateOf(now), apiKey: active.secret }).filter(
      (f) =>
        f.severity !== 'info' &&
        !(f.rule === 'no-room' && flags.allRooms) &&
        !(f.rule === 'no-expiry' && flags.expiry === false),
    );
    if (findings.length) ctx.stderr.write(`${renderFindings(findings, c).join('\n')}\n`);
  }
  return 0;
}

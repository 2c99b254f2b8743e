/** `daily-tokens lint`: what is dangerous, ignored by Daily or unwise in a token or a set of properties. */
import { Command, Option } from 'commander';
import { type Finding, lintMeetingToken } from 'daily-tokens';
import { EXIT_INVALID, usage } from '../errors.js';
import type { Context } from '../io/context.js';
import { readJsonObjectArg } from '../io/json-input.js';
import { readKeys } from '../io/secrets.js';
import { parseNow } from '../io/time.js';
import { lintOptions } from './lint-options.js';
import { readTokenInput } from '../io/token-input.js';
import { countBySeverity, jsonText, plural, renderFindings } from '../report/format.js';
import { addKeyOptions, addNowOption, fromCoreError, type KeyFlags, prepareEnv } from './shared.js';

interface Flags extends KeyFlags {
  properties?: string;
  hipaa?: boolean;
  maxLifetime?: string;
  json?: boolean;
  now?: string;
}

const EXAMPLES = `
Examples:
  $ daily-tokens lint "$TOKEN"
  $ daily-tokens lint --properties '{"room_name":"standup","user_id":"ada@example.com"}' --hipaa
  $ daily-tokens lint --properties @payload.json --max-lifetime 4h --json

--properties takes full-name properties or an abbreviated JWT payload ({"r":...,"exp":...}); the kind is
detected. Exit status: 0 no errors (warnings allowed), 1 at least one error, 2 usage error.`;

export function lintCommand(ctx: Context, done: (code: number) => void): Command {
  const cmd = new Command('lint')
    .summary('find mistakes in a token or properties (no expiry, no room, ms timestamps, PII, ...)')
    .description('Lint a meeting token, a JWT payload or full-name properties. Findings come errors first.')
    .argument('[token]', 'the token, or - to read it from stdin')
    .option('--properties <json>', 'lint properties or a payload instead of a token: inline JSON, @file.json or -')
    .option('--hipaa', 'the domain is HIPAA-enabled: user ids should be UUIDs')
    .addOption(new Option('--max-lifetime <duration>', 'longest acceptable lifetime (default 1h)'))
    .option('--json', 'print {"errors","warnings","infos","findings":[{rule,severity,message,claim?,fix?}]}');
  addNowOption(cmd);
  // The key, when given, is only checked for strength.
  addKeyOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (arg: string | undefined, flags: Flags) => {
    done(await runLint(arg, flags, ctx));
  });
  return cmd;
}

async function runLint(arg: string | undefined, flags: Flags, ctx: Context): Promise<number> {
  await prepareEnv(flags, ctx);
  const now = parseNow(flags.now);
  if (arg !== undefined && flags.properties !== undefined) {
    throw usage('lint takes a token or --properties, not both');
  }
  const stdinBusy = flags.properties === '-' || (flags.properties === undefined && (arg === undefined || arg === '-'));
  // The key is optional here: when there is one, lint checks its strength (it is never shown).
  const keys = await readKeys(flags, ctx, stdinBusy ? 'the input' : undefined);
  let input: string | Record<string, unknown>;
  if (flags.properties !== undefined) input = await readJsonObjectArg(flags.properties, '--properties', ctx);
  else {
    const t = await readTokenInput(arg, ctx);
    if (t.note) ctx.stderr.write(`${ctx.err.dim(`note: ${t.note}`)}\n`);
    input = t.token;
  }
  let findings: Finding[];
  try {
    findings = lintMeetingToken(input, lintOptions(flags, now, keys));
  } catch (e) {
    throw fromCoreError(e);
  }
  const n = countBySeverity(findings);
  if (flags.json) {
    ctx.stdout.write(jsonText({ errors: n.error, warnings: n.warning, infos: n.info, findings }));
  } else {
    const c = ctx.out;
    const lines = renderFindings(findings, c);
    const tally = `${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info`;
    lines.push(findings.length === 0 ? `${c.green('✓')} no findings` : (n.error ? c.red : c.yellow)(tally));
    ctx.stdout.write(`${lines.join('\n')}\n`);
  }
  return n.error ? EXIT_INVALID : 0;
}

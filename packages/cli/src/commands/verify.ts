/** `daily-tokens verify`: will Daily accept this token? Every problem with its code and fix. */
import { Command } from 'commander';
import { PROBLEM_CODES, type VerifyResult, verifyMeetingToken } from 'daily-tokens';
import { isoFromSeconds, relativeTime, verdictSentence } from 'daily-tokens/explain';
import { EXIT_INVALID } from '../errors.js';
import type { Context } from '../io/context.js';
import { readDomainId, requireKeys } from '../io/secrets.js';
import { parseNow } from '../io/time.js';
import { readTokenInput } from '../io/token-input.js';
import { jsonText, plural, relativeWords, renderProblems, renderWarnings } from '../report/format.js';
import { addKeyOptions, addNowOption, fromCoreError, type KeyFlags, prepareEnv } from './shared.js';
import { addVerifyOptions, type VerifyFlags, verifyOptions } from './verify-options.js';

interface Flags extends KeyFlags, VerifyFlags {
  json?: boolean;
  now?: string;
}

const EXAMPLES = `
Examples:
  $ export DAILY_API_KEY=... DAILY_DOMAIN_ID=...
  $ daily-tokens verify "$TOKEN" --room standup
  $ daily-tokens verify - --api-key-file keys.txt < token.txt    # keys.txt: active key, then old ones
  $ daily-tokens verify "$TOKEN" --clock-tolerance 30s --json

Exit status: 0 valid (Daily accepts it; claims it drops are listed as warnings, or are problems with
--strict), 1 invalid (every problem is listed with a code and a fix), 2 usage error.
Problem codes: ${PROBLEM_CODES.join(', ')}.`;

export function verifyCommand(ctx: Context, done: (code: number) => void): Command {
  const cmd = new Command('verify')
    .summary("check a token's signature, times, domain and room; list every problem with its fix")
    .description('Verify a meeting token against the domain API key(s), as Daily does when someone joins.')
    .argument('[token]', 'the token, or - to read it from stdin')
    .option('--json', 'print {"valid","verdict","problems","warnings","header","claims","properties","keyId"}');
  addVerifyOptions(cmd);
  addNowOption(cmd);
  addKeyOptions(cmd, 'the domain the token must belong to; another domain is wrong-domain');
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (arg: string | undefined, flags: Flags) => {
    done(await runVerify(arg, flags, ctx));
  });
  return cmd;
}

async function runVerify(arg: string | undefined, flags: Flags, ctx: Context): Promise<number> {
  await prepareEnv(flags, ctx);
  const now = parseNow(flags.now);
  const tokenFromStdin = arg === undefined || arg === '-';
  const keys = await requireKeys(flags, ctx, 'verify', tokenFromStdin ? 'the token' : undefined);
  const domainId = readDomainId(flags.domainId, ctx);
  const input = await readTokenInput(arg, ctx);
  if (input.note) ctx.stderr.write(`${ctx.err.dim(`note: ${input.note}`)}\n`);
  let result: VerifyResult;
  try {
    result = await verifyMeetingToken(input.token, verifyOptions(keys, domainId, flags, now));
  } catch (e) {
    throw fromCoreError(e);
  }
  if (flags.json) {
    ctx.stdout.write(jsonText(result));
    return result.valid ? 0 : EXIT_INVALID;
  }
  const c = ctx.out;
  const lines: string[] = [];
  if (result.valid) {
    const p = result.properties ?? {};
    const parts = [`signed with ${result.keyId ?? keys.source}`];
    parts.push(p.room_name !== undefined ? `room ${JSON.stringify(p.room_name)}` : 'every room of the domain');
    if (p.exp !== undefined) parts.push(`${relativeWords('exp', relativeTime(p.exp, now))} (${isoFromSeconds(p.exp)})`);
    else parts.push('never expires');
    lines.push(`${c.green('✓ valid')}: ${parts.join(' · ')}`);
  } else {
    lines.push(`${c.red('✗ invalid')}: ${plural(result.problems.length, 'problem')}`);
    lines.push(...renderProblems(result.problems, c));
  }
  lines.push(...renderWarnings(result.warnings, c));
  // "✓ valid" says it all for a clean token; otherwise Daily's verdict, in the words every surface uses.
  if (result.verdict !== 'applies' || result.warnings.length > 0) {
    const dropped = result.warnings.filter((w) => w.effect === 'drops').map((w) => w.claim ?? w.code);
    lines.push(`  ${verdictSentence(result.verdict, dropped)}`);
  }
  const unchecked = [
    domainId === undefined && 'the domain (give --domain-id or DAILY_DOMAIN_ID)',
    flags.room === undefined && 'the room (give --room)',
  ].filter(Boolean);
  if (unchecked.length) lines.push(c.dim(`  not checked: ${unchecked.join('; ')}`));
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return result.valid ? 0 : EXIT_INVALID;
}

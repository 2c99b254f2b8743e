/** `daily-tokens decode`: what a token says, with full names and times in words. Verifies nothing. */
import { Command } from 'commander';
import { decodeUnverified, MeetingTokenError } from 'daily-tokens';
import { explainClaims } from 'daily-tokens/explain';
import { EXIT_INVALID } from '../errors.js';
import type { Context } from '../io/context.js';
import { readTokenInput } from '../io/token-input.js';
import { parseNow } from '../io/time.js';
import { jsonText, renderClaimRows, valueText } from '../report/format.js';
import { addNowOption } from './shared.js';

const EXAMPLES = `
Examples:
  $ daily-tokens decode eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyIjoiaGVsbG8i...
  $ pbpaste | daily-tokens decode -
  $ daily-tokens decode 'https://acme.daily.co/standup?t=eyJhbGci...'   # takes ?t=
  $ daily-tokens decode "$TOKEN" --json | jq .properties

Nothing is verified: anyone can write a token that decodes to anything. Use verify or explain with the
domain's API key to know whether Daily will accept it.`;

export function decodeCommand(ctx: Context, done: (code: number) => void): Command {
  const cmd = new Command('decode')
    .summary('show what a token says (header, claims with full names, times); verifies nothing')
    .description(
      'Decode a meeting token without verifying it: header, claims under full names, times as ISO and relative.',
    )
    .argument('[token]', 'the token, or - to read it from stdin')
    .option('--json', 'print {"verified":false,"header","claims","properties","unknownClaims","issues","times"}');
  addNowOption(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (arg: string | undefined, flags: { json?: boolean; now?: string }) => {
    done(await runDecode(arg, flags, ctx));
  });
  return cmd;
}

async function runDecode(arg: string | undefined, flags: { json?: boolean; now?: string }, ctx: Context) {
  const now = parseNow(flags.now);
  const input = await readTokenInput(arg, ctx);
  if (input.note) ctx.stderr.write(`${ctx.err.dim(`note: ${input.note}`)}\n`);
  let decoded: ReturnType<typeof decodeUnverified>;
  try {
    decoded = decodeUnverified(input.token);
  } catch (e) {
    if (!(e instanceof MeetingTokenError)) throw e;
    ctx.stderr.write(
      `${ctx.err.red('✗')} ${e.message}\n  ${ctx.err.green('fix:')} pass the whole token: three base64url parts joined by dots.\n`,
    );
    return EXIT_INVALID;
  }
  ctx.stderr.write(
    `${ctx.err.yellow('⚠ not verified:')} decoding checks no signature; run \`daily-tokens verify\` with the domain's API key.\n`,
  );
  const rows = explainClaims(decoded.claims, decoded.properties, now);
  if (flags.json) {
    const times = Object.fromEntries(rows.filter((r) => r.time).map((r) => [r.claim, r.time]));
    ctx.stdout.write(
      jsonText({
        verified: false,
        header: decoded.header,
        claims: decoded.claims,
        properties: decoded.properties,
        unknownClaims: decoded.unknownClaims,
        issues: decoded.issues,
        times,
      }),
    );
    return 0;
  }
  const c = ctx.out;
  const lines = [
    `${c.bold('Header')}  ${Object.entries(decoded.header)
      .map(([k, v]) => `${k} ${valueText(v)}`)
      .join(' · ')}`,
    `${c.bold('Claims')}`,
    ...renderClaimRows(rows, c, false),
  ];
  if (decoded.issues.length) {
    lines.push(c.bold('Values Daily would not read'));
    for (const i of decoded.issues)
      lines.push(`  ${c[i.severity === 'error' ? 'red' : 'yellow'](i.severity)} ${i.path}: ${i.message}`);
  }
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * `daily-tokens explain`: decode + verify (when a key is at hand) + lint in one report for people,
 * ending with the verdict and what to change. The 2 a.m. "Meeting token ignored: invalid-token" command.
 */
import { Command, Option } from 'commander';
import {
  type DailyVerdict,
  decodeUnverified,
  EFFECTS,
  type EffectCode,
  type Finding,
  lintMeetingToken,
  MeetingTokenError,
  type Problem,
  type VerifyResult,
  verdictOf,
  verifyMeetingToken,
} from 'daily-tokens';
import { type ClaimRow, describeEvidence, EFFECT_EVIDENCE, explainClaims, verdictSentence } from 'daily-tokens/explain';
import { EXIT_INVALID } from '../errors.js';
import type { Context } from '../io/context.js';
import { KEY_WAYS, readDomainId, readKeys } from '../io/secrets.js';
import { parseNow } from '../io/time.js';
import { lintOptions } from './lint-options.js';
import { readTokenInput } from '../io/token-input.js';
import {
  countBySeverity,
  jsonText,
  plural,
  renderClaimRows,
  renderFindings,
  renderProblems,
  valueText,
} from '../report/format.js';
import { addKeyOptions, addNowOption, fromCoreError, type KeyFlags, prepareEnv } from './shared.js';
import { addVerifyOptions, type VerifyFlags, verifyOptions } from './verify-options.js';

interface Flags extends KeyFlags, VerifyFlags {
  hipaa?: boolean;
  maxLifetime?: string;
  json?: boolean;
  now?: string;
}

/** The JWT header is not a claim, so the registry does not describe it: its two fields in words. */
const HEADER_MEANINGS: Record<string, string> = {
  alg: 'Signature algorithm: Daily accepts HS256 only (HMAC-SHA256 keyed with the domain API key).',
  typ: 'Token type: "JWT".',
};

export type Verdict = 'valid' | 'invalid' | 'unverified';

const EXAMPLES = `
Examples:
  $ daily-tokens explain "$TOKEN"                       # no key: decode + lint, verdict "unverified"
  $ DAILY_API_KEY=... daily-tokens explain "$TOKEN" --room standup
  $ daily-tokens explain 'https://acme.daily.co/standup?t=eyJhbGci...' --api-key-file key.txt

Exit status: 0 valid (or unverified without lint errors), 1 invalid or lint errors, 2 usage error.`;

export function explainCommand(ctx: Context, done: (code: number) => void): Command {
  const cmd = new Command('explain')
    .summary('decode + verify + lint in one report, ending with the verdict and what to change')
    .description(
      'Explain a meeting token: every claim with its meaning, the signature and time checks (when a key is available), lint findings, and a verdict.',
    )
    .argument('[token]', 'the token, or - to read it from stdin')
    .option('--hipaa', 'the domain is HIPAA-enabled: user ids should be UUIDs')
    .addOption(new Option('--max-lifetime <duration>', 'longest acceptable lifetime (default 1h)'))
    .option('--json', 'print {"verdict","verified","header","rows","problems","findings","changes"}');
  addVerifyOptions(cmd);
  addNowOption(cmd);
  addKeyOptions(cmd, 'the domain the token must belong to');
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (arg: string | undefined, flags: Flags) => {
    done(await runExplain(arg, flags, ctx));
  });
  return cmd;
}

interface Report {
  verdict: Verdict;
  /** What Daily does with the token: the one model verify, lint and the inspector share. */
  daily: DailyVerdict;
  /** The claims Daily cannot read and drops. */
  dropped: string[];
  verified: boolean;
  length: number;
  header?: Record<string, unknown>;
  rows: ClaimRow[];
  /** Each with `evidence`: where its fact comes from, in words. */
  problems: (Problem & { evidence: string })[];
  findings: (Finding & { evidence: string })[];
  keyId?: string;
  /** What to change, in order: verify fixes first, then lint errors, then warnings. */
  changes: string[];
}

async function runExplain(arg: string | undefined, flags: Flags, ctx: Context): Promise<number> {
  await prepareEnv(flags, ctx);
  const now = parseNow(flags.now);
  const tokenFromStdin = arg === undefined || arg === '-';
  const keys = await readKeys(flags, ctx, tokenFromStdin ? 'the token' : undefined);
  const domainId = readDomainId(flags.domainId, ctx);
  const input = await readTokenInput(arg, ctx);
  if (input.note) ctx.stderr.write(`${ctx.err.dim(`note: ${input.note}`)}\n`);
  const token = input.token;

  let verified: VerifyResult | undefined;
  const problems: Problem[] = [];
  let findings: Finding[];
  try {
    if (keys) {
      verified = await verifyMeetingToken(token, verifyOptions(keys, domainId, flags, now));
      problems.push(...verified.problems);
    }
    findings = lintMeetingToken(token, lintOptions(flags, now, keys));
  } catch (e) {
    throw fromCoreError(e);
  }
  let rows: ClaimRow[] = [];
  let header: Record<string, unknown> | undefined;
  try {
    const decoded = decodeUnverified(token);
    header = decoded.header as Record<string, unknown>;
    rows = explainClaims(decoded.claims, decoded.properties, now);
  } catch (e) {
    if (!(e instanceof MeetingTokenError)) throw e;
    if (!problems.some((p) => p.code === 'malformed')) {
      problems.push({
        code: 'malformed',
        effect: EFFECTS.malformed,
        message: e.message,
        fix: 'Pass the whole token: three base64url parts joined by dots.',
      });
    }
  }
  // Lint repeats what verify already said (expired, malformed); keep the verify wording once.
  const said = new Set(problems.map((p) => p.code as string));
  findings = findings.filter((f) => !said.has(f.rule));
  const n = countBySeverity(findings);
  // With a key, verify's verdict; without one, lint's, which judges the same claims the same way and
  // cannot see the signature. Either way one model (daily-tokens EFFECTS) decides.
  const daily: DailyVerdict = verified ? verified.verdict : verdictOf([...problems, ...findings]);
  const verdict: Verdict = daily === 'refuses' ? 'invalid' : verified ? 'valid' : 'unverified';
  const dropped = [...(verified?.warnings ?? []), ...findings]
    .filter((x) => x.effect === 'drops')
    .map((x) => x.claim ?? '');
  // A bad claim value that a lint rule names more precisely is listed once, with the rule's fix.
  const lintedClaims = new Set(findings.filter((f) => f.severity === 'error').map((f) => f.claim));
  const changes = [
    ...problems
      .filter((p) => !(p.code === 'invalid-claim' && lintedClaims.has(p.claim)))
      .map((p) => `${p.code}: ${p.fix ?? p.message}`),
    ...findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule}: ${f.fix ?? f.message}`),
  ];
  // Each problem and finding says where its fact comes from: Daily's docs, its SDK, or our inference.
  const withEvidence = <T extends object>(x: T, code: EffectCode) => ({
    ...x,
    evidence: describeEvidence(EFFECT_EVIDENCE[code]),
  });
  const report: Report = {
    verdict,
    daily,
    dropped: [...new Set(dropped)],
    verified: verified !== undefined,
    length: token.length,
    ...(header ? { header } : {}),
    rows: rows.map(({ spec: _spec, ...r }) => r),
    problems: problems.map((p) => withEvidence(p, p.code)),
    findings: findings.map((f) => withEvidence(f, f.rule)),
    ...(verified?.keyId !== undefined ? { keyId: verified.keyId } : {}),
    changes,
  };
  if (flags.json) ctx.stdout.write(jsonText(report));
  else ctx.stdout.write(render(report, ctx, keys?.source, domainId, flags));
  return verdict === 'invalid' || n.error > 0 ? EXIT_INVALID : 0;
}

function render(
  r: Report,
  ctx: Context,
  keySource: string | undefined,
  domainId: string | undefined,
  flags: Flags,
): string {
  const c = ctx.out;
  const out: string[] = [];
  out.push(`${c.bold('Daily meeting token')} · ${r.length} characters`, '');
  if (r.header) {
    out.push(c.bold('Header'));
    for (const [k, v] of Object.entries(r.header)) {
      const meaning = HEADER_MEANINGS[k] ?? 'Not a header field Daily uses.';
      out.push(`  ${c.bold(k.padEnd(5))}  ${valueText(v).padEnd(8)}  ${c.dim(meaning)}`);
    }
    out.push('');
  }
  if (r.rows.length) {
    out.push(c.bold(`Claims (${r.rows.length})`), ...renderClaimRows(r.rows, c, true), '');
  }
  out.push(c.bold('Checks'));
  if (!r.verified) {
    out.push(
      `  ${c.yellow('–')} signature, times, domain and room: not checked, no API key. Give it in one of three ways:`,
    );
    out.push(...KEY_WAYS.split('\n').map((l) => `  ${l}`));
  } else if (r.problems.length === 0) {
    out.push(`  ${c.green('✓')} signature matches ${r.keyId ?? keySource}; nbf and exp allow use now`);
    out.push(
      domainId === undefined
        ? c.dim('  – domain not checked: give --domain-id or DAILY_DOMAIN_ID')
        : `  ${c.green('✓')} domain is ${domainId}`,
    );
    out.push(
      flags.room === undefined
        ? c.dim('  – room not checked: give --room')
        : `  ${c.green('✓')} room is ${JSON.stringify(flags.room)}`,
    );
  }
  out.push(...renderProblems(r.problems, c));
  if (r.findings.length) out.push('', c.bold('Lint'), ...renderFindings(r.findings, c));
  out.push('');
  const sentence = verdictSentence(r.daily, r.dropped);
  const verdict =
    r.verdict === 'valid'
      ? `${c.green(c.bold('VALID'))}: ${sentence}`
      : r.verdict === 'invalid'
        ? `${c.red(c.bold('INVALID'))}: ${sentence}`
        : `${c.yellow(c.bold('UNVERIFIED'))}: ${sentence.replace(/\.$/, '')}, if the signature holds: without the domain's API key it was not checked.`;
  out.push(`${c.bold('Verdict')} ${verdict}`);
  const n = countBySeverity(r.findings);
  if (r.changes.length) {
    out.push(`What to change${n.error || r.problems.length ? '' : ' (advice)'}:`);
    r.changes.forEach((ch, i) => {
      out.push(`  ${i + 1}. ${ch}`);
    });
  } else out.push('Nothing to change.');
  if (n.error && r.verdict !== 'invalid') out.push(c.red(`${plural(n.error, 'lint error')}: fix before use.`));
  return `${out.join('\n')}\n`;
}

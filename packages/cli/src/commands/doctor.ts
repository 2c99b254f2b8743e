/**
 * `daily-tokens doctor`: why won't this token work in this room? Fetches the room and the domain through
 * Daily's REST API (or any base URL, such as a daily-tokens service), verifies the token with the key, and
 * prints one verdict with what to change: the library's `diagnoseMeetingToken`, said for a terminal.
 */
import { Command, Option } from 'commander';
import { verifyMeetingToken } from 'daily-tokens';
import { type DoctorFinding, diagnoseMeetingToken, type RoomLike } from 'daily-tokens/doctor';
import { verdictSentence } from 'daily-tokens/explain';
import { DailyApiError, DailyRestClient } from 'daily-tokens/rest';
import { ROOM_NAME_PATTERN } from 'daily-tokens/rooms';
import { EXIT_INVALID, usage } from '../errors.js';
import type { Context } from '../io/context.js';
import { readDomainId, requireKeys } from '../io/secrets.js';
import { parseNow } from '../io/time.js';
import { readTokenInput } from '../io/token-input.js';
import { jsonText, plural } from '../report/format.js';
import { addKeyOptions, addNowOption, fromCoreError, type KeyFlags, prepareEnv } from './shared.js';
import { verifyOptions } from './verify-options.js';

interface Flags extends KeyFlags {
  room?: string;
  apiUrl?: string;
  json?: boolean;
  now?: string;
}

const DAILY_API = 'https://api.daily.co/v1';
const ROOM_NAME = new RegExp(ROOM_NAME_PATTERN);

const EXAMPLES = `
Examples:
  $ export DAILY_API_KEY=...
  $ daily-tokens doctor "$TOKEN" --room standup
  $ daily-tokens doctor "$TOKEN" --room https://acme.daily.co/standup --json
  $ daily-tokens doctor "$TOKEN" --room standup --api-url http://127.0.0.1:8787   # a daily-tokens service

Exit status: 0 the token does what it asks in this room, 1 it does not (every finding has a fix), 2 usage
or input error (no key, the API unreachable).`;

export function doctorCommand(ctx: Context, done: (code: number) => void): Command {
  const cmd = new Command('doctor')
    .summary('why won’t this token work in this room? fetches the room and domain, and says what to change')
    .description(
      'Check a meeting token against its room and domain: the token alone (verify, lint) and the token in the room (room expiry and ejections, knocking, recording, owner-only features, private rooms).',
    )
    .argument('[token]', 'the token, or - to read it from stdin')
    .addOption(new Option('--room <name|url>', 'the room the token is for: its name or its URL').makeOptionMandatory())
    .addOption(
      new Option(
        '--api-url <url>',
        `Daily's REST API, or a daily-tokens service (default: $DAILY_API_URL or ${DAILY_API})`,
      ),
    )
    .option('--json', 'print {"verdict","verified","room","findings","changes"}');
  addNowOption(cmd);
  addKeyOptions(cmd, 'the domain the token must belong to (default: the one the API key belongs to)');
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (arg: string | undefined, flags: Flags) => {
    done(await runDoctor(arg, flags, ctx));
  });
  return cmd;
}

/** A room name, or the name in a room URL (`https://acme.daily.co/standup`). */
export function roomNameOf(value: string): string {
  let name = value.trim();
  if (/^https?:\/\//i.test(name)) {
    try {
      name = decodeURIComponent(new URL(name).pathname.split('/').filter(Boolean)[0] ?? '');
    } catch {
      throw usage(`--room ${JSON.stringify(value)} is not a room URL such as https://your-team.daily.co/standup`);
    }
  }
  if (!ROOM_NAME.test(name)) {
    throw usage(
      `--room ${JSON.stringify(value)}: a room name is 1 to 128 letters, digits, "-" or "_" (or give the room's URL)`,
    );
  }
  return name;
}

async function runDoctor(arg: string | undefined, flags: Flags, ctx: Context): Promise<number> {
  await prepareEnv(flags, ctx);
  const now = parseNow(flags.now);
  const roomName = roomNameOf(flags.room ?? '');
  const tokenFromStdin = arg === undefined || arg === '-';
  const keys = await requireKeys(
    flags,
    ctx,
    'doctor (it reads the room through the REST API)',
    tokenFromStdin ? 'the token' : undefined,
  );
  const input = await readTokenInput(arg, ctx);
  if (input.note) ctx.stderr.write(`${ctx.err.dim(`note: ${input.note}`)}\n`);
  const apiKey = keys.ring.find((k) => k.active !== false)?.secret;
  if (typeof apiKey !== 'string') throw usage('doctor needs an active API key as text to call the REST API');
  const baseUrl = flags.apiUrl ?? ctx.env.DAILY_API_URL ?? DAILY_API;
  let rest: DailyRestClient;
  try {
    rest = new DailyRestClient({ apiKey, baseUrl, retries: 1 });
  } catch (e) {
    throw fromCoreError(e);
  }

  const [domain, room] = await Promise.all([
    call(() => rest.getDomain(), baseUrl),
    call(() => rest.getRoom(roomName), baseUrl).catch((e: unknown) => {
      if (e instanceof NotFound) return null;
      throw e;
    }),
  ]);
  const domainId = readDomainId(flags.domainId, ctx) ?? domain.domain_id;
  let verified: Awaited<ReturnType<typeof verifyMeetingToken>>;
  let diagnosis: ReturnType<typeof diagnoseMeetingToken>;
  try {
    // The room is not given to verify: the doctor's own wrong-room rule also says when the name is spelled differently.
    verified = await verifyMeetingToken(input.token, verifyOptions(keys, domainId, {}, now));
    diagnosis = diagnoseMeetingToken({
      token: input.token,
      room: room as RoomLike | null,
      roomName,
      domain,
      verified,
      now: new Date(now * 1000),
    });
  } catch (e) {
    throw fromCoreError(e);
  }
  const refused = diagnosis.verdict === 'refuses';
  const errors = diagnosis.findings.filter((f) => f.severity === 'error').length;
  const dropped = diagnosis.findings.filter((f) => f.effect === 'drops').map((f) => f.claim ?? f.rule);
  const changes = diagnosis.findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule}: ${f.fix}`);
  if (flags.json) {
    ctx.stdout.write(
      jsonText({
        verdict: diagnosis.verdict,
        verified: diagnosis.verified,
        room: room === null ? null : { name: room.name, privacy: room.privacy },
        findings: diagnosis.findings,
        changes,
      }),
    );
  } else {
    const c = ctx.out;
    const lines = [
      `${c.bold('Token in room')} ${JSON.stringify(roomName)}${room === null ? c.red(' (no such room)') : ` · ${room.privacy}`} · domain ${domain.domain_name ?? domainId}`,
      '',
      ...diagnosis.findings.flatMap((f) => renderFinding(f, c)),
      ...(diagnosis.findings.length ? [''] : []),
      `${c.bold('Verdict')} ${refused ? c.red(c.bold('REFUSED')) : errors ? c.yellow(c.bold('ACCEPTED, BUT')) : c.green(c.bold('OK'))}: ${verdictSentence(diagnosis.verdict, dropped)}`,
    ];
    if (changes.length) {
      lines.push(`What to change (${plural(changes.length, 'item')}):`);
      changes.forEach((ch, i) => {
        lines.push(`  ${i + 1}. ${ch}`);
      });
    } else lines.push('Nothing to change.');
    ctx.stdout.write(`${lines.join('\n')}\n`);
  }
  return refused || errors > 0 ? EXIT_INVALID : 0;
}

const COLOR = { error: 'red', warning: 'yellow', info: 'cyan' } as const;

function renderFinding(f: DoctorFinding, c: Context['out']): string[] {
  return [
    `  ${c[COLOR[f.severity]](f.severity.padEnd(7))} ${c.bold(f.rule)}${f.claim ? c.dim(` (${f.claim})`) : ''}: ${f.message}`,
    `          ${c.green('fix:')} ${f.fix}`,
    c.dim(`          why: ${f.evidence}`),
  ];
}

class NotFound extends Error {}

/** One REST call, its failures said as what to do: a 404 is the caller's to judge (NotFound). */
async function call<T>(fn: () => Promise<T>, baseUrl: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof DailyApiError)) throw e;
    if (e.status === 404) throw new NotFound(e.info);
    if (e.status === 401 || e.status === 400)
      throw usage(`${baseUrl} refused the API key (${e.status} ${e.type}): give the domain's current API key`);
    if (e.status === 0) throw usage(`could not reach ${baseUrl}: ${e.info}; check --api-url or the network`);
    throw usage(`${baseUrl} answered ${e.status} ${e.type}: ${e.info}`);
  }
}

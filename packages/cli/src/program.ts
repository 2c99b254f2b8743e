/** The `daily-tokens` program: commands, help, and commander's errors turned into exit code 2. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { type Context, scrub } from './io/context.js';

export const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const EXAMPLES = `
Examples:
  $ daily-tokens create --room standup --user-name Ada --expires-in 15m
  $ daily-tokens explain "$TOKEN"          # "Meeting token ignored: invalid-token"? start here
  $ daily-tokens verify "$TOKEN" --room standup
  $ daily-tokens doctor "$TOKEN" --room standup  # the token against its room and domain
  $ daily-tokens decode - < token.txt
  $ daily-tokens lint --properties @props.json
  $ source <(daily-tokens completion bash)   # or zsh, fish

The API key comes from DAILY_API_KEY, --api-key-file PATH or --api-key - (stdin), never from an
argument; the domain from DAILY_DOMAIN_ID or --domain-id. --env-file PATH loads a dotenv file.
Exit status: 0 ok, 1 token invalid or lint errors, 2 usage or input error. NO_COLOR turns colours off.`;

type MakeCommand = (ctx: Context, done: (code: number) => void) => Command;

/**
 * The commands in help order, each loaded only when needed: a run of `decode` reads neither the creation flags
 * nor the batch minter nor the explain renderer (start-up time is most of a short command's time).
 */
const COMMANDS: Record<string, () => Promise<MakeCommand>> = {
  create: async () => (await import('./commands/create.js')).createCommand,
  decode: async () => (await import('./commands/decode.js')).decodeCommand,
  verify: async () => (await import('./commands/verify.js')).verifyCommand,
  lint: async () => (await import('./commands/lint.js')).lintCommand,
  explain: async () => (await import('./commands/explain.js')).explainCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  completion: async () => (await import('./commands/completion.js')).completionCommand,
};

/**
 * The command a run names, when it is one of ours and needs only itself: the first argument that is not an
 * option (the program has no option that takes a value). `completion`, `help`, no command or an unknown one
 * need every command (for the script, the list, or "did you mean").
 */
export function soleCommand(argv: readonly string[]): string | undefined {
  const wanted = argv.slice(2).find((a) => !a.startsWith('-'));
  return wanted !== undefined && wanted !== 'completion' && Object.hasOwn(COMMANDS, wanted) ? wanted : undefined;
}

/**
 * Builds the program with the commands `argv` needs (all of them without `argv`); `done` receives each
 * command's exit code.
 */
export async function buildProgram(
  ctx: Context,
  done: (code: number) => void,
  argv?: readonly string[],
): Promise<Command> {
  const program = new Command('daily-tokens')
    .description('Create, decode, verify, lint and explain Daily.co meeting tokens.')
    .version(version, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(scrub(s, ctx.secrets)),
      outputError: (s, write) => write(ctx.err.red(`daily-tokens: ${scrub(s.replace(/^error: /, ''), ctx.secrets)}`)),
    })
    .configureHelp({ showGlobalOptions: false, sortSubcommands: false })
    .addHelpText('after', EXAMPLES);
  const sole = argv ? soleCommand(argv) : undefined;
  const names = sole ? [sole] : Object.keys(COMMANDS);
  const makers = await Promise.all(names.map((name) => (COMMANDS[name] as () => Promise<MakeCommand>)()));
  for (const make of makers) {
    const cmd = make(ctx, done);
    cmd.exitOverride().showSuggestionAfterError(true).configureOutput(program.configureOutput());
    program.addCommand(cmd);
  }
  return program;
}

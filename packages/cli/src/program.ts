/** The `daily-tokens` program: commands, help, and commander's errors turned into exit code 2. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { completionCommand } from './commands/completion.js';
import { createCommand } from './commands/create.js';
import { decodeCommand } from './commands/decode.js';
import { explainCommand } from './commands/explain.js';
import { lintCommand } from './commands/lint.js';
import { verifyCommand } from './commands/verify.js';
import { type Context, scrub } from './io/context.js';

export const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const EXAMPLES = `
Examples:
  $ daily-tokens create --room standup --user-name Ada --expires-in 15m
  $ daily-tokens explain "$TOKEN"          # "Meeting token ignored: invalid-token"? start here
  $ daily-tokens verify "$TOKEN" --room standup
  $ daily-tokens decode - < token.txt
  $ daily-tokens lint --properties @props.json
  $ source <(daily-tokens completion bash)   # or zsh, fish

The API key comes from DAILY_API_KEY, --api-key-file PATH or --api-key - (stdin), never from an
argument; the domain from DAILY_DOMAIN_ID or --domain-id. --env-file PATH loads a dotenv file.
Exit status: 0 ok, 1 token invalid or lint errors, 2 usage or input error. NO_COLOR turns colours off.`;

/** Builds the program; `done` receives each command's exit code. */
export function buildProgram(ctx: Context, done: (code: number) => void): Command {
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
  for (const make of [createCommand, decodeCommand, verifyCommand, lintCommand, explainCommand, completionCommand]) {
    const cmd = make(ctx, done);
    cmd.exitOverride().showSuggestionAfterError(true).configureOutput(program.configureOutput());
    program.addCommand(cmd);
  }
  return program;
}

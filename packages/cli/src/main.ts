/**
 * Entry point of the `daily-tokens` binary: runs the program and maps every outcome to an exit code
 * (0 ok, 1 token invalid or lint errors, 2 usage or input error). No stack trace ever reaches the user.
 */
import { type Command, CommanderError } from 'commander';
import { CliError, EXIT_USAGE } from './errors.js';
import { type Context, processContext, scrub } from './io/context.js';
import { findLiteralKey, LITERAL_KEY_REFUSAL } from './io/secrets.js';
import { buildProgram, soleCommand, version } from './program.js';

export async function run(argv: readonly string[], ctx: Context): Promise<number | undefined> {
  const literal = findLiteralKey(argv.slice(2));
  if (literal !== undefined) {
    ctx.secrets.add(literal);
    ctx.stderr.write(`${ctx.err.red('daily-tokens:')} ${LITERAL_KEY_REFUSAL}\n`);
    return EXIT_USAGE;
  }
  let code: number | undefined;
  try {
    const program = await buildProgram(
      ctx,
      (c) => {
        code = c;
      },
      argv,
    );
    // A run of one of the CLI's own commands does not load the service's (Fastify stays unread either way).
    if (soleCommand(argv) === undefined) await registerServiceCommands(program, argv);
    await program.parseAsync(argv as string[]);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successes; every other commander error has been printed already.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      // Help shown because no command was given is a usage error; `help <command>` is not.
      if (e.code === 'commander.help') return e.exitCode === 0 ? 0 : EXIT_USAGE;
      if (e.code === 'commander.executeSubCommandAsync') return code;
      ctx.stderr.write(ctx.err.dim('(see daily-tokens --help, or daily-tokens <command> --help)\n'));
      return EXIT_USAGE;
    }
    if (e instanceof CliError) {
      ctx.stderr.write(`${ctx.err.red('daily-tokens:')} ${scrub(e.message, ctx.secrets)}\n`);
      return e.exitCode;
    }
    const message = e instanceof Error ? e.message : String(e);
    ctx.stderr.write(`${ctx.err.red('daily-tokens: unexpected error:')} ${scrub(message, ctx.secrets)}\n`);
    return EXIT_USAGE;
  }
}

const SERVICE_PACKAGE = '@daily-tokens/server';

/**
 * `import()` that works wherever this runs: on Node 20 the launcher (bin/daily-tokens.js) may run the bundle
 * from V8's code cache, where `import()` has no loader, so it hands over an import of its own; elsewhere
 * (tests, Node ≥ 22) this is the plain `import()`.
 */
const IMPORT = Symbol.for('daily-tokens.cli.import');
function importModule(specifier: string): Promise<unknown> {
  const given = (globalThis as Record<symbol, unknown>)[IMPORT] as ((s: string) => Promise<unknown>) | undefined;
  return given ? given(specifier) : import(specifier);
}
const SERVICE_COMMANDS = ['serve', 'keys', 'domains'];

/**
 * `serve`, `keys` and `domains` live in @daily-tokens/server, an optional peer: the CLI alone mints and checks
 * tokens without Fastify, the database drivers or a native SQLite build. The server's CLI module is light (the
 * service loads inside the actions). The specifier is a variable so this package builds without the server's
 * types. Without the server, its commands still parse, and say which package to install.
 */
async function registerServiceCommands(program: Command, argv: readonly string[]): Promise<void> {
  let mod: { registerServerCommands?: (program: Command) => unknown };
  try {
    mod = (await importModule(`${SERVICE_PACKAGE}/cli`)) as typeof mod;
  } catch (e) {
    const reason = serviceLoadFailure(e);
    const wanted = argv.slice(2).find((a) => !a.startsWith('-'));
    if (wanted !== undefined && SERVICE_COMMANDS.includes(wanted)) throw new CliError(`"${wanted}" ${reason}`);
    program.addHelpText('after', `\nserve, keys, domains: ${reason}`);
    return;
  }
  mod.registerServerCommands?.(program);
}

/** What to do when the server's commands cannot load: install the package, or reinstall a broken one. */
function serviceLoadFailure(e: unknown): string {
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  const missing =
    (e as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND' &&
    message?.includes(`Cannot find package '${SERVICE_PACKAGE}'`);
  return missing
    ? `needs the token service, which is a separate package: npm install ${SERVICE_PACKAGE}@${version}`
    : `needs ${SERVICE_PACKAGE}, which is installed but could not be loaded (${message}); reinstall it: npm install ${SERVICE_PACKAGE}@${version}`;
}

const ctx = processContext();
// A consumer that stops reading (`| head -1`) closes the pipe: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw e;
  });
}
run(process.argv, ctx).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`daily-tokens: ${scrub(e instanceof Error ? e.message : String(e), ctx.secrets)}\n`);
    process.exitCode = EXIT_USAGE;
  },
);

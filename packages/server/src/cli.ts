/**
 * The service's commands for the `daily-tokens` CLI: `serve`, `keys …` and `domains …`.
 * This module stays light: the server, the store and their drivers load inside the actions.
 * Secrets come from the environment or files (DAILY_TOKENS_MASTER_KEY[_FILE] …), never from argv.
 *
 * @example
 * ```ts
 * import { Command } from 'commander';
 * import { registerServerCommands } from '@daily-tokens/server/cli';
 * const program = new Command('daily-tokens');
 * registerServerCommands(program);
 * await program.parseAsync();
 * ```
 */
import type { Command } from 'commander';
// config.ts is light (no server, store or drivers), so it can load with the program.
import {
  ConfigError,
  checkDomainId,
  checkDomainName,
  IN_MEMORY,
  loadConfig,
  parseSeconds,
  type ServerFlags,
} from './config.js';
import { DomainConflictError } from './store/domains.js';

interface StoreFlags {
  data?: string;
  databaseUrl?: string;
}

const DOMAIN_OPTION = ['--domain <id|name>', 'the domain (needed when there are several)'] as const;

function storeOptions(cmd: Command): Command {
  return cmd
    .option('--data <dir>', 'SQLite data folder (default ./.daily-tokens, or DAILY_TOKENS_DATA)')
    .option('--database-url <url>', 'Postgres URL instead of SQLite (or DATABASE_URL)');
}

/** The invocation is wrong: a bad argument, or a domain or key that does not exist. Exit code 2. */
class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes as the rest of the CLI has them: 2 when the invocation is wrong, 1 when the work failed. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/**
 * Wraps a command's action: an error becomes one line on stderr, prefixed with the program's name, and an
 * exit code, never a stack trace.
 */
function guarded<A extends unknown[]>(program: Command, action: (...args: A) => Promise<void>) {
  return async (...args: A): Promise<void> => {
    try {
      await action(...args);
    } catch (e) {
      const usage = e instanceof UsageError || e instanceof ConfigError;
      process.stderr.write(`${program.name()}: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = usage ? EXIT_USAGE : EXIT_FAILED;
    }
  };
}

async function withStore<T>(flags: StoreFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('./store/index.js');
  // Only the store's flags: the command's own (--domain, --json …) are not configuration.
  const config = loadConfig({ data: flags.data, databaseUrl: flags.databaseUrl, rateLimit: 'off' });
  if (config.dataDir === IN_MEMORY && !config.databaseUrl)
    throw new ConfigError(
      'an in-memory service (--data :memory:) keeps its keys inside its own process, where this command cannot reach them; use its admin API (/admin/domains, /admin/keys) instead',
    );
  const store = await openStore(config, { bootstrap: false });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

type Store = import('./store/index.js').Store;
type Domain = Awaited<ReturnType<typeof findDomain>>;

async function findDomain(store: Store, idOrName: string | undefined) {
  if (idOrName) {
    const d = await store.domains.find(idOrName);
    if (!d)
      throw new UsageError(
        `no domain with id or name ${JSON.stringify(idOrName)}; list them with: npx daily-tokens domains list`,
      );
    return d;
  }
  const all = await store.domains.list();
  if (all.length === 1 && all[0]) return all[0];
  throw new UsageError(
    all.length === 0
      ? 'there is no domain yet; create one with: npx daily-tokens domains create <name>'
      : 'there are several domains; say which with --domain <id or name>',
  );
}

function print(json: boolean | undefined, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

/** Adds `serve`, `keys` and `domains` to a commander program. */
export function registerServerCommands(program: Command): Command {
  program
    .command('serve')
    .description('start the Daily-compatible token service (SQLite in ./.daily-tokens unless --database-url)')
    .option('--port <port>', 'port to listen on; 0 picks a free one (default 8787, or PORT)')
    .option('--host <host>', 'interface to bind (default 127.0.0.1)')
    .option('--data <dir>', 'SQLite data folder (default ./.daily-tokens; :memory: keeps nothing on disk)')
    .option('--database-url <url>', 'Postgres URL: all state in Postgres (needs DAILY_TOKENS_MASTER_KEY)')
    .option('--redis-url <url>', 'Redis URL: rate limits and key invalidation shared across replicas')
    .option('--rate-limit <spec>', 'per-key limits such as "20/1s,100/5s" (the default) or "off"')
    .option(
      '--trust-proxy <list>',
      'believe X-Forwarded-For only from these proxies: addresses or CIDR ranges, e.g. 10.0.0.0/8,loopback (default: none)',
    )
    .option(
      '--allow-past-exp',
      'for tests: POST /v1/meeting-tokens also mints tokens whose exp has passed (or DAILY_TOKENS_ALLOW_PAST_EXP=1)',
    )
    .option(
      '--emulator',
      'for tests: a virtual clock, and fault injection, a request journal, clock control and snapshots under /admin/ (needs DAILY_TOKENS_ADMIN_TOKEN; or DAILY_TOKENS_EMULATOR=1)',
    )
    .option('--import <file>', 'emulator mode: start from this snapshot (replaces every domain, key and room)')
    .option(
      '--export-on-exit <file>',
      'emulator mode: write the state there on SIGTERM/SIGINT (mode 0600: it holds API keys)',
    )
    .addHelpText(
      'after',
      '\nSecrets come from the environment: DAILY_TOKENS_MASTER_KEY, DAILY_TOKENS_ADMIN_TOKEN,\nDAILY_API_KEY (+ DAILY_DOMAIN_ID, DAILY_DOMAIN_NAME) to seed a domain; each also as NAME_FILE.',
    )
    .action(
      guarded(program, async (flags: ServerFlags) => {
        const { serve } = await import('./serve.js');
        await serve(loadConfig(flags));
      }),
    );

  const keys = program.command('keys').description("manage a domain's API keys in the configured store");
  /** A `keys` subcommand about one domain: --domain (or the only one), --json, the store open. */
  const domainKeysCommand = (
    name: string,
    description: string,
    run: (store: Store, domain: Domain, json: boolean | undefined) => Promise<void>,
  ) =>
    storeOptions(keys.command(name).description(description))
      .option(...DOMAIN_OPTION)
      .option('--json', 'print JSON')
      .action(
        guarded(program, async (flags: StoreFlags & { domain?: string; json?: boolean }) => {
          await withStore(flags, async (store) => run(store, await findDomain(store, flags.domain), flags.json));
        }),
      );
  domainKeysCommand('list', 'list the keys of a domain (never the secrets)', async (store, domain, json) => {
    const list = await store.keys.list(domain.id);
    const lines = list.map(
      (k) =>
        `${k.id}  …${k.hint}  ${k.status}${k.retire_at && k.status !== 'inactive' ? ` until ${k.retire_at}` : ''}  created ${k.created_at}`,
    );
    print(json, list, lines.join('\n') || '(no keys)');
  });
  domainKeysCommand('create', 'create a new API key; it is printed once', async (store, domain, json) => {
    const { key, apiKey } = await store.keys.create(domain.id);
    print(json, { ...key, api_key: apiKey }, `${apiKey}\n(key ${key.id} of ${domain.name}; shown once, store it now)`);
  });
  storeOptions(
    keys.command('rotate <keyId>').description('issue a new key; the old one keeps working for the grace period'),
  )
    .option(
      '--grace <duration>',
      'how long the old key keeps working, e.g. 15m, 24h, 0 (default DAILY_TOKENS_KEY_GRACE or 24h)',
    )
    .option('--json', 'print JSON')
    .action(
      guarded(program, async (keyId: string, flags: StoreFlags & { grace?: string; json?: boolean }) => {
        const grace =
          flags.grace !== undefined
            ? parseSeconds(flags.grace, '--grace')
            : loadConfig({ ...flags, rateLimit: 'off' }).defaultGraceSeconds;
        await withStore(flags, async (store) => {
          const r = await store.keys.rotate(keyId, grace);
          if (!r)
            throw new UsageError(`no active key ${JSON.stringify(keyId)}; list them with: npx daily-tokens keys list`);
          print(
            flags.json,
            { key: { ...r.key, api_key: r.apiKey }, retired: r.retired },
            `${r.apiKey}\n(new key ${r.key.id}; shown once. ${keyId} ${grace > 0 ? `keeps working until ${r.retired.retire_at}` : 'is inactive now'})`,
          );
        });
      }),
    );
  storeOptions(
    keys.command('deactivate <keyId>').description('stop a key at once (tokens signed with it stop validating)'),
  )
    .option('--json', 'print JSON')
    .action(
      guarded(program, async (keyId: string, flags: StoreFlags & { json?: boolean }) => {
        await withStore(flags, async (store) => {
          const k = await store.keys.deactivate(keyId);
          if (!k) throw new UsageError(`no key ${JSON.stringify(keyId)}; list them with: npx daily-tokens keys list`);
          print(flags.json, k, `${k.id} is inactive (replicas stop accepting it within 1 s)`);
        });
      }),
    );

  const domains = program.command('domains').description('manage domains in the configured store');
  storeOptions(domains.command('list').description('list domains'))
    .option('--json', 'print JSON')
    .action(
      guarded(program, async (flags: StoreFlags & { json?: boolean }) => {
        await withStore(flags, async (store) => {
          const list = await store.domains.list();
          print(
            flags.json,
            list,
            list.map((d) => `${d.id}  ${d.name}  created ${d.created_at}`).join('\n') || '(no domains)',
          );
        });
      }),
    );
  storeOptions(domains.command('create <name>').description('create a domain and its first API key (printed once)'))
    .option('--id <uuid>', 'domain id to use (default: a new UUID)')
    .option('--json', 'print JSON')
    .action(
      guarded(program, async (name: string, flags: StoreFlags & { id?: string; json?: boolean }) => {
        checkDomainName(name, 'the domain name');
        if (flags.id !== undefined) checkDomainId(flags.id, '--id');
        await withStore(flags, async (store) => {
          if (await store.domains.find(name))
            throw new UsageError(`a domain named ${JSON.stringify(name)} exists already`);
          if (flags.id !== undefined && (await store.domains.byId(flags.id)))
            throw new UsageError(`a domain with id ${JSON.stringify(flags.id)} exists already`);
          let domain: Domain;
          try {
            domain = await store.domains.create(name, flags.id);
          } catch (e) {
            if (e instanceof DomainConflictError) throw new UsageError(e.message);
            throw e;
          }
          const { key, apiKey } = await store.keys.create(domain.id);
          print(
            flags.json,
            { domain, key: { ...key, api_key: apiKey } },
            `domain ${domain.name} (${domain.id})\n${apiKey}\n(key ${key.id}; shown once, store it now)`,
          );
        });
      }),
    );
  return program;
}

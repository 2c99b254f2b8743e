/** Dialect selection: embedded SQLite (WAL) by default, Postgres when a database URL is configured. */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { IN_MEMORY, type ServerConfig } from '../config.js';
import { generateMasterKey, redactUrl } from '../crypto/secrets.js';
import { migrate } from './migrations.js';
import type { Database } from './schema.js';

export interface OpenedDb {
  db: Kysely<Database>;
  engine: 'sqlite' | 'postgres';
  /** Where the data lives, for the ready lines (never includes a password). */
  location: string;
}

export const SQLITE_FILE = 'daily-tokens.sqlite';
const MASTER_KEY_FILE = 'master.key';
/** Advisory lock id for migrations (any constant; "daily-tk" in ASCII). */
const MIGRATION_LOCK = 0x6461696c79746bn;
/** Postgres `application_name` of the service's connections. */
export const APPLICATION_NAME = 'daily-tokens';

function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** The embedded master key: read from the data folder, or new and not written yet (see `persist`). */
export interface EmbeddedMasterKey {
  key: string;
  created: boolean;
  path: string;
  /**
   * Writes a new key to its file (mode 0600); nothing for a key that was read. Called once start-up has
   * succeeded, so a start-up that fails for another reason leaves no key file behind (a later start with the
   * intended DAILY_TOKENS_MASTER_KEY would otherwise find a stray one).
   */
  persist(): void;
}

/**
 * With SQLite and no DAILY_TOKENS_MASTER_KEY, the key is generated once and kept in the data folder
 * (mode 0600), so restarts can still decrypt the stored API keys.
 */
export function embeddedMasterKey(dataDir: string): EmbeddedMasterKey {
  ensureDataDir(dataDir);
  const path = join(dataDir, MASTER_KEY_FILE);
  if (existsSync(path)) return { key: readFileSync(path, 'utf8').trim(), created: false, path, persist() {} };
  const key = generateMasterKey();
  return {
    key,
    created: true,
    path,
    persist() {
      try {
        writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new Error(
            `${path} appeared while this process started (another one started on the same data folder at once); start again`,
          );
        }
        throw e;
      }
      chmodSync(path, 0o600);
    },
  };
}

/**
 * The files of the data folder that hold secrets or data, whose mode lets others than the owner read them
 * (group or world bits): warned about at start-up. Missing files are skipped.
 */
export function looseFiles(dataDir: string): { path: string; mode: string }[] {
  const out: { path: string; mode: string }[] = [];
  for (const name of [MASTER_KEY_FILE, SQLITE_FILE, `${SQLITE_FILE}-wal`, `${SQLITE_FILE}-shm`]) {
    const path = join(dataDir, name);
    let mode: number;
    try {
      mode = statSync(path).mode & 0o777;
    } catch {
      continue;
    }
    if ((mode & 0o077) !== 0) out.push({ path, mode: `0${mode.toString(8)}` });
  }
  return out;
}

/** Opens the configured database and runs the migrations. */
export async function openDb(config: ServerConfig): Promise<OpenedDb> {
  if (config.databaseUrl) {
    const schema = config.databaseSchema;
    // each driver loaded only when used: the other one's modules would only take memory
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: 10,
      connectionTimeoutMillis: 2000,
      idleTimeoutMillis: 10_000,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
      // operators (and tests) find the service's sessions by it; an application_name in the URL wins
      application_name: APPLICATION_NAME,
    });
    // A dropped connection must not crash the process; the next query reports the outage instead.
    // The pool's own listener covers idle clients only: a checked-out client between two queries (in a
    // transaction, say) emits 'error' too, and with no listener that ends the process.
    pool.on('error', () => {});
    pool.on('connect', (client) => {
      client.on('error', () => {});
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      // replicas may start together: one connection, one advisory lock, then schema + migrations
      await db.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
        try {
          if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(conn);
          await migrate(conn as unknown as Kysely<unknown>, schema);
        } finally {
          await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
        }
      });
    } catch (e) {
      await db.destroy();
      throw new Error(`cannot open Postgres at ${redactUrl(config.databaseUrl, 'postgres')}: ${(e as Error).message}`);
    }
    return { db, engine: 'postgres', location: redactUrl(config.databaseUrl, 'postgres') };
  }
  const { default: SQLite } = await import('better-sqlite3');
  if (config.dataDir === IN_MEMORY) {
    const sqlite = new SQLite(IN_MEMORY);
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    await migrate(db as unknown as Kysely<unknown>);
    return { db, engine: 'sqlite', location: 'in memory: nothing is kept after the process ends' };
  }
  ensureDataDir(config.dataDir);
  const file = join(config.dataDir, SQLITE_FILE);
  // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode, and
  // would otherwise create it 0644 (under the usual umask), readable by every user of the machine.
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db as unknown as Kysely<unknown>);
  return { db, engine: 'sqlite', location: file };
}

/** The store: one Kysely database behind small repositories, plus seeding. */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { assertKnownOptions, optionNames } from 'daily-tokens';
import { assertServerConfig, IN_MEMORY, type ServerConfig } from '../config.js';
import { type KeyCrypto, keyCrypto, keyHint } from '../crypto/secrets.js';
import { type EmbeddedMasterKey, embeddedMasterKey, looseFiles, openDb } from './db.js';
import { type Domain, domainsRepo } from './domains.js';
import { keyStatus, keysRepo } from './keys.js';
import { roomsRepo } from './rooms.js';

export type Store = Awaited<ReturnType<typeof openStore>>;

export interface OpenStoreOptions {
  /** Create the first domain and key of an empty store, and apply the seed. Default true. */
  bootstrap?: boolean;
}
const OPEN_OPTIONS = optionNames<OpenStoreOptions>()(['bootstrap']);

/** What happened while opening, for the ready lines. */
export interface OpenNotes {
  masterKeyFile?: { path: string; created: boolean };
  /** Start-up warnings (data files readable by others), for the log. */
  warnings: string[];
  /** A key created because the store had no domain at all: printed once, never stored in clear. */
  firstKey?: { domain: Domain; apiKey: string };
  seeded?: {
    domain: Domain;
    createdDomain: boolean;
    createdKey: boolean;
    /** The seeded key exists but was deactivated or rotated out: every call with it gets 401. */
    inactive?: { keyId: string; how: 'deactivated' | 'rotated'; at: string };
  };
}

/**
 * Opens the database, runs migrations and applies the seed (DAILY_API_KEY …) if configured.
 *
 * @example
 * ```ts
 * const store = await openStore(loadConfig({ data: './.daily-tokens' }));
 * console.log(await store.domains.list());
 * await store.close();
 * ```
 */
export async function openStore(config: ServerConfig, options: OpenStoreOptions = {}) {
  assertServerConfig(config, 'openStore');
  if (typeof options !== 'object' || options === null) throw new TypeError('openStore options must be an object');
  assertKnownOptions(options, OPEN_OPTIONS, 'openStore');
  const { bootstrap = true } = options;
  const notes: OpenNotes = { warnings: [] };
  let master = config.masterKey;
  let embedded: EmbeddedMasterKey | undefined;
  if (!master && config.dataDir === IN_MEMORY && !config.databaseUrl) {
    // the keys live only as long as the process: a key of its own life seals them
    master = randomBytes(32).toString('hex');
  } else if (!master) {
    if (config.databaseUrl) throw new Error('DAILY_TOKENS_MASTER_KEY is required with Postgres');
    embedded = embeddedMasterKey(config.dataDir);
    master = embedded.key;
    notes.masterKeyFile = { path: embedded.path, created: embedded.created };
  }
  const crypto: KeyCrypto = keyCrypto(master);
  const opened = await openDb(config);
  const { db } = opened;
  const store = {
    ...opened,
    crypto,
    notes,
    domains: domainsRepo(db),
    keys: keysRepo(db, crypto),
    rooms: roomsRepo(db),
    async ping(): Promise<void> {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
  try {
    await checkMasterKey(store);
    await bindKeysToDomains(store);
    if (bootstrap) await applySeed(store, config, notes);
    // only now, start-up having worked: a failed one leaves no new key file behind
    embedded?.persist();
  } catch (e) {
    await db.destroy();
    throw e;
  }
  if (!config.databaseUrl && config.dataDir !== IN_MEMORY) {
    for (const f of looseFiles(config.dataDir)) {
      notes.warnings.push(
        `${f.path} has mode ${f.mode}: other users of this machine can read it; run chmod 600 ${f.path}`,
      );
    }
  }
  return store;
}

/**
 * A wrong master key would make every stored key unreadable: refuse to start instead of failing later. A
 * few rows are tried: one sealed for another domain (a row moved by hand) does not open under any key.
 */
async function checkMasterKey(store: Pick<Store, 'db' | 'crypto'>): Promise<void> {
  const rows = await store.db.selectFrom('api_keys').select(['secret_enc', 'domain_id']).limit(5).execute();
  if (rows.length === 0) return;
  for (const row of rows) {
    try {
      store.crypto.decrypt(row.secret_enc, row.domain_id);
      return;
    } catch {}
  }
  throw new Error(
    'DAILY_TOKENS_MASTER_KEY is not the key the stored API keys were encrypted with; start with the original master key',
  );
}

/**
 * The data half of binding keys to domains: keys sealed before (`v1`, no additional data) are sealed again
 * for their domain (`v2`), and their hint shortened to `keyHint`'s. Each row is updated only if it is still
 * the `v1` value read, so replicas starting together do it once. Idempotent: nothing to do on later starts.
 */
async function bindKeysToDomains(store: Pick<Store, 'db' | 'crypto'>): Promise<void> {
  const rows = await store.db
    .selectFrom('api_keys')
    .select(['id', 'domain_id', 'secret_enc'])
    .where('secret_enc', 'like', 'v1.%')
    .execute();
  for (const row of rows) {
    let plain: string;
    try {
      plain = store.crypto.decrypt(row.secret_enc, row.domain_id);
    } catch {
      continue; // not under this master key (checkMasterKey found others that are): it works nowhere anyway
    }
    await store.db
      .updateTable('api_keys')
      .set({ secret_enc: store.crypto.encrypt(plain, row.domain_id), hint: keyHint(plain) })
      .where('id', '=', row.id)
      .where('secret_enc', '=', row.secret_enc)
      .execute();
  }
}

async function applySeed(
  store: Pick<Store, 'domains' | 'keys'>,
  config: ServerConfig,
  notes: OpenNotes,
): Promise<void> {
  const seed = config.seed;
  if (seed) {
    const existing = await store.keys.byApiKey(seed.apiKey);
    if (existing) {
      const domain = await store.domains.byId(existing.domain_id);
      if (seed.domainId && domain && domain.id !== seed.domainId) {
        throw new Error(`DAILY_API_KEY already belongs to domain ${domain.id}, not DAILY_DOMAIN_ID ${seed.domainId}`);
      }
      if (domain) {
        notes.seeded = { domain, createdDomain: false, createdKey: false };
        // A seed is re-applied on every start with the same environment; a key rotated out or deactivated since
        // is not revived (that would undo a rotation), so the start says why calls with it will fail.
        if (keyStatus(existing, new Date()) === 'inactive') {
          notes.seeded.inactive = existing.deactivated_at
            ? { keyId: existing.id, how: 'deactivated', at: existing.deactivated_at }
            : { keyId: existing.id, how: 'rotated', at: existing.retire_at as string };
        }
      }
      return;
    }
    let domain = seed.domainId ? await store.domains.byId(seed.domainId) : undefined;
    if (!domain && seed.domainName) {
      domain = await store.domains.byName(seed.domainName);
      if (domain && seed.domainId && domain.id !== seed.domainId) {
        throw new Error(
          `DAILY_DOMAIN_NAME ${JSON.stringify(seed.domainName)} belongs to domain ${domain.id}, not DAILY_DOMAIN_ID ${seed.domainId}; change one of them`,
        );
      }
    }
    let createdDomain = false;
    if (!domain) {
      let name = seed.domainName ?? 'dev';
      // an unnamed seed must not land in another domain that happens to be called "dev"
      if (!seed.domainName && (await store.domains.byName(name))) name = `dev-${lookupSuffix(seed)}`;
      domain = await createOrRace(store, name, seed.domainId);
      if (seed.domainId && domain.id !== seed.domainId) {
        throw new Error(
          `DAILY_DOMAIN_NAME ${JSON.stringify(name)} belongs to domain ${domain.id}, not DAILY_DOMAIN_ID ${seed.domainId}; change one of them`,
        );
      }
      createdDomain = true;
    }
    try {
      await store.keys.create(domain.id, seed.apiKey);
    } catch (e) {
      // another replica seeded the same key at the same moment
      if (!(await store.keys.byApiKey(seed.apiKey))) throw e;
    }
    notes.seeded = { domain, createdDomain, createdKey: true };
    return;
  }
  if ((await store.domains.count()) === 0) {
    const domain = await createOrRace(store, 'dev');
    const { apiKey } = await store.keys.create(domain.id);
    notes.firstKey = { domain, apiKey };
  }
}

/** A short, stable, non-secret suffix for a seeded domain's name. */
function lookupSuffix(seed: { domainId?: string }): string {
  return (seed.domainId ?? randomUUID())
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 8)
    .toLowerCase();
}

async function createOrRace(store: Pick<Store, 'domains'>, name: string, id?: string): Promise<Domain> {
  try {
    return await store.domains.create(name, id);
  } catch (e) {
    const again = (id && (await store.domains.byId(id))) || (await store.domains.byName(name));
    if (again) return again;
    throw e;
  }
}

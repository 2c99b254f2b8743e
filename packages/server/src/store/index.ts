/** The store: one Kysely database behind small repositories, plus seeding. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { assertKnownOptions, optionNames } from 'daily-tokens';
import { assertServerConfig, type ServerConfig } from '../config.js';
import { type KeyCrypto, keyCrypto } from '../crypto/secrets.js';
import { embeddedMasterKey, openDb } from './db.js';
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
  const notes: OpenNotes = {};
  let master = config.masterKey;
  if (!master) {
    if (config.databaseUrl) throw new Error('DAILY_TOKENS_MASTER_KEY is required with Postgres');
    const k = embeddedMasterKey(config.dataDir);
    master = k.key;
    notes.masterKeyFile = { path: k.path, created: k.created };
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
  } catch (e) {
    await db.destroy();
    throw e;
  }
  if (bootstrap) {
    try {
      await applySeed(store, config, notes);
    } catch (e) {
      await db.destroy();
      throw e;
    }
  }
  return store;
}

/** A wrong master key would make every stored key unreadable: refuse to start instead of failing later. */
async function checkMasterKey(store: Pick<Store, 'db' | 'crypto'>): Promise<void> {
  const row = await store.db.selectFrom('api_keys').select('secret_enc').limit(1).executeTakeFirst();
  if (!row) return;
  try {
    store.crypto.decrypt(row.secret_enc);
  } catch {
    throw new Error(
      'DAILY_TOKENS_MASTER_KEY is not the key the stored API keys were encrypted with; start with the original master key',
    );
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
      domain = await store.domains.find(seed.domainName);
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
      if (!seed.domainName && (await store.domains.find(name))) name = `dev-${lookupSuffix(seed)}`;
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
    const again = (id && (await store.domains.byId(id))) || (await store.domains.find(name));
    if (again) return again;
    throw e;
  }
}

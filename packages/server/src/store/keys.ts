/**
 * API keys of a domain. A key is active until deactivated, or until the end of the grace period a
 * rotation gave it; inactive keys stay in the keyring so verify can say `inactive-key`.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { generateApiKey, type KeyCrypto, keyHint } from '../crypto/secrets.js';
import type { ApiKeysTable, Database } from './schema.js';

export type KeyStatus = 'active' | 'retiring' | 'inactive';

/** A key as listings show it: never the secret, only its last few characters (`keyHint`). */
export interface KeyInfo {
  id: string;
  domain_id: string;
  hint: string;
  created_at: string;
  retire_at: string | null;
  deactivated_at: string | null;
  status: KeyStatus;
}

/** A key as a snapshot carries it: with its secret. */
export interface ExportedKey {
  id: string;
  api_key: string;
  created_at: string;
  retire_at: string | null;
  deactivated_at: string | null;
}

export function keyStatus(row: Pick<ApiKeysTable, 'retire_at' | 'deactivated_at'>, now: Date): KeyStatus {
  if (row.deactivated_at) return 'inactive';
  if (row.retire_at) return Date.parse(row.retire_at) > now.getTime() ? 'retiring' : 'inactive';
  return 'active';
}

function info(row: ApiKeysTable, now: Date): KeyInfo {
  const { secret_enc: _s, lookup_hash: _h, ...rest } = row;
  return { ...rest, status: keyStatus(row, now) };
}

export function keysRepo(db: Kysely<Database>, crypto: KeyCrypto) {
  const repo = {
    /** Stores a key (a new random one unless `apiKey` is given, as for seeding) and returns it once. */
    async create(
      domainId: string,
      apiKey: string = generateApiKey(),
      now = new Date(),
    ): Promise<{ key: KeyInfo; apiKey: string }> {
      const row: ApiKeysTable = {
        id: `key_${randomBytes(8).toString('hex')}`,
        domain_id: domainId,
        lookup_hash: crypto.lookupHash(apiKey),
        secret_enc: crypto.encrypt(apiKey, domainId),
        hint: keyHint(apiKey),
        created_at: now.toISOString(),
        retire_at: null,
        deactivated_at: null,
      };
      await db.insertInto('api_keys').values(row).execute();
      return { key: info(row, now), apiKey };
    },
    /**
     * Every key of a domain with its secret, for a snapshot (emulator mode): the one place keys leave the
     * store in clear apart from their creation.
     */
    async exportAll(domainId: string): Promise<ExportedKey[]> {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('domain_id', '=', domainId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        api_key: crypto.decrypt(r.secret_enc, r.domain_id),
        created_at: r.created_at,
        retire_at: r.retire_at,
        deactivated_at: r.deactivated_at,
      }));
    },
    /** Stores a key as a snapshot has it (its id, times and secret), sealed under this store's master key. */
    async insertExported(domainId: string, key: ExportedKey): Promise<void> {
      await db
        .insertInto('api_keys')
        .values({
          id: key.id,
          domain_id: domainId,
          lookup_hash: crypto.lookupHash(key.api_key),
          secret_enc: crypto.encrypt(key.api_key, domainId),
          hint: keyHint(key.api_key),
          created_at: key.created_at,
          retire_at: key.retire_at,
          deactivated_at: key.deactivated_at,
        })
        .execute();
    },
    async byApiKey(apiKey: string): Promise<ApiKeysTable | undefined> {
      return db
        .selectFrom('api_keys')
        .selectAll()
        .where('lookup_hash', '=', crypto.lookupHash(apiKey))
        .executeTakeFirst();
    },
    async byId(id: string): Promise<ApiKeysTable | undefined> {
      return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async list(domainId: string, now = new Date()): Promise<KeyInfo[]> {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('domain_id', '=', domainId)
        .orderBy('created_at')
        .execute();
      return rows.map((r) => info(r, now));
    },
    /**
     * Issues a new key and lets the old one keep working for `graceSeconds` (0: it stops at once).
     * Returns undefined when the key does not exist or is already inactive.
     */
    async rotate(keyId: string, graceSeconds: number, now = new Date()) {
      return db.transaction().execute(async (trx) => {
        const old = await trx.selectFrom('api_keys').selectAll().where('id', '=', keyId).executeTakeFirst();
        if (!old || keyStatus(old, now) === 'inactive') return undefined;
        const retireAt = new Date(now.getTime() + graceSeconds * 1000).toISOString();
        await trx
          .updateTable('api_keys')
          .set(graceSeconds > 0 ? { retire_at: retireAt } : { deactivated_at: now.toISOString() })
          .where('id', '=', keyId)
          .execute();
        const created = await keysRepo(trx, crypto).create(old.domain_id, undefined, now);
        const updated = await trx.selectFrom('api_keys').selectAll().where('id', '=', keyId).executeTakeFirstOrThrow();
        return { ...created, retired: info(updated, now) };
      });
    },
    /** Stops a key at once. Returns the updated key, or undefined if there is none with that id. */
    async deactivate(keyId: string, now = new Date()): Promise<KeyInfo | undefined> {
      await db
        .updateTable('api_keys')
        .set({ deactivated_at: now.toISOString() })
        .where('id', '=', keyId)
        .where('deactivated_at', 'is', null)
        .execute();
      const row = await repo.byId(keyId);
      return row ? info(row, now) : undefined;
    },
  };
  return repo;
}

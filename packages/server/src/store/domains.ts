/** Domains: a Daily "domain" (your-team.daily.co) with its id, the `d` claim of its tokens. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, DomainsTable } from './schema.js';

export type Domain = DomainsTable;

/** A new domain's name or id is already some domain's name or id. */
export class DomainConflictError extends Error {
  override name = 'DomainConflictError';
}

function conflictMessage(clash: { id: string; name: string }, name: string, id: string): string {
  if (clash.name === name) return `a domain named ${name} exists already`;
  if (clash.id === id) return `a domain with id ${id} exists already`;
  if (clash.id === name)
    return `${name} is the id of domain ${clash.name}; a name may not be another domain's id (look-ups take either)`;
  return `${id} is the name of another domain; an id may not be another domain's name (look-ups take either)`;
}

export function domainsRepo(db: Kysely<Database>) {
  return {
    /**
     * Creates a domain; throws DomainConflictError when its name or id is already the name or id of a domain
     * (look-ups take either, so a name equal to another domain's id would make them ambiguous).
     */
    async create(name: string, id: string = randomUUID(), now = new Date()): Promise<Domain> {
      const clash = await db
        .selectFrom('domains')
        .select(['id', 'name'])
        .where((eb) => eb.or([eb('id', 'in', [id, name]), eb('name', 'in', [id, name])]))
        .executeTakeFirst();
      if (clash) throw new DomainConflictError(conflictMessage(clash, name, id));
      const row: Domain = { id, name, created_at: now.toISOString() };
      await db.insertInto('domains').values(row).execute();
      return row;
    },
    list(): Promise<Domain[]> {
      return db.selectFrom('domains').selectAll().orderBy('created_at').orderBy('name').execute();
    },
    byName(name: string): Promise<Domain | undefined> {
      return db.selectFrom('domains').selectAll().where('name', '=', name).executeTakeFirst();
    },
    byId(id: string): Promise<Domain | undefined> {
      return db.selectFrom('domains').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /**
     * The domain named by id or by name, as the CLI's `--domain` accepts either. An id wins over a name (names
     * equal to another domain's id are refused since; a store from before may still hold one).
     */
    async find(idOrName: string): Promise<Domain | undefined> {
      const rows = await db
        .selectFrom('domains')
        .selectAll()
        .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
        .limit(2)
        .execute();
      return rows.find((r) => r.id === idOrName) ?? rows[0];
    },
    /** The properties set through `POST /v1/` (Daily's SetDomainConfig); `{}` while none are. */
    async config(id: string): Promise<Record<string, unknown>> {
      const row = await db.selectFrom('domain_configs').select('config').where('domain_id', '=', id).executeTakeFirst();
      return row ? (JSON.parse(row.config) as Record<string, unknown>) : {};
    },
    async setConfig(id: string, config: Record<string, unknown>): Promise<void> {
      const text = JSON.stringify(config);
      await db
        .insertInto('domain_configs')
        .values({ domain_id: id, config: text })
        .onConflict((oc) => oc.column('domain_id').doUpdateSet({ config: text }))
        .execute();
    },
    /** Back to a fresh domain's config; whether there was anything to clear. */
    async resetConfig(id: string): Promise<boolean> {
      const r = await db.deleteFrom('domain_configs').where('domain_id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    /** Inserts a domain as it was exported (a snapshot), with its id and creation time. */
    async insert(row: Domain): Promise<void> {
      await db.insertInto('domains').values(row).execute();
    },
    /** Deletes every domain with its keys, config and rooms (restoring a snapshot replaces them all). */
    async deleteAll(): Promise<void> {
      // children first: the foreign keys cascade on Postgres, and on SQLite only with its pragma on
      await db.deleteFrom('rooms').execute();
      await db.deleteFrom('domain_configs').execute();
      await db.deleteFrom('api_keys').execute();
      await db.deleteFrom('domains').execute();
    },
    async count(): Promise<number> {
      const r = await db
        .selectFrom('domains')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}

/** Domains: a Daily "domain" (your-team.daily.co) with its id, the `d` claim of its tokens. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, DomainsTable } from './schema.js';

export type Domain = DomainsTable;

export function domainsRepo(db: Kysely<Database>) {
  return {
    async create(name: string, id: string = randomUUID(), now = new Date()): Promise<Domain> {
      const row: Domain = { id, name, created_at: now.toISOString() };
      await db.insertInto('domains').values(row).execute();
      return row;
    },
    list(): Promise<Domain[]> {
      return db.selectFrom('domains').selectAll().orderBy('created_at').orderBy('name').execute();
    },
    byId(id: string): Promise<Domain | undefined> {
      return db.selectFrom('domains').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** The domain named by id or by name, as the CLI's `--domain` accepts either. */
    find(idOrName: string): Promise<Domain | undefined> {
      return db
        .selectFrom('domains')
        .selectAll()
        .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
        .executeTakeFirst();
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

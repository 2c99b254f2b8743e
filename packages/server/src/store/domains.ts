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
    async count(): Promise<number> {
      const r = await db
        .selectFrom('domains')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}

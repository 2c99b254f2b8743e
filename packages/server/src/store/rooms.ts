/** Minimal rooms, enough for the "create a room, then a token for it" flow of Daily clients. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, RoomsTable } from './schema.js';

export type RoomRow = RoomsTable;

export function roomsRepo(db: Kysely<Database>) {
  return {
    async create(
      domainId: string,
      name: string,
      privacy: string,
      config: Record<string, unknown>,
      now = new Date(),
    ): Promise<RoomRow> {
      const row: RoomRow = {
        id: randomUUID(),
        domain_id: domainId,
        name,
        privacy,
        config: JSON.stringify(config),
        created_at: now.toISOString(),
      };
      await db.insertInto('rooms').values(row).execute();
      return row;
    },
    get(domainId: string, name: string): Promise<RoomRow | undefined> {
      return db
        .selectFrom('rooms')
        .selectAll()
        .where('domain_id', '=', domainId)
        .where('name', '=', name)
        .executeTakeFirst();
    },
    list(domainId: string, limit: number): Promise<RoomRow[]> {
      return db
        .selectFrom('rooms')
        .selectAll()
        .where('domain_id', '=', domainId)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
    },
    async count(domainId: string): Promise<number> {
      const r = await db
        .selectFrom('rooms')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('domain_id', '=', domainId)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async delete(domainId: string, name: string): Promise<boolean> {
      const r = await db
        .deleteFrom('rooms')
        .where('domain_id', '=', domainId)
        .where('name', '=', name)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

/**
 * Rooms as Daily keeps them. A room whose `exp` has passed is gone: lookups, pages, counts and deletes
 * skip it, and its name is free again.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database, RoomsTable } from './schema.js';

export type RoomRow = RoomsTable;

/**
 * Where a page starts: after (older than) or before (newer than) the room with this id, or at the oldest
 * room (Daily's `ending_before=OLDEST`).
 */
export type RoomCursor = { after: RoomRow } | { before: RoomRow } | { oldest: true };

const seconds = (now: Date) => Math.floor(now.getTime() / 1000);

function expOf(config: Record<string, unknown>): number | null {
  return typeof config.exp === 'number' ? config.exp : null;
}

export function roomsRepo(db: Kysely<Database>) {
  const live = <O>(q: SelectQueryBuilder<Database, 'rooms', O>, domainId: string, now: Date) =>
    q.where('domain_id', '=', domainId).where((eb) => eb.or([eb('exp', 'is', null), eb('exp', '>', seconds(now))]));

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
        exp: expOf(config),
      };
      await db.transaction().execute(async (tx) => {
        // an expired room no longer holds its name
        await tx
          .deleteFrom('rooms')
          .where('domain_id', '=', domainId)
          .where('name', '=', name)
          .where('exp', '<=', seconds(now))
          .execute();
        await tx.insertInto('rooms').values(row).execute();
      });
      return row;
    },
    get(domainId: string, name: string, now = new Date()): Promise<RoomRow | undefined> {
      return live(db.selectFrom('rooms').selectAll(), domainId, now).where('name', '=', name).executeTakeFirst();
    },
    /** A room by id, expired or not (a page cursor stays usable when its room expires meanwhile). */
    byId(domainId: string, id: string): Promise<RoomRow | undefined> {
      return db
        .selectFrom('rooms')
        .selectAll()
        .where('domain_id', '=', domainId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    /** One page, newest first (ties broken by id, so pages never overlap or skip). */
    async list(domainId: string, limit: number, cursor?: RoomCursor, now = new Date()): Promise<RoomRow[]> {
      let q = live(db.selectFrom('rooms').selectAll(), domainId, now);
      if (cursor && 'after' in cursor) {
        const c = cursor.after;
        q = q
          .where((eb) =>
            eb.or([
              eb('created_at', '<', c.created_at),
              eb.and([eb('created_at', '=', c.created_at), eb('id', '<', c.id)]),
            ]),
          )
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc');
      } else if (cursor && 'oldest' in cursor) {
        // the oldest rooms: read upwards from the start, then flip to newest first
        const rows = await q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit).execute();
        return rows.reverse();
      } else if (cursor) {
        const c = cursor.before;
        // the rooms just newer than the cursor: read upwards, then flip to newest first
        const rows = await q
          .where((eb) =>
            eb.or([
              eb('created_at', '>', c.created_at),
              eb.and([eb('created_at', '=', c.created_at), eb('id', '>', c.id)]),
            ]),
          )
          .orderBy('created_at', 'asc')
          .orderBy('id', 'asc')
          .limit(limit)
          .execute();
        return rows.reverse();
      } else {
        q = q.orderBy('created_at', 'desc').orderBy('id', 'desc');
      }
      return q.limit(limit).execute();
    },
    async count(domainId: string, now = new Date()): Promise<number> {
      const r = await live(
        db.selectFrom('rooms').select((eb) => eb.fn.countAll<string | number>().as('n')),
        domainId,
        now,
      ).executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    /** Replaces privacy and config of a live room; undefined when there is none. */
    async update(
      domainId: string,
      name: string,
      privacy: string,
      config: Record<string, unknown>,
      now = new Date(),
    ): Promise<RoomRow | undefined> {
      const r = await db
        .updateTable('rooms')
        .set({ privacy, config: JSON.stringify(config), exp: expOf(config) })
        .where('domain_id', '=', domainId)
        .where('name', '=', name)
        .where((eb) => eb.or([eb('exp', 'is', null), eb('exp', '>', seconds(now))]))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return undefined;
      return this.get(domainId, name, now);
    },
    async delete(domainId: string, name: string, now = new Date()): Promise<boolean> {
      const r = await db
        .deleteFrom('rooms')
        .where('domain_id', '=', domainId)
        .where('name', '=', name)
        .where((eb) => eb.or([eb('exp', 'is', null), eb('exp', '>', seconds(now))]))
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    /** Every room of a domain, expired ones too, oldest first (a snapshot). */
    all(domainId: string): Promise<RoomRow[]> {
      return db
        .selectFrom('rooms')
        .selectAll()
        .where('domain_id', '=', domainId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },
    /** Inserts a room as a snapshot has it (its id and creation time); `exp` is read from its config. */
    async insert(
      domainId: string,
      room: { id: string; name: string; privacy: string; config: Record<string, unknown>; created_at: string },
    ): Promise<void> {
      await db
        .insertInto('rooms')
        .values({
          id: room.id,
          domain_id: domainId,
          name: room.name,
          privacy: room.privacy,
          config: JSON.stringify(room.config),
          created_at: room.created_at,
          exp: expOf(room.config),
        })
        .execute();
    },
    /** Deletes every room of a domain (expired ones too); the number deleted. */
    async reset(domainId: string): Promise<number> {
      const r = await db.deleteFrom('rooms').where('domain_id', '=', domainId).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

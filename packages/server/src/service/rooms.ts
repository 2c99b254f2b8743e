/**
 * Daily's rooms: create, list (paged, newest first), get, set config (merge), delete. A room body is screened
 * for floods of unknown names, then checked once, by the room registry's validator (`readRoomRequest`), whose
 * messages name the property and the fix; a room whose `exp` has passed is gone.
 */
import { randomBytes } from 'node:crypto';
import { mergeRoomConfig, type RoomPropertyName, readRoomRequest } from 'daily-tokens/rooms';
import type { ResolvedKey } from '../cache/key-cache.js';
import { ApiError, badRequest } from '../errors.js';
import type { RoomCursor, RoomRow } from '../store/rooms.js';
import { screenRoomBody } from './body-screen.js';
import type { AppContext, LintFindings } from './context.js';

type Config = Partial<Record<RoomPropertyName, unknown>>;
export type ListQuery = { limit: number; starting_after?: string; ending_before?: string };

/** A stored room as Daily answers it (GET /v1/rooms/:name). */
export function roomJson(row: RoomRow, domainName: string) {
  return {
    id: row.id,
    name: row.name,
    api_created: true,
    privacy: row.privacy,
    url: `https://${domainName}.daily.co/${row.name}`,
    created_at: row.created_at,
    // rows written before config was kept minimal still show as Daily would
    config: mergeRoomConfig(JSON.parse(row.config) as Config),
  };
}
export type RoomJson = ReturnType<typeof roomJson>;

/** Daily's generated names are 20 letters and digits. */
function generatedName(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(20)].map((b) => alphabet[b % alphabet.length]).join('');
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** `ending_before=OLDEST`: the page of the oldest rooms. */
const OLDEST = 'OLDEST';

const notFound = (name: string) =>
  new ApiError(404, 'not-found', `room ${name.slice(0, 128)} does not exist (or its exp has passed)`);

/** A room, and warnings about values kept that the registry does not know, for the request's log line. */
export interface RoomWritten {
  room: RoomJson;
  lint: LintFindings | null;
}

export interface RoomOps {
  create(auth: ResolvedKey, body: unknown): Promise<RoomWritten>;
  list(auth: ResolvedKey, query: ListQuery): Promise<{ total_count: number; data: RoomJson[] }>;
  get(auth: ResolvedKey, name: string): Promise<RoomJson>;
  update(auth: ResolvedKey, name: string, body: unknown): Promise<RoomWritten>;
  remove(auth: ResolvedKey, name: string): Promise<{ deleted: true; name: string }>;
}

export function roomOps(ctx: AppContext): RoomOps {
  const nowSeconds = () => Math.floor(ctx.clock().getTime() / 1000);

  /**
   * The one check of a room body. Values Daily may accept that the registry does not know (a new region, an
   * undocumented template tag) are kept, and their warnings ride on the request's log line, as a minted
   * token's lint findings do.
   */
  const read = (body: unknown, mode: 'create' | 'update') => {
    // a body of many unknown property names is refused before the registry hints at each
    screenRoomBody(body);
    const r = readRoomRequest(body, mode, nowSeconds());
    const errors = r.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      const what = errors.map((i) => (i.path === '(body)' ? `the body ${i.message}` : `${i.path} ${i.message}`));
      throw badRequest(`invalid room: ${what.join('; ')}`);
    }
    const warnings = r.issues.filter((i) => i.severity === 'warning');
    const lint =
      warnings.length > 0
        ? warnings.map((i) => ({ rule: 'room-property', severity: 'warning', message: `${i.path} ${i.message}` }))
        : null;
    return { name: r.name, privacy: r.privacy, properties: r.properties, lint };
  };

  return {
    async create(auth, body) {
      const r = read(body, 'create');
      const name = r.name ?? generatedName();
      try {
        const row = await ctx.store.rooms.create(
          auth.domain.id,
          name,
          r.privacy ?? 'public',
          mergeRoomConfig({}, r.properties),
          ctx.clock(),
        );
        return { room: roomJson(row, auth.domain.name), lint: r.lint };
      } catch (e) {
        if (isUniqueViolation(e)) throw badRequest(`a room named ${name} already exists`);
        throw e;
      }
    },

    async list(auth, { limit, starting_after, ending_before }) {
      if (starting_after !== undefined && ending_before !== undefined) {
        throw badRequest('give starting_after or ending_before, not both');
      }
      let cursor: RoomCursor | undefined;
      const id = starting_after ?? ending_before;
      // Daily's paging docs: "The special value OLDEST fetches the last page of results"
      if (ending_before === OLDEST) cursor = { oldest: true };
      else if (id !== undefined) {
        const row = await ctx.store.rooms.byId(auth.domain.id, id);
        const param = starting_after !== undefined ? 'starting_after' : 'ending_before';
        if (!row) throw badRequest(`${param} must be the id of a room of this domain; ${id.slice(0, 64)} is not`);
        cursor = starting_after !== undefined ? { after: row } : { before: row };
      }
      const now = ctx.clock();
      const rows = await ctx.store.rooms.list(auth.domain.id, limit, cursor, now);
      return {
        total_count: await ctx.store.rooms.count(auth.domain.id, now),
        data: rows.map((r) => roomJson(r, auth.domain.name)),
      };
    },

    async get(auth, name) {
      const row = await ctx.store.rooms.get(auth.domain.id, name, ctx.clock());
      if (!row) throw notFound(name);
      return roomJson(row, auth.domain.name);
    },

    async update(auth, name, body) {
      const r = read(body, 'update');
      const now = ctx.clock();
      const row = await ctx.store.rooms.get(auth.domain.id, name, now);
      if (!row) throw notFound(name);
      const config = mergeRoomConfig(JSON.parse(row.config) as Config, r.properties);
      const { nbf, exp } = config as { nbf?: number; exp?: number };
      if (nbf !== undefined && exp !== undefined && nbf >= exp) {
        throw badRequest(`invalid room: properties.nbf ${nbf} would not be before exp ${exp}; nobody could ever join`);
      }
      const updated = await ctx.store.rooms.update(auth.domain.id, name, r.privacy ?? row.privacy, config, now);
      if (!updated) throw notFound(name);
      return { room: roomJson(updated, auth.domain.name), lint: r.lint };
    },

    async remove(auth, name) {
      if (!(await ctx.store.rooms.delete(auth.domain.id, name, ctx.clock()))) throw notFound(name);
      return { deleted: true, name };
    },
  };
}

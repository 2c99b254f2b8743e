/**
 * Daily's rooms: create, list (paged, newest first), get, set config (merge), delete. Bodies are
 * checked against the room-property registry; a room whose `exp` has passed is gone.
 */
import { randomBytes } from 'node:crypto';
import {
  createRoomBodySchema,
  LIST_ROOMS_QUERY_SCHEMA,
  mergeRoomConfig,
  readRoomRequest,
  ROOM_NAME_SCHEMA,
  type RoomPropertyName,
  updateRoomBodySchema,
} from 'daily-tokens/rooms';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { ApiError, badRequest } from '../errors.js';
import { tierRoute } from '../limits/tiers.js';
import { schemaRef } from '../plugins/validation.js';
import type { RoomCursor, RoomRow } from '../store/rooms.js';
import { errorReplies, V1_ERRORS } from './docs.js';

type Config = Partial<Record<RoomPropertyName, unknown>>;
type RoomBody = { name?: string; privacy?: string; properties: Config };
type ListQuery = { limit: number; starting_after?: string; ending_before?: string };
type NameParams = { room_name: string };

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

const nameParams = {
  type: 'object',
  required: ['room_name'],
  // any string: a name Daily could never have is simply not found
  properties: { room_name: { type: 'string', maxLength: ROOM_NAME_SCHEMA.maxLength, description: 'The room name.' } },
};
const roomReply = (description: string) => ({
  200: { description, ...schemaRef('Room') },
  ...errorReplies(...V1_ERRORS, 404),
});
const properties = schemaRef('RoomProperties');

export function v1RoomRoutes(ctx: AppContext) {
  const nowSeconds = () => Math.floor(ctx.clock().getTime() / 1000);

  /**
   * The registry's checks, with messages that name the property and the fix; they run before the schema's.
   * Values Daily may accept that the registry does not know (a new region, an undocumented template tag)
   * are kept, and their warnings ride on the request's log line, as a minted token's lint findings do.
   */
  const readBody = (mode: 'create' | 'update') => async (request: FastifyRequest) => {
    const r = readRoomRequest(request.body, mode, nowSeconds());
    const errors = r.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      const what = errors.map((i) => (i.path === '(body)' ? `the body ${i.message}` : `${i.path} ${i.message}`));
      throw badRequest(`invalid room: ${what.join('; ')}`);
    }
    const warnings = r.issues.filter((i) => i.severity === 'warning');
    if (warnings.length > 0) {
      request.lint = warnings.map((i) => ({
        rule: 'room-property',
        severity: 'warning',
        message: `${i.path} ${i.message}`,
      }));
    }
    request.body = {
      ...(r.name !== undefined ? { name: r.name } : {}),
      ...(r.privacy !== undefined ? { privacy: r.privacy } : {}),
      properties: r.properties,
    } satisfies RoomBody;
  };

  return async (app: FastifyInstance): Promise<void> => {
    app.post<{ Body: RoomBody }>(
      '/',
      {
        preValidation: readBody('create'),
        schema: {
          operationId: 'CreateRoom',
          tags: ['rooms'],
          summary: 'Create a room',
          description:
            'Creates a room with an optional name (generated when left out), privacy (default public) and properties. Unknown or mistyped properties are refused with 400, naming the property. The defaults Daily’s generated SDK sends for unset properties ("<not set>", "NULL") mean not set. `config` shows every property set explicitly, even to its default.',
          body: createRoomBodySchema(properties),
          response: { ...roomReply('The new room.') },
        },
      },
      async (request) => {
        const auth = request.auth;
        if (!auth) throw new Error('auth hook missing');
        const { name = generatedName(), privacy = 'public', properties: props } = request.body;
        try {
          const row = await ctx.store.rooms.create(
            auth.domain.id,
            name,
            privacy,
            mergeRoomConfig({}, props),
            ctx.clock(),
          );
          return roomJson(row, auth.domain.name);
        } catch (e) {
          if (isUniqueViolation(e)) throw badRequest(`a room named ${name} already exists`);
          throw e;
        }
      },
    );

    app.get<{ Querystring: ListQuery }>(
      '/',
      {
        schema: {
          operationId: 'ListRooms',
          tags: ['rooms'],
          summary: 'List rooms',
          description:
            'Rooms newest first, one page at a time. `total_count` counts every room of the domain. Pass the last id of a page as `starting_after` for the next one; `ending_before=OLDEST` gives the page of the oldest rooms.',
          querystring: LIST_ROOMS_QUERY_SCHEMA,
          response: {
            200: {
              description: 'One page of rooms.',
              type: 'object',
              required: ['total_count', 'data'],
              properties: {
                total_count: { type: 'integer', minimum: 0, description: 'Rooms in the domain (not only this page).' },
                data: { type: 'array', items: schemaRef('Room') },
              },
            },
            ...errorReplies(...V1_ERRORS),
          },
        },
      },
      async (request) => {
        const auth = request.auth;
        if (!auth) throw new Error('auth hook missing');
        const { limit, starting_after, ending_before } = request.query;
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
    );

    app.get<{ Params: NameParams }>(
      '/:room_name',
      {
        schema: {
          operationId: 'GetRoomConfig',
          tags: ['rooms'],
          summary: 'Get a room',
          description: 'The room and its config. A room whose exp has passed answers 404.',
          params: nameParams,
          response: roomReply('The room.'),
        },
      },
      async (request) => {
        const auth = request.auth;
        if (!auth) throw new Error('auth hook missing');
        const row = await ctx.store.rooms.get(auth.domain.id, request.params.room_name, ctx.clock());
        if (!row) throw notFound(request.params.room_name);
        return roomJson(row, auth.domain.name);
      },
    );

    app.post<{ Params: NameParams; Body: RoomBody }>(
      '/:room_name',
      {
        preValidation: readBody('update'),
        schema: {
          operationId: 'SetRoomConfig',
          tags: ['rooms'],
          summary: 'Set room config',
          description:
            'Changes privacy and/or properties. Properties sent replace their old values, null resets one to Daily’s default, the rest stay as they are.',
          params: nameParams,
          body: updateRoomBodySchema(properties),
          response: roomReply('The room as it is now.'),
        },
      },
      async (request) => {
        const auth = request.auth;
        if (!auth) throw new Error('auth hook missing');
        const { room_name: name } = request.params;
        const now = ctx.clock();
        const row = await ctx.store.rooms.get(auth.domain.id, name, now);
        if (!row) throw notFound(name);
        const config = mergeRoomConfig(JSON.parse(row.config) as Config, request.body.properties);
        const { nbf, exp } = config as { nbf?: number; exp?: number };
        if (nbf !== undefined && exp !== undefined && nbf >= exp) {
          throw badRequest(
            `invalid room: properties.nbf ${nbf} would not be before exp ${exp}; nobody could ever join`,
          );
        }
        const updated = await ctx.store.rooms.update(
          auth.domain.id,
          name,
          request.body.privacy ?? row.privacy,
          config,
          now,
        );
        if (!updated) throw notFound(name);
        return roomJson(updated, auth.domain.name);
      },
    );

    const deleteTier = tierRoute('room-delete');
    app.delete<{ Params: NameParams }>(
      '/:room_name',
      {
        config: deleteTier.config,
        schema: {
          operationId: 'DeleteRoom',
          tags: ['rooms'],
          summary: 'Delete a room',
          description: `Deletes the room. A room that does not exist (or has expired) answers 404. ${deleteTier.note}`,
          params: nameParams,
          response: {
            200: {
              description: 'The room is deleted.',
              type: 'object',
              required: ['deleted', 'name'],
              properties: { deleted: { type: 'boolean', const: true }, name: { type: 'string' } },
            },
            ...errorReplies(...V1_ERRORS, 404),
          },
        },
      },
      async (request) => {
        const auth = request.auth;
        if (!auth) throw new Error('auth hook missing');
        const { room_name: name } = request.params;
        if (!(await ctx.store.rooms.delete(auth.domain.id, name, ctx.clock()))) throw notFound(name);
        return { deleted: true, name };
      },
    );
  };
}

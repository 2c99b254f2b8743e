/** Minimal Daily rooms: create, list, get, delete, with the fields clients read. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { ApiError, badRequest } from '../errors.js';
import type { RoomRow } from '../store/rooms.js';

const ROOM_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const PRIVACY = ['public', 'private'];
const LIST_LIMIT = 100;

function roomJson(row: RoomRow, domainName: string) {
  return {
    id: row.id,
    name: row.name,
    api_created: true,
    privacy: row.privacy,
    url: `https://${domainName}.daily.co/${row.name}`,
    created_at: row.created_at,
    config: JSON.parse(row.config) as Record<string, unknown>,
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

export function v1RoomRoutes(ctx: AppContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/', async (request) => {
      const auth = request.auth;
      if (!auth) throw new Error('auth hook missing');
      const body = request.body ?? {};
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw badRequest(
          'the body must be a JSON object such as {"name": "my-room", "privacy": "private", "properties": {}}',
        );
      }
      const { name, privacy = 'public', properties = {}, ...rest } = body as Record<string, unknown>;
      const extra = Object.keys(rest);
      if (extra.length > 0)
        throw badRequest(`unknown field ${JSON.stringify(extra[0])}; a room takes name, privacy and properties`);
      if (name !== undefined && (typeof name !== 'string' || !ROOM_NAME.test(name))) {
        throw badRequest('name must be 1–128 letters, digits, - or _');
      }
      if (typeof privacy !== 'string' || !PRIVACY.includes(privacy))
        throw badRequest(`privacy must be one of ${PRIVACY.join(', ')}`);
      if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
        throw badRequest('properties must be an object of room properties');
      }
      const roomName = (name as string | undefined) ?? generatedName();
      try {
        const row = await ctx.store.rooms.create(
          auth.domain.id,
          roomName,
          privacy,
          properties as Record<string, unknown>,
          ctx.clock(),
        );
        return roomJson(row, auth.domain.name);
      } catch (e) {
        if (isUniqueViolation(e)) throw badRequest(`a room named ${roomName} already exists`);
        throw e;
      }
    });

    app.get('/', async (request) => {
      const auth = request.auth;
      if (!auth) throw new Error('auth hook missing');
      const rows = await ctx.store.rooms.list(auth.domain.id, LIST_LIMIT);
      return {
        total_count: await ctx.store.rooms.count(auth.domain.id),
        data: rows.map((r) => roomJson(r, auth.domain.name)),
      };
    });

    app.get<{ Params: { name: string } }>('/:name', async (request) => {
      const auth = request.auth;
      if (!auth) throw new Error('auth hook missing');
      const row = await ctx.store.rooms.get(auth.domain.id, request.params.name);
      if (!row) throw new ApiError(404, 'not-found', `room ${request.params.name.slice(0, 128)} does not exist`);
      return roomJson(row, auth.domain.name);
    });

    app.delete<{ Params: { name: string } }>('/:name', async (request) => {
      const auth = request.auth;
      if (!auth) throw new Error('auth hook missing');
      const deleted = await ctx.store.rooms.delete(auth.domain.id, request.params.name);
      if (!deleted) throw new ApiError(404, 'not-found', `room ${request.params.name.slice(0, 128)} does not exist`);
      return { deleted: true, name: request.params.name };
    });
  };
}

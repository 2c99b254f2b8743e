/** `/v1/rooms`: the OpenAPI description of Daily's room routes, then the room operations (service/rooms.ts). */
import {
  createRoomBodySchema,
  LIST_ROOMS_QUERY_SCHEMA,
  ROOM_NAME_SCHEMA,
  updateRoomBodySchema,
} from 'daily-tokens/rooms';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../service/context.js';
import { type ListQuery, roomOps } from '../../service/rooms.js';
import { callerOf, tierRoute } from '../plugins/auth.js';
import { documentedBody, errorReplies, schemaRef, V1_ERRORS } from '../schemas.js';

type NameParams = { room_name: string };

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

export function roomRoutes(ctx: AppContext) {
  const rooms = roomOps(ctx);
  return async (app: FastifyInstance): Promise<void> => {
    app.post(
      '/',
      {
        config: documentedBody(createRoomBodySchema(properties)),
        schema: {
          operationId: 'CreateRoom',
          tags: ['rooms'],
          summary: 'Create a room',
          description:
            'Creates a room with an optional name (generated when left out), privacy (default public) and properties. Unknown or mistyped properties are refused with 400, naming the property. The defaults Daily’s generated SDK sends for unset properties ("<not set>", "NULL") mean not set. `config` shows every property set explicitly, even to its default.',
          response: { ...roomReply('The new room.') },
        },
      },
      async (request) => {
        const { room, lint } = await rooms.create(callerOf(request), request.body);
        if (lint) request.lint = lint;
        return room;
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
      async (request) => rooms.list(callerOf(request), request.query),
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
      async (request) => rooms.get(callerOf(request), request.params.room_name),
    );

    app.post<{ Params: NameParams }>(
      '/:room_name',
      {
        config: documentedBody(updateRoomBodySchema(properties)),
        schema: {
          operationId: 'SetRoomConfig',
          tags: ['rooms'],
          summary: 'Set room config',
          description:
            'Changes privacy and/or properties. Properties sent replace their old values, null resets one to Daily’s default, the rest stay as they are.',
          params: nameParams,
          response: roomReply('The room as it is now.'),
        },
      },
      async (request) => {
        const { room, lint } = await rooms.update(callerOf(request), request.params.room_name, request.body);
        if (lint) request.lint = lint;
        return room;
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
      async (request) => rooms.remove(callerOf(request), request.params.room_name),
    );
  };
}

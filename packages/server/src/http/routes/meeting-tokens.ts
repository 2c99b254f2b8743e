/**
 * `POST /v1/meeting-tokens` and `GET /v1/meeting-tokens/:meeting_token` for the requests the fast path hands
 * over (http/fast-path.ts answers the plain ones): the OpenAPI description, then the service operations.
 */
import { MAX_TOKEN_LENGTH } from 'daily-tokens';
import { ROOM_NAME_SCHEMA } from 'daily-tokens/rooms';
import type { FastifyInstance } from 'fastify';
import { type MeetingTokenOps, readTokenRequest } from '../../service/meeting-tokens.js';
import { callerOf } from '../plugins/auth.js';
import { documentedBody, errorReplies, schemaRef, V1_ERRORS } from '../schemas.js';

export function meetingTokenRoutes(ops: MeetingTokenOps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post(
      '/',
      {
        // read by readTokenRequest and the signer, which word their refusals from the claim registry
        config: documentedBody({
          type: 'object',
          additionalProperties: false,
          properties: { properties: schemaRef('MeetingTokenProperties') },
        }),
        schema: {
          operationId: 'CreateMeetingToken',
          tags: ['meeting-tokens'],
          summary: 'Create a meeting token',
          description:
            'Mints an HS256 token with the domain key, in Daily’s abbreviated claims plus d and iat. Set room_name and exp: without them the token is valid for every room, forever, as at Daily.',
          response: {
            200: {
              description: 'The token.',
              type: 'object',
              required: ['token'],
              properties: { token: { type: 'string', description: 'The JWT.' } },
            },
            ...errorReplies(...V1_ERRORS),
          },
        },
      },
      async (request) => {
        const { token, lint } = ops.mint(callerOf(request), readTokenRequest(request.body));
        if (lint) request.lint = lint;
        return { token };
      },
    );

    app.get<{ Params: { meeting_token: string }; Querystring: { ignoreNbf?: boolean; room?: string } }>(
      '/:meeting_token',
      {
        schema: {
          operationId: 'ValidateMeetingToken',
          tags: ['meeting-tokens'],
          summary: 'Validate a meeting token',
          description:
            'Checks signature (against the domain’s keys), domain, exp and nbf; answers the token’s properties by full name, or 400 with every problem found.',
          params: {
            type: 'object',
            required: ['meeting_token'],
            properties: { meeting_token: { type: 'string', maxLength: MAX_TOKEN_LENGTH, description: 'The JWT.' } },
          },
          querystring: {
            type: 'object',
            properties: {
              ignoreNbf: { type: 'boolean', description: 'Accept a token whose nbf is still in the future.' },
              room: {
                ...ROOM_NAME_SCHEMA,
                description: 'Extension (not in Daily’s API): also check the token against this existing room.',
              },
            },
          },
          response: {
            200: { description: 'The token’s properties by full name.', ...schemaRef('ValidatedMeetingToken') },
            ...errorReplies(...V1_ERRORS),
          },
        },
      },
      async (request) => {
        const auth = callerOf(request);
        const { meeting_token: token } = request.params;
        const { ignoreNbf = false, room } = request.query;
        const result = await ops.verify(auth, token, ignoreNbf, room);
        if (!result.valid) throw ops.refusal(result, token);
        return result.properties ?? {};
      },
    );
  };
}

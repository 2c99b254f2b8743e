/**
 * `POST /v1/doctor` (not a Daily route): why won't this token work in this room (service/doctor.ts)? The token
 * travels in the body, never in the URL, so no access log can hold it. The body schema is the one check of the
 * body (plugins/validation.ts).
 */
import { MAX_TOKEN_LENGTH } from 'daily-tokens';
import { ROOM_NAME_SCHEMA } from 'daily-tokens/rooms';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../service/context.js';
import { diagnose } from '../../service/doctor.js';
import { callerOf } from '../plugins/auth.js';
import { errorReplies, V1_ERRORS } from '../schemas.js';

type DoctorBody = { token: string; room: string };

const finding = {
  type: 'object',
  required: ['rule', 'source', 'severity', 'effect', 'message', 'fix', 'evidence'],
  properties: {
    rule: { type: 'string', description: 'A lint rule id, a verify problem code, or a doctor rule id.' },
    source: { type: 'string', enum: ['verify', 'lint', 'room'] },
    severity: { type: 'string', enum: ['error', 'warning', 'info'] },
    effect: { type: 'string', enum: ['refuses', 'drops', 'applies'] },
    message: { type: 'string' },
    fix: { type: 'string' },
    claim: { type: 'string' },
    evidence: { type: 'string', description: 'Where the fact comes from: Daily’s docs, its SDK, or our inference.' },
  },
};

export function doctorRoutes(ctx: AppContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post<{ Body: DoctorBody }>(
      '/doctor',
      {
        schema: {
          operationId: 'DiagnoseMeetingToken',
          tags: ['daily-tokens extensions'],
          summary: 'Why won’t this token work in this room? (not a Daily route)',
          description:
            'Judges the token (verified with the domain’s keys) against the stored room and the domain’s config: room expiry and ejections, knocking, recording, owner-only features, private rooms, a missing or misspelt room. Answers one verdict (refuses, drops-claims, applies) and every finding with its fix and evidence, as daily-tokens doctor prints them.',
          body: {
            type: 'object',
            required: ['token', 'room'],
            additionalProperties: false,
            properties: {
              token: { type: 'string', minLength: 1, maxLength: MAX_TOKEN_LENGTH, description: 'The meeting token.' },
              room: { ...ROOM_NAME_SCHEMA, description: 'The room the token is for.' },
            },
          },
          response: {
            200: {
              description: 'What happens when this token joins this room.',
              type: 'object',
              required: ['verdict', 'verified', 'findings'],
              properties: {
                verdict: { type: 'string', enum: ['refuses', 'drops-claims', 'applies'] },
                verified: { type: 'boolean' },
                findings: { type: 'array', items: finding },
              },
            },
            ...errorReplies(...V1_ERRORS),
          },
        },
      },
      async (request) => diagnose(ctx, callerOf(request), request.body.token, request.body.room),
    );
  };
}

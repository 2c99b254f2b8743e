/**
 * `POST /v1/doctor` (not a Daily route): why won't this token work in this room? The library's
 * `diagnoseMeetingToken` over the token, the stored room and the domain's config, with the token verified
 * against the domain's keyring: what `daily-tokens doctor` says, for apps that call the emulator over HTTP.
 * The token travels in the body, never in the URL, so no access log can hold it.
 */
import { MAX_TOKEN_LENGTH } from 'daily-tokens';
import { diagnoseMeetingToken } from 'daily-tokens/doctor';
import { DEFAULT_DOMAIN_CONFIG, ROOM_NAME_SCHEMA } from 'daily-tokens/rooms';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { errorReplies, V1_ERRORS } from './docs.js';
import { roomJson } from './v1-rooms.js';

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

export function v1DoctorRoutes(ctx: AppContext) {
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
      async (request) => {
        const auth = request.auth;
        if (!auth) throw new Error('auth hook missing');
        const { token, room } = request.body;
        const now = ctx.clock();
        const [row, config] = await Promise.all([
          ctx.store.rooms.get(auth.domain.id, room, now),
          ctx.store.domains.config(auth.domain.id),
        ]);
        return diagnoseMeetingToken({
          token,
          room: row ? roomJson(row, auth.domain.name) : null,
          roomName: room,
          domain: { domain_id: auth.domain.id, config: { ...DEFAULT_DOMAIN_CONFIG, ...config } },
          verified: auth.verifier(false).verifySync(token, { now }),
          now,
        });
      },
    );
  };
}

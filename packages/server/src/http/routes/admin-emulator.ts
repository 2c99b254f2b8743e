/**
 * The emulator's control routes under `/admin/` (admin token, emulator mode): fault rules, the request
 * journal, the virtual clock and snapshots. Without emulator mode they answer 404 saying how to turn it on,
 * so a production service never has them.
 */
import { parseDuration } from 'daily-tokens';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmulatorControls } from '../../emulator/index.js';
import { restoreSnapshot, SnapshotError, takeSnapshot } from '../../emulator/snapshot.js';
import { ApiError, badRequest } from '../../errors.js';
import type { AppContext } from '../../service/context.js';
import { documentedBody, errorReplies, replyObject as obj } from '../schemas.js';

const ERRORS = [400, 401, 404, 503];

/** Route schema of an emulator control: documentation, admin security, the common errors. */
function controlSchema(
  operationId: string,
  summary: string,
  reply: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  return {
    operationId,
    summary,
    description: `${summary}. Emulator mode only (daily-tokens serve --emulator, DAILY_TOKENS_EMULATOR=1); needs the admin token.`,
    tags: ['emulator'],
    security: [{ AdminToken: [] }],
    ...extra,
    response: { [status]: reply, ...errorReplies(...ERRORS) },
  };
}

const NOT_EMULATOR =
  'this is an emulator control, and the service is not in emulator mode; start it with daily-tokens serve --emulator (or DAILY_TOKENS_EMULATOR=1), or use startDailyEmulator() from @daily-tokens/server/testing';

/** A TypeError from a control's validation → 400 with its message; anything else as it is. */
function asBadRequest<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TypeError) throw badRequest(e.message);
    throw e;
  }
}

function jsonObject(request: FastifyRequest): Record<string, unknown> {
  const b = request.body ?? {};
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw badRequest('the body must be a JSON object');
  return b as Record<string, unknown>;
}

const FAULT_PROPERTIES = {
  method: { type: 'string', description: 'GET, POST, …; any method when left out.' },
  path: {
    type: 'string',
    description: 'Exact (/v1/rooms), with :param segments (/v1/rooms/:name), or a prefix ending in * (/v1/*).',
  },
  status: { type: 'integer', minimum: 400, maximum: 599, description: 'Answer with this status (e.g. 429, 503).' },
  retryAfter: { type: 'integer', minimum: 0, description: 'Retry-After seconds; default 1 for a 429.' },
  body: { description: "The answer's body; default Daily's {error, info} with the status's type." },
  latencyMs: { type: 'integer', minimum: 0, maximum: 30000, description: 'Delay before answering (or dropping).' },
  drop: { type: 'boolean', description: 'true: close the connection without an answer.' },
  times: { type: 'integer', minimum: 1, description: 'The next N matching calls (default 1).' },
  probability: { type: 'number', minimum: 0, maximum: 1, description: 'A share of matching calls, until removed.' },
  seed: { type: 'integer', minimum: 0, description: 'Seed of the probability draws, for repeatable runs.' },
};
const fault = obj('A fault rule.', {
  id: { type: 'string' },
  ...FAULT_PROPERTIES,
  hits: { type: 'integer', description: 'Calls it applied to so far.' },
  remaining: { type: 'integer', description: 'Calls left (rules with times).' },
});
const clockReply = obj('The virtual time.', {
  now: { type: 'string', format: 'date-time' },
  unix: { type: 'integer', description: 'The same in unix seconds.' },
  frozen: { type: 'boolean', description: 'true: time moves only when advanced or set.' },
});
const deleted = obj('How many were removed.', { deleted: { type: 'integer', minimum: 0 } });
const JOURNAL_QUERY_KEYS = new Set(['method', 'path', 'since']);
const snapshot = obj('The state: every domain with its config, API keys (in clear: a secret) and rooms.', {
  version: { type: 'integer', const: 1 },
  kind: { type: 'string' },
  taken_at: { type: 'string', format: 'date-time' },
  domains: { type: 'array' },
});
/** A snapshot of many rooms is larger than an API body may be. */
const SNAPSHOT_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * Registers the emulator controls on the admin plugin (its auth hook guards them); `controls` is undefined
 * outside emulator mode, where each control answers 404.
 */
export function emulatorAdminRoutes(
  ctx: AppContext,
  controls: EmulatorControls | undefined,
  app: FastifyInstance,
): void {
  const em = (): EmulatorControls => {
    if (!controls) throw new ApiError(404, 'not-found', NOT_EMULATOR);
    return controls;
  };

  app.post(
    '/faults',
    {
      schema: controlSchema(
        'EmulatorAddFault',
        'Add a fault rule: matching calls get a status, a delay or a dropped connection',
        fault,
        {},
        201,
      ),
      config: documentedBody({ type: 'object', properties: FAULT_PROPERTIES }),
    },
    async (request, reply) => {
      const { faults } = em();
      const id = asBadRequest(() => faults.add(jsonObject(request)));
      reply.code(201);
      return faults.list().find((f) => f.id === id) ?? { id };
    },
  );
  app.get(
    '/faults',
    {
      schema: controlSchema(
        'EmulatorListFaults',
        'List the active fault rules, oldest first',
        obj('The rules.', { data: { type: 'array', items: fault } }),
      ),
    },
    async () => ({ data: em().faults.list() }),
  );
  app.delete<{ Params: { id: string } }>(
    '/faults/:id',
    {
      schema: controlSchema('EmulatorRemoveFault', 'Remove a fault rule', deleted, {
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'flt_…' } } },
      }),
    },
    async (request) => {
      if (!em().faults.remove(request.params.id))
        throw new ApiError(
          404,
          'not-found',
          `no fault rule ${request.params.id.slice(0, 64)} (a rule with times is removed once used up); list them with GET /admin/faults`,
        );
      return { deleted: 1 };
    },
  );
  app.delete(
    '/faults',
    { schema: controlSchema('EmulatorClearFaults', 'Remove every fault rule', deleted) },
    async () => ({ deleted: em().faults.clear() }),
  );

  app.get<{ Querystring: Record<string, string> }>(
    '/journal',
    {
      schema: controlSchema(
        'EmulatorJournal',
        `The recorded requests (the last 1000; secrets masked), oldest first, filtered by method, path pattern and time`,
        obj('The entries.', { data: { type: 'array' } }),
        {
          querystring: {
            type: 'object',
            properties: {
              method: { type: 'string', description: 'Only this method.' },
              path: { type: 'string', description: 'Only paths matching: exact, :param segments or a * prefix.' },
              since: { type: 'string', description: 'Only requests at or after this virtual time (ISO or unix s).' },
            },
          },
        },
      ),
    },
    async (request) => {
      const { journal } = em();
      const query = { ...request.query };
      for (const key of Object.keys(query))
        if (!JOURNAL_QUERY_KEYS.has(key))
          throw badRequest(`unknown query parameter ${JSON.stringify(key.slice(0, 40))}; use method, path or since`);
      return { data: asBadRequest(() => journal.list(query)) };
    },
  );
  app.delete(
    '/journal',
    { schema: controlSchema('EmulatorClearJournal', 'Forget every recorded request', deleted) },
    async () => ({ deleted: em().journal.clear() }),
  );

  app.get(
    '/snapshot',
    {
      schema: controlSchema(
        'EmulatorGetSnapshot',
        'The whole state as JSON (domains, their config, keys with their secrets, rooms); keep it as a secret',
        snapshot,
      ),
    },
    async () => {
      em();
      return takeSnapshot(ctx);
    },
  );
  app.put(
    '/snapshot',
    {
      bodyLimit: SNAPSHOT_BODY_LIMIT,
      schema: controlSchema(
        'EmulatorRestoreSnapshot',
        'Replace the whole state with a snapshot (validated first: a bad one changes nothing)',
        obj('What the state holds now.', {
          domains: { type: 'integer' },
          keys: { type: 'integer' },
          rooms: { type: 'integer' },
        }),
      ),
      config: documentedBody({
        type: 'object',
        properties: { version: { type: 'integer' }, domains: { type: 'array' } },
      }),
    },
    async (request) => {
      em();
      try {
        return await restoreSnapshot(ctx, request.body);
      } catch (e) {
        if (e instanceof SnapshotError) throw badRequest(e.message);
        throw e;
      }
    },
  );

  const clockNow = (c: EmulatorControls['clock']) => {
    const now = c.now();
    return { now: now.toISOString(), unix: Math.floor(now.getTime() / 1000), frozen: c.frozen };
  };
  app.get('/clock', { schema: controlSchema('EmulatorGetClock', 'The virtual time', clockReply) }, async () =>
    clockNow(em().clock),
  );
  app.post(
    '/clock',
    {
      schema: controlSchema('EmulatorSetClock', 'Move the virtual time forward, or set it', clockReply),
      config: documentedBody({
        type: 'object',
        properties: {
          advance: { type: ['string', 'integer'], description: 'A duration ("90s", "2h") or seconds.' },
          set: { type: ['string', 'integer'], description: 'An ISO 8601 time or unix seconds.' },
        },
      }),
    },
    async (request) => {
      const { clock } = em();
      const b = jsonObject(request);
      const keys = Object.keys(b);
      const unknown = keys.find((k) => k !== 'advance' && k !== 'set');
      if (unknown !== undefined || keys.length !== 1)
        throw badRequest(
          `${unknown !== undefined ? `unknown field ${JSON.stringify(unknown.slice(0, 40))}; ` : ''}send {"advance": "2h"} (or seconds) or {"set": "2026-03-10T12:00:00Z"} (or unix seconds)`,
        );
      if (b.advance !== undefined) {
        const seconds = asBadRequest(() => parseDuration(b.advance, 'advance'));
        clock.advance(seconds);
      } else {
        const to = b.set;
        const d = typeof to === 'number' ? new Date(to * 1000) : typeof to === 'string' ? new Date(to) : undefined;
        if (!d || Number.isNaN(d.getTime()) || (typeof to === 'string' && !/^\d{4}-\d\d-\d\d/.test(to)))
          throw badRequest('set must be an ISO 8601 time ("2026-03-10T12:00:00Z") or unix seconds');
        clock.set(d);
      }
      return clockNow(clock);
    },
  );
}

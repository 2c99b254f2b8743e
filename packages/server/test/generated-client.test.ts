/**
 * A client generated from /openapi.json makes its usual calls against the service: the calls are
 * built from the document alone (operationId → method, path template, query, JSON body), as a
 * generator's output does, and every reply is checked against the schema the document gives for its
 * status. So the document and the service cannot disagree without this test failing.
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, config, type Running, start, tempDir } from './helpers.js';

const KEY = 'generated-client-key-0123456789abcdef';
const NOW = new Date('2026-03-01T12:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);

type Op = { method: string; path: string; op: Record<string, unknown> };
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document
type Doc = any;

/** What a generator makes of the document: one function per operationId. */
function generateClient(doc: Doc, baseUrl: string, apiKey: string) {
  const ops = new Map<string, Op>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const [method, op] of Object.entries(item)) ops.set(op.operationId as string, { method, path, op });
  }
  const ajv = new Ajv({ strict: false, allowUnionTypes: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  ajv.addSchema({ $id: 'doc', ...doc });
  const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

  return async function invoke(
    operationId: string,
    args: { path?: Record<string, string>; query?: Record<string, string | number | boolean>; body?: unknown } = {},
  ) {
    const found = ops.get(operationId);
    if (!found) throw new Error(`the document has no operation ${operationId}`);
    const { method, path, op } = found;
    if (args.body !== undefined) {
      // a typed generated client cannot send what the request schema forbids
      const check = ajv.compile({
        $ref: `doc#/${pointer('paths', path, method, 'requestBody', 'content', 'application/json', 'schema')}`,
      });
      expect(check(args.body), JSON.stringify(check.errors)).toBe(true);
    }
    const declared = new Set(((op.parameters ?? []) as { name: string }[]).map((p) => p.name));
    for (const name of [...Object.keys(args.path ?? {}), ...Object.keys(args.query ?? {})]) {
      expect(declared.has(name), `${operationId} documents parameter ${name}`).toBe(true);
    }
    const url = path.replace(/\{([^}]+)\}/g, (_, n: string) => encodeURIComponent(args.path?.[n] ?? ''));
    const qs = new URLSearchParams(Object.entries(args.query ?? {}).map(([k, v]) => [k, String(v)])).toString();
    const reply = await call(baseUrl, method.toUpperCase(), `${url}${qs ? `?${qs}` : ''}`, {
      key: apiKey,
      ...(args.body !== undefined ? { body: args.body } : {}),
    });
    const responses = op.responses as Record<string, unknown>;
    const status = String(reply.status);
    expect(Object.keys(responses), `${operationId} documents status ${status}`).toContain(status);
    const check = ajv.compile({
      $ref: `doc#/${pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')}`,
    });
    expect(check(reply.body), `${operationId} ${status}: ${JSON.stringify(check.errors)}`).toBe(true);
    return reply;
  };
}

let tmp: ReturnType<typeof tempDir>;
let svc: Running;
let invoke: ReturnType<typeof generateClient>;

beforeAll(async () => {
  tmp = tempDir();
  svc = await start(config({ data: tmp.dir }, { DAILY_API_KEY: KEY, DAILY_DOMAIN_NAME: 'gen-dev' }), {
    clock: () => NOW,
  });
  invoke = generateClient((await call(svc.url, 'GET', '/openapi.json')).body, svc.url, KEY);
});

afterAll(async () => {
  await svc?.close();
  tmp?.remove();
});

describe("a generated client's usual calls", () => {
  it('domain, rooms (create, get, list with paging, update, delete) and tokens (create, validate)', async () => {
    const domain = await invoke('GetDomainConfig');
    expect(domain.status).toBe(200);
    const setDomain = await invoke('SetDomainConfig', { body: { properties: { lang: 'de', enable_pip_ui: true } } });
    expect(setDomain.body.config).toMatchObject({ lang: 'de', enable_pip_ui: true });

    const names = ['standup', 'retro', 'planning'];
    for (const name of names) {
      const r = await invoke('CreateRoom', {
        body: { name, privacy: 'private', properties: { exp: NOW_S + 3600, enable_chat: true, lang: 'en' } },
      });
      expect(r.status).toBe(200);
      // lang is sent at its default: set explicitly, so shown (daily-js "only explicitly-set properties")
      expect(r.body.config).toEqual({ exp: NOW_S + 3600, enable_chat: true, lang: 'en' });
    }
    const generated = await invoke('CreateRoom', { body: {} });
    expect(generated.body.name).toMatch(/^[A-Za-z0-9]{20}$/);

    const got = await invoke('GetRoomConfig', { path: { room_name: 'retro' } });
    expect(got.body.name).toBe('retro');

    const seen: string[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 5; guard++) {
      const page = await invoke('ListRooms', { query: { limit: 2, ...(after ? { starting_after: after } : {}) } });
      expect(page.body.total_count).toBe(4);
      seen.push(...page.body.data.map((r: { name: string }) => r.name));
      if (page.body.data.length < 2) break;
      after = page.body.data.at(-1).id;
    }
    expect(seen.sort()).toEqual([...names, generated.body.name].sort());

    const updated = await invoke('SetRoomConfig', {
      path: { room_name: 'standup' },
      body: { privacy: 'public', properties: { max_participants: 10, enable_chat: null } },
    });
    expect(updated.body).toMatchObject({ privacy: 'public', config: { exp: NOW_S + 3600, max_participants: 10 } });
    expect(updated.body.config).not.toHaveProperty('enable_chat');

    const token = await invoke('CreateMeetingToken', {
      body: { properties: { room_name: 'standup', exp: NOW_S + 600, is_owner: true, user_name: 'Host' } },
    });
    expect(token.status).toBe(200);
    const valid = await invoke('ValidateMeetingToken', { path: { meeting_token: token.body.token } });
    expect(valid.body).toMatchObject({ room_name: 'standup', is_owner: true, user_name: 'Host', exp: NOW_S + 600 });

    const deleted = await invoke('DeleteRoom', { path: { room_name: 'standup' } });
    expect(deleted.body).toEqual({ deleted: true, name: 'standup' });
    const gone = await invoke('GetRoomConfig', { path: { room_name: 'standup' } });
    expect(gone.status).toBe(404);
  });

  it('errors come back in the documented {error, info} shape', async () => {
    const bad = await invoke('ListRooms', { query: { limit: 500 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid-request-error');
    const missing = await invoke('DeleteRoom', { path: { room_name: 'never-was' } });
    expect(missing.status).toBe(404);
  });
});

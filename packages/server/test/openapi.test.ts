/**
 * /openapi.json is generated from the route schemas: it must be valid OpenAPI 3.1 (swagger-parser),
 * pass Redocly's recommended rules with zero errors, and carry the registries' schemas.
 */
import { createRequire } from 'node:module';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { REST_PROPERTY_NAMES } from 'daily-tokens';
import { ROOM_PROPERTY_NAMES } from 'daily-tokens/rooms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, config, type Running, rawRequest, start, tempDir } from './helpers.js';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

let tmp: ReturnType<typeof tempDir>;
let svc: Running;
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document, checked by the assertions
let doc: any;
let text: string;

beforeAll(async () => {
  tmp = tempDir();
  svc = await start(config({ data: tmp.dir }, { DAILY_API_KEY: 'openapi-test-key-0123456789abcdef' }));
  const r = await call(svc.url, 'GET', '/openapi.json');
  expect(r.status).toBe(200);
  doc = r.body;
  text = JSON.stringify(doc);
});

afterAll(async () => {
  await svc?.close();
  tmp?.remove();
});

function operations(): [string, string, Record<string, unknown>][] {
  return Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(([path, item]) =>
    METHODS.flatMap((m) => (item[m] ? [[path, m, item[m]] as [string, string, Record<string, unknown>]] : [])),
  );
}

describe('/openapi.json', () => {
  it('is OpenAPI 3.1 with the package version and this service as its server', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe(pkg.version);
    expect(doc.info.license.name).toBe('MIT');
    expect(doc.servers).toEqual([
      { url: '/', description: 'This service (the address this document was fetched from)' },
    ]);
  });

  it('does not copy the request Host into the document, and can be cached and revalidated', async () => {
    const forged = await rawRequest(svc.url, [
      'GET /openapi.json HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n',
    ]);
    expect(forged.status).toBe(200);
    expect(forged.raw).not.toContain('evil.example');
    const first = await fetch(`${svc.url}/openapi.json`);
    await first.text();
    expect(first.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${svc.url}/openapi.json`, { headers: { 'if-none-match': etag as string } });
    expect(again.status).toBe(304);
  });

  it('is valid for swagger-parser (the engine of swagger-cli validate)', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
  });

  it("passes Redocly's recommended rules with zero errors", async () => {
    const problems = await lintFromString({
      source: text,
      absoluteRef: `${svc.url}/openapi.json`,
      config: await createConfig({ extends: ['recommended'] }),
    });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message}`);
    expect(errors).toEqual([]);
    // what is left are the operations endpoints having no 4xx reply, which is true of them
    const warnings = problems.filter((p) => p.severity === 'warn');
    expect(warnings.every((w) => w.ruleId === 'operation-4xx-response')).toBe(true);
    expect(warnings.length).toBeLessThanOrEqual(3);
  });

  it('has unique operationIds, descriptions, and Daily’s names for the Daily calls', () => {
    const ops = operations();
    const ids = ops.map(([, , op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [path, method, op] of ops) {
      expect(op.operationId, `${method} ${path}`).toBeTypeOf('string');
      expect(op.description, `${method} ${path}`).toBeTypeOf('string');
    }
    const byId = Object.fromEntries(
      ops.map(([path, method, op]) => [op.operationId, `${method.toUpperCase()} ${path}`]),
    );
    expect(byId).toMatchObject({
      GetDomainConfig: 'GET /v1',
      CreateMeetingToken: 'POST /v1/meeting-tokens',
      ValidateMeetingToken: 'GET /v1/meeting-tokens/{meeting_token}',
      ListRooms: 'GET /v1/rooms',
      CreateRoom: 'POST /v1/rooms',
      GetRoomConfig: 'GET /v1/rooms/{room_name}',
      SetRoomConfig: 'POST /v1/rooms/{room_name}',
      DeleteRoom: 'DELETE /v1/rooms/{room_name}',
      AdminReset: 'POST /admin/reset',
    });
    expect(Object.keys(doc.paths).filter((p) => p.endsWith('/'))).toEqual([]);
  });

  it('declares every path parameter and documents the list parameters', () => {
    for (const [path, method, op] of operations()) {
      const declared = ((op.parameters ?? []) as { in: string; name: string }[])
        .filter((p) => p.in === 'path')
        .map((p) => p.name);
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect(declared.sort(), `${method} ${path}`).toEqual(inPath.sort());
    }
    const list = doc.paths['/v1/rooms'].get.parameters.map((p: { name: string }) => p.name);
    expect(list.sort()).toEqual(['ending_before', 'limit', 'starting_after']);
  });

  it('takes the room and meeting-token schemas from the registries, and errors are {error, info}', () => {
    const { schemas } = doc.components;
    expect(Object.keys(schemas.RoomProperties.properties)).toEqual(ROOM_PROPERTY_NAMES);
    expect(Object.keys(schemas.MeetingTokenProperties.properties)).toEqual(REST_PROPERTY_NAMES);
    expect(schemas.DailyError.required).toEqual(['error', 'info']);
    const create = doc.paths['/v1/rooms'].post;
    // bodies are optional, as at Daily (an empty body is {})
    expect(create.requestBody.required).toBe(false);
    expect(doc.paths['/v1/meeting-tokens'].post.requestBody.required).toBe(false);
    expect(doc.paths['/admin/domains'].post.requestBody.required).toBe(true);
    expect(create.requestBody.content['application/json'].schema.properties.properties).toEqual({
      $ref: '#/components/schemas/RoomProperties',
    });
    for (const [path, method, op] of operations().filter(([p]) => p.startsWith('/v1'))) {
      const responses = op.responses as Record<string, { content: Record<string, { schema: unknown }> }>;
      for (const status of ['400', '401', '429']) {
        expect(responses[status]?.content['application/json']?.schema, `${method} ${path} ${status}`).toEqual({
          $ref: '#/components/schemas/DailyError',
        });
      }
    }
  });
});

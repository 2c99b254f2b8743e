/**
 * The service takes what Daily's published types (`@daily-co/daily-js`) allow in a token: values generated
 * from its index.d.ts at test time (recording options with every layout preset, permissions with
 * canReceive, languages) are minted by the library and by POST /v1/meeting-tokens, and validated by
 * GET /v1/meeting-tokens/:token with a 200 that echoes them, over real HTTP on the embedded SQLite store.
 */
import { createMeetingToken, verifyMeetingToken } from 'daily-tokens';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { lang, layoutPresets, permissions, recordingOptions } from '../../core/test/daily-js.js';
import { call, serviceForFile } from './helpers.js';

const KEY = 'daily-js-conformance-key-0123456789abcdef';
const held = serviceForFile(KEY);
let domainId: string;

beforeAll(async () => {
  const r = await call(held.svc.url, 'GET', '/v1/', { key: KEY });
  expect(r.status).toBe(200);
  domainId = r.body.domain_id;
});

const json = (v: unknown) => JSON.parse(JSON.stringify(v));

async function validates(token: string, opts: unknown): Promise<void> {
  const r = await call(held.svc.url, 'GET', `/v1/meeting-tokens/${token}`, { key: KEY });
  expect(r.body.info, 'the service refused it').toBeUndefined();
  expect(r.status).toBe(200);
  expect(r.body.start_cloud_recording_opts).toEqual(json(opts));
}

describe('values generated from daily-js types', () => {
  it('pass createMeetingToken → verifyMeetingToken → GET /v1/meeting-tokens/:token, and POST → GET', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(recordingOptions(), permissions(), lang(), async (opts, perms, l) => {
        const preset = (opts as { layout?: { preset: string } }).layout?.preset;
        if (preset) seen.add(preset);
        const exp = Math.floor(Date.now() / 1000) + 600;
        const props = { room_name: 'conformance', exp, start_cloud_recording_opts: opts, permissions: perms, lang: l };

        const token = await createMeetingToken(props as never, { apiKey: KEY, domainId });
        const verified = await verifyMeetingToken(token, { apiKey: KEY, domainId });
        expect(verified.problems).toEqual([]);
        expect(verified.valid).toBe(true);
        await validates(token, opts);

        const minted = await call(held.svc.url, 'POST', '/v1/meeting-tokens', {
          key: KEY,
          body: { properties: props },
        });
        expect(minted.body.info, 'POST refused it').toBeUndefined();
        expect(minted.status).toBe(200);
        await validates(minted.body.token, opts);
      }),
      { numRuns: 80 },
    );
    expect([...seen].sort()).toEqual([...layoutPresets().keys()].sort());
  });
});

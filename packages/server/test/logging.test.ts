/** One log line per request, never a key or a token in it; JSON when stderr is piped, short lines on a terminal. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prettyLine } from '../src/logging/pretty.js';
import { call, config, type Running, start, tempDir, until } from './helpers.js';
import { spawnServe } from './process.js';

const KEY = 'b'.repeat(64);
const DOMAIN_ID = '0f0e0d0c-0b0a-4908-8706-050403020100';

let tmp: ReturnType<typeof tempDir>;
let svc: Running;
const lines: string[] = [];

beforeAll(async () => {
  tmp = tempDir();
  const cfg = config(
    { data: tmp.dir },
    { DAILY_API_KEY: KEY, DAILY_DOMAIN_ID: DOMAIN_ID, DAILY_DOMAIN_NAME: 'logs', DAILY_TOKENS_LOG_LEVEL: 'info' },
  );
  svc = await start(cfg, { logStream: { write: (line) => lines.push(line) } });
});

afterAll(async () => {
  await svc?.close();
  tmp?.remove();
});

const requestLines = () => lines.map((l) => JSON.parse(l)).filter((o) => o.msg === 'request');

describe('request log', () => {
  it('writes exactly one line per request, with route pattern, status, latency, request id, domain and key id', async () => {
    lines.length = 0;
    const minted = await call(svc.url, 'POST', '/v1/meeting-tokens', {
      key: KEY,
      body: { properties: { room_name: 'standup', exp: Math.floor(Date.now() / 1000) + 600 } },
    });
    const token = minted.body.token as string;
    expect(token).toBeTypeOf('string');
    await call(svc.url, 'GET', `/v1/meeting-tokens/${token}`, { key: KEY });
    await call(svc.url, 'GET', '/healthz');
    await call(svc.url, 'GET', `/nowhere/${token}`, { key: KEY });
    await call(svc.url, 'GET', '/v1/', { key: 'wrong'.repeat(13) });
    const reqs = requestLines();
    expect(reqs).toHaveLength(5);
    // Fastify's own "incoming request" / "request completed" pair is off
    expect(lines.join('')).not.toMatch(/incoming request|request completed/);
    const [post, get, health, missing, denied] = reqs;
    expect(post).toMatchObject({ method: 'POST', route: '/v1/meeting-tokens', status: 200, domain: 'logs' });
    expect(post.keyId).toMatch(/^key_/);
    expect(post.ms).toBeTypeOf('number');
    expect(post.reqId).toBeDefined();
    expect(new Set(reqs.map((r) => r.reqId)).size).toBe(5);
    expect(get).toMatchObject({ method: 'GET', route: '/v1/meeting-tokens/:meeting_token', status: 200 });
    expect(health).toMatchObject({ route: '/healthz', status: 200 });
    expect(health.domain).toBeUndefined();
    // an unmatched route logs its URL, masked
    expect(missing.status).toBe(404);
    expect(missing.url).toMatch(/^\/nowhere\/eyJhbG…\(\d+ chars\)$/);
    expect(denied).toMatchObject({ status: 401 });
    const all = lines.join('');
    for (const part of token.split('.')) expect(all).not.toContain(part);
    expect(all).not.toContain(KEY);
    expect(all).not.toContain('wrong'.repeat(13));
  });
});

describe('room warnings', () => {
  it('a room kept with values the emulator does not know says so at warn on its request line', async () => {
    const before = lines.length;
    const properties = { geo: 'eu-south-9', dialout_config: { alow_room_start: true } };
    const r = await call(svc.url, 'POST', '/v1/rooms', { key: KEY, body: { name: 'warned', properties } });
    expect(r.status).toBe(200);
    expect(r.body.config).toEqual(properties);
    const line = () =>
      lines
        .slice(before)
        .map((l) => JSON.parse(l))
        .find((o) => o.msg === 'request' && String(o.route).startsWith('/v1/rooms'));
    expect(await until(async () => line() !== undefined)).toBe(true);
    expect(line()).toMatchObject({ level: 40, status: 200 });
    expect(line().lint).toEqual([
      {
        rule: 'room-property',
        severity: 'warning',
        message: expect.stringMatching(/^properties\.geo "eu-south-9" is not one of the values Daily documents/),
      },
      {
        rule: 'room-property',
        severity: 'warning',
        message: expect.stringMatching(
          /^properties\.dialout_config\.alow_room_start .*did you mean "allow_room_start"/,
        ),
      },
    ]);
  });
});

describe('at DAILY_TOKENS_LOG_LEVEL=warn', () => {
  it('logs no request line, except a minted token with lint findings: one line at warn that carries them', async () => {
    const dir = tempDir();
    const warnLines: string[] = [];
    const cfg = config(
      { data: dir.dir },
      { DAILY_API_KEY: KEY, DAILY_DOMAIN_ID: DOMAIN_ID, DAILY_TOKENS_LOG_LEVEL: 'warn' },
    );
    const warnSvc = await start(cfg, { logStream: { write: (line) => warnLines.push(line) } });
    try {
      const exp = Math.floor(Date.now() / 1000) + 600;
      await call(warnSvc.url, 'POST', '/v1/meeting-tokens', {
        key: KEY,
        body: { properties: { room_name: 'a', exp } },
      });
      await call(warnSvc.url, 'GET', '/healthz');
      expect(warnLines).toHaveLength(0);
      // no exp: Daily mints a token that never expires, which lint reports
      await call(warnSvc.url, 'POST', '/v1/meeting-tokens', { key: KEY, body: { properties: { room_name: 'a' } } });
      expect(warnLines).toHaveLength(1);
      const line = JSON.parse(warnLines[0] as string);
      expect(line).toMatchObject({ level: 40, msg: 'request', route: '/v1/meeting-tokens', status: 200 });
      expect(line.lint.map((f: { rule: string }) => f.rule)).toContain('no-expiry');
    } finally {
      await warnSvc.close();
      dir.remove();
    }
  });
});

describe('on a terminal', () => {
  it('a request line reads as one short line, other lines as message and fields', () => {
    const req = prettyLine(
      '{"level":30,"time":0,"reqId":"req-7","method":"POST","route":"/v1/meeting-tokens/","status":200,"ms":1.2,"domain":"dev","keyId":"key_ab","msg":"request"}',
    );
    expect(req).toBe('00:00:00.000 INFO  POST /v1/meeting-tokens/ 200 1.2ms req-7 dev/key_ab\n');
    expect(prettyLine('{"level":40,"time":0,"msg":"store unavailable","err":{"message":"x"}}')).toBe(
      '00:00:00.000 WARN  store unavailable err={"message":"x"}\n',
    );
    expect(prettyLine('not json')).toBe('not json');
  });
});

describe('daily-tokens serve with stderr piped', () => {
  it('logs JSON, one request line per request, never the key', async () => {
    const data = tempDir();
    const proc = await spawnServe({ DAILY_TOKENS_LOG_LEVEL: 'info', DAILY_API_KEY: KEY, DAILY_DOMAIN_ID: DOMAIN_ID }, [
      '--data',
      data.dir,
    ]);
    try {
      let stderr = '';
      proc.child.stderr?.on('data', (d) => {
        stderr += d;
      });
      const key = KEY;
      for (let i = 0; i < 20; i++) {
        const r = await call(proc.url, 'POST', '/v1/meeting-tokens', { key, body: { properties: { room_name: 'r' } } });
        expect(r.status).toBe(200);
      }
      proc.child.kill('SIGTERM');
      await proc.exited;
      const logged = stderr.trim().split('\n');
      const parsed = logged.map((l) => JSON.parse(l));
      expect(parsed.filter((o) => o.msg === 'request' && o.route === '/v1/meeting-tokens')).toHaveLength(20);
      expect(stderr).not.toContain(key);
    } finally {
      await proc.kill();
      data.remove();
    }
  });
});

describe('daily-tokens serve with a stalled log reader', () => {
  it('drops the lines past its log queue, counts them in daily_tokens_log_lines_dropped_total, and keeps answering', async () => {
    const data = tempDir();
    // nobody reads this stderr: the pipe fills, then the service's queue (LOG_QUEUE_BYTES), then lines drop
    const proc = await spawnServe(
      { DAILY_TOKENS_LOG_LEVEL: 'info', DAILY_API_KEY: KEY, DAILY_DOMAIN_ID: DOMAIN_ID },
      ['--data', data.dir],
      { readStderr: false },
    );
    try {
      // an unmatched URL is logged whole (masked): ~8 KB lines fill the 8 MiB queue in ~1,000 requests
      const path = `/${Array.from({ length: 300 }, (_, i) => `segment-${String(i).padStart(3, '0')}-abcdefghijklm`).join('/')}`;
      expect(path.length).toBeGreaterThan(7000);
      const statuses = new Map<number, number>();
      for (let round = 0; round < 75; round++) {
        const replies = await Promise.all(Array.from({ length: 20 }, () => fetch(`${proc.url}${path}`)));
        for (const r of replies) {
          await r.arrayBuffer();
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        }
      }
      expect(Object.fromEntries(statuses)).toEqual({ 404: 1500 });
      const text = await (await fetch(`${proc.url}/metrics`)).text();
      const dropped = Number(/^daily_tokens_log_lines_dropped_total (\d+)$/m.exec(text)?.[1]);
      // 1,500 lines of 8 KB against 8 MiB of queue and a pipe's 64 KiB: a few hundred must have gone
      expect(dropped).toBeGreaterThan(100);
      expect(dropped).toBeLessThan(1500);
      // the queue is bounded: the process did not keep 12 MB of lines around
      const rss = Number(/^process_resident_memory_bytes (\d+)$/m.exec(text)?.[1]);
      expect(rss).toBeGreaterThan(0);
      expect(rss).toBeLessThan(400 * 2 ** 20);
    } finally {
      await proc.kill();
      data.remove();
    }
  });
});

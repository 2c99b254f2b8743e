/**
 * /metrics as Prometheus reads it: Debian's promtool (package prometheus; .ci/run installs it) lints the
 * exposition, and every family has HELP and TYPE, the service's names as before, and the default process and
 * Node.js runtime metrics.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { call, serviceForFile } from './helpers.js';

const KEY = 'metrics-test-key-0123456789abcdef';
const service = serviceForFile(KEY);

function promtool(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => reject(new Error(`promtool is needed (apt-get install prometheus): ${e.message}`)));
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

describe('/metrics', () => {
  it('is promtool-clean, with HELP and TYPE on every family, the service names and runtime metrics', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const minted = await call(service.svc.url, 'POST', '/v1/meeting-tokens', {
      key: KEY,
      body: { properties: { room_name: 'm', exp } },
    });
    await call(service.svc.url, 'GET', `/v1/meeting-tokens/${minted.body.token}`, { key: KEY });
    await call(service.svc.url, 'GET', '/v1/', { key: 'wrong-key-0123456789abcdef' });
    await call(service.svc.url, 'GET', '/no-such-route');

    const res = await fetch(`${service.svc.url}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(await promtool(text)).toEqual({ code: 0, output: '' });

    const families = new Map<string, { help?: string; type?: string }>();
    for (const line of text.split('\n')) {
      const m = /^# (HELP|TYPE) (\S+) (.+)$/.exec(line);
      if (!m) continue;
      const f = families.get(m[2] as string) ?? {};
      f[m[1] === 'HELP' ? 'help' : 'type'] = m[3];
      families.set(m[2] as string, f);
    }
    for (const [name, f] of families) {
      expect(f.help, name).toMatch(/\S/);
      expect(f.type, name).toMatch(/^(counter|gauge|histogram|summary)$/);
    }
    // Every sample belongs to a declared family.
    const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    for (const s of samples) {
      const name = /^[a-zA-Z_:][\w:]*/.exec(s)?.[0] as string;
      expect(families.has(name.replace(/_(bucket|sum|count)$/, '')) || families.has(name), s).toBe(true);
    }
    expect(Object.fromEntries([...families].map(([n, f]) => [n, f.type]))).toMatchObject({
      daily_tokens_http_requests_total: 'counter',
      daily_tokens_http_request_duration_seconds: 'histogram',
      daily_tokens_tokens_minted_total: 'counter',
      daily_tokens_tokens_validated_total: 'counter',
      daily_tokens_store_up: 'gauge',
      process_cpu_user_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      nodejs_eventloop_lag_seconds: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
    });
    expect(text).toMatch(/^daily_tokens_tokens_minted_total 1$/m);
    expect(text).toMatch(/^daily_tokens_tokens_validated_total\{valid="true"\} 1$/m);
    expect(text).toMatch(/^daily_tokens_http_requests_total\{method="GET",route="\/v1",status="401"\} 1$/m);
    expect(text).toMatch(/^daily_tokens_store_up 1$/m);
    // No Redis configured: no Redis gauge. Never a token or a raw URL in a label.
    expect(text).not.toContain('daily_tokens_redis_up');
    expect(text).not.toContain('eyJ');
    expect(text).not.toContain('no-such-route');
  });
});

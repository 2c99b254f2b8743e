/**
 * A seeded emulator key (DAILY_API_KEY …) that was deactivated or rotated out stays dead after a restart with
 * the same environment (reviving it would undo the rotation); the start says so and how to fix it, instead of
 * every call failing with 401 and nothing saying why.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serve } from '../src/index.js';
import { call, config, start, tempDir } from './helpers.js';

const env = {
  DAILY_API_KEY: 'seeded-key-0123456789abcdef',
  DAILY_DOMAIN_NAME: 'acme-dev',
  DAILY_TOKENS_ADMIN_TOKEN: 'admin-token-0123456789abcdef',
};
const admin = { key: env.DAILY_TOKENS_ADMIN_TOKEN };
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

async function startLines(data: string): Promise<string[]> {
  const lines: string[] = [];
  const svc = await serve(config({ data }, env), { out: (l) => lines.push(l), signals: false });
  const r = await call(svc.url, 'GET', '/v1/', { key: env.DAILY_API_KEY });
  await svc.close();
  lines.push(`status ${r.status}`);
  return lines;
}

describe('start-up with a seeded key that is no longer active', () => {
  it.each([
    [
      'deactivated',
      (id: string) => [`/admin/keys/${id}/deactivate`, {}] as const,
      /was deactivated \(or rotated out without grace\) at \d{4}-/,
    ],
    [
      'rotated out',
      (id: string) => [`/admin/keys/${id}/rotate`, { grace: '1s' }] as const,
      /was rotated out \(its grace ended at \d{4}-/,
    ],
  ])('%s: warns and says how to fix it', async (_how, action, said) => {
    const t = tempDir();
    dirs.push(t);
    const data = join(t.dir, 'data');
    const a = await start(config({ data }, env));
    const keys = await call(a.url, 'GET', '/admin/domains/acme-dev/keys', admin);
    const id = keys.body.data[0].id as string;
    const [path, body] = action(id);
    expect((await call(a.url, 'POST', path, { ...admin, body })).status).toBe(200);
    await a.close();
    await new Promise((r) => setTimeout(r, 1100)); // past the rotation's grace

    const lines = await startLines(data);
    const warning = lines.find((l) => l.startsWith('warning: DAILY_API_KEY'));
    expect(warning).toMatch(said);
    expect(warning).toContain(`(${id} of domain acme-dev)`);
    expect(warning).toContain('every call with it gets 401');
    expect(warning).toContain('npx daily-tokens keys list --domain acme-dev');
    expect(warning).not.toContain(env.DAILY_API_KEY);
    expect(lines.at(-1)).toBe('status 401');
  });

  it('an active seeded key starts without a warning', async () => {
    const t = tempDir();
    dirs.push(t);
    const data = join(t.dir, 'data');
    await startLines(data);
    const lines = await startLines(data);
    expect(lines.some((l) => l.startsWith('warning:'))).toBe(false);
    expect(lines.at(-1)).toBe('status 200');
  });
});

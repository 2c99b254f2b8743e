/** The README's curl block (the calls from Daily's docs) runs unchanged except for the host. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { call, serviceForFile } from './helpers.js';

const KEY = 'readme-key-0123456789abcdef';
const service = serviceForFile(KEY);

function curlBlock(): { create: string; validate: string } {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const block = /<!-- curl-example[^>]*-->\s*```bash\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no curl-example block');
  const [create, validate] = block.split('# validate (REST)');
  return { create: create ?? '', validate: validate ?? '' };
}

it('create and validate with the curl calls from the README', async () => {
  const { create, validate } = curlBlock();
  const host = service.svc.url;
  // async: the service runs in this process, so a blocking exec would deadlock it
  const run = async (script: string, env: Record<string, string>) =>
    (
      await promisify(execFile)('bash', ['-c', script.replaceAll('http://127.0.0.1:8787', host)], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      })
    ).stdout;
  const created = JSON.parse(await run(create, { DAILY_API_KEY: KEY }));
  expect(created.token).toMatch(/^eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\./);
  const validated = JSON.parse(await run(validate, { DAILY_API_KEY: KEY, DAILY_MEETING_TOKEN: created.token }));
  expect(validated.room_name).toBe('my-room');
  expect(validated.exp).toBeGreaterThan(Date.now() / 1000);
  const domain = await call(service.svc.url, 'GET', '/v1/', { key: KEY });
  expect(validated.domain_id).toBe(domain.body.domain_id);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REST_PROPERTY_NAMES } from 'daily-tokens';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, PKG, runCli } from './helpers.js';

beforeAll(ensureBuilt, 180_000);

describe('README', () => {
  const readme = readFileSync(join(PKG, 'README.md'), 'utf8');

  it('documents every command the binary has, with a worked example', async () => {
    const help = await runCli(['--help']);
    const commands = [...help.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1] as string);
    const own = commands.filter((c) => !['help', 'serve', 'keys', 'domains'].includes(c));
    expect(own).toEqual(['create', 'decode', 'verify', 'lint', 'explain', 'doctor', 'completion']);
    for (const c of own) {
      expect(readme).toContain(`## \`${c}`);
      // doctor needs a REST API to ask: its examples are commands (run for real by doctor.test.ts), not
      // console transcripts replayed offline.
      expect(readme).toContain(c === 'doctor' ? 'npx daily-tokens doctor "$TOKEN" --room' : `$ npx daily-tokens ${c}`);
    }
    expect(readme).toContain('## `create --batch');
  });

  it('pastes the current explain output for the docs token', async () => {
    const block =
      /\$ env -u DAILY_API_KEY npx daily-tokens explain (\S+) --now 2024-03-09T15:00:00Z\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const r = await runCli(['explain', block?.[1] as string, '--now', '2024-03-09T15:00:00Z']);
    expect(r.stdout).toBe(block?.[2]);
  });

  it('every property the registry has is listed by create --help', async () => {
    const help = (await runCli(['create', '--help'])).stdout;
    for (const name of REST_PROPERTY_NAMES) expect(help).toContain(`--${name.replace(/_/g, '-')}`);
  });
});

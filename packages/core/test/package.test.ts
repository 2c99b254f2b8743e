import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: pkgDir, encoding: 'utf8' });

describe('published package', () => {
  beforeAll(() => {
    if (!existsSync(`${pkgDir}/dist/cjs/index.js`)) run('npm', ['run', 'build']);
  }, 60_000);

  it('packs with zero dependencies, only dist, README, LICENSE and CHANGELOG', () => {
    const [info] = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'])) as [
      { files: { path: string }[] },
    ];
    const manifest = JSON.parse(run('node', ['-p', 'JSON.stringify(require("./package.json"))']));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
    const paths = info.files.map((f) => f.path);
    expect(
      paths.every(
        (p) =>
          p.startsWith('dist/') ||
          /^[a-z/-]+\/package\.json$/.test(p) ||
          ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(p),
      ),
    ).toBe(true);
    expect(paths).toEqual(expect.arrayContaining(['dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js']));
  });

  it('works through import and require', () => {
    const script = (how: string) =>
      `${how}; const t = await m.createMeetingToken({room_name:'r'},{apiKey:'k'.repeat(32),domainId:'d'}); const v = await m.verifyMeetingToken(t,{apiKey:'k'.repeat(32)}); console.log(v.valid, m.decodeUnverified(t).properties.room_name)`;
    const esm = execFileSync('node', ['--input-type=module', '-e', script("const m = await import('daily-tokens')")], {
      cwd: pkgDir,
      encoding: 'utf8',
    });
    expect(esm.trim()).toBe('true r');
    const cjs = execFileSync(
      'node',
      ['--input-type=commonjs', '-e', `(async () => { ${script("const m = require('daily-tokens')")} })()`],
      { cwd: pkgDir, encoding: 'utf8' },
    );
    expect(cjs.trim()).toBe('true r');
  });

  it('loads the prose, schema, REST and token-input entries through import and require, each with what it promises', () => {
    const script = (how: (spec: string) => string) =>
      `const e = ${how('daily-tokens/explain')}; const s = ${how('daily-tokens/schema')}; const r = ${how('daily-tokens/rest')};
       const t = ${how('daily-tokens/token-input')};
       console.log(e.explainClaims({ r: 'standup' }, {}, 0)[0].name, typeof e.CLAIM_MEANINGS.room_name.meaning,
         s.meetingTokenPropertiesSchema().type, typeof r.DailyRestClient, typeof r.DailyApiError,
         t.cleanTokenInput('Bearer "a.b.c"').token)`;
    const expected = 'room_name string object function function a.b.c';
    const esm = execFileSync('node', ['--input-type=module', '-e', script((spec) => `await import('${spec}')`)], {
      cwd: pkgDir,
      encoding: 'utf8',
    });
    expect(esm.trim()).toBe(expected);
    const cjs = execFileSync('node', ['--input-type=commonjs', '-e', script((spec) => `require('${spec}')`)], {
      cwd: pkgDir,
      encoding: 'utf8',
    });
    expect(cjs.trim()).toBe(expected);
  });
});

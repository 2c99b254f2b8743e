/**
 * Every code block of every README (the root's and each package's) is run or compiled here, so an example can
 * never drift from the code:
 * - TypeScript blocks compile under `strict` against the workspace packages (the names a block presumes, such as
 *   the app's `sessions`, are declared beside it, never the library's own);
 * - JavaScript blocks run;
 * - shell blocks that talk to the token service run, in order, against one real service started as the README
 *   says, so blocks cannot collide; its start-up lines and the inspector's CSP are compared with their blocks;
 * - the `daily-tokens keys/domains` and seeding blocks run on a scratch store;
 * - command lines that install or build (`npm ci`, `npm run …`, `npx vitest …`) name scripts, workspaces and
 *   projects that exist, and every `daily-tokens` command line names a real command with real flags;
 * - the CLI README's console blocks are run by test/packaging/tarballs.test.ts against the packed packages;
 * - the server README's emulator block (controls under /admin/, emulator mode) is run by
 *   packages/server/test/emulator-state.test.ts against an emulator.
 * A block that none of these recognises fails the inventory test: a new example needs a check.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createMeetingToken } from 'daily-tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/daily-tokens.js');
const exec = promisify(execFile);
const README_FILES = ['README.md', ...['core', 'cli', 'server', 'inspector'].map((p) => `packages/${p}/README.md`)];

interface Block {
  file: string;
  line: number;
  lang: string;
  body: string;
}

function blocksOf(file: string): Block[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const blocks: Block[] = [];
  const re = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    blocks.push({ file, line: text.slice(0, m.index).split('\n').length, lang: m[1] as string, body: m[2] as string });
  }
  return blocks;
}
const ALL = README_FILES.flatMap(blocksOf);
const where = (b: Block) => `${b.file}:${b.line}`;

type Kind =
  | 'typescript'
  | 'javascript'
  | 'cli-console'
  | 'root-console'
  | 'service'
  | 'keys-and-domains'
  | 'seeding'
  | 'start-up-lines'
  | 'csp'
  | 'layout'
  | 'commands'
  | 'emulator';

function kindOf(b: Block): Kind | undefined {
  if (b.lang === 'ts') return 'typescript';
  if (b.lang === 'js') return 'javascript';
  if (b.lang === 'console') return b.file === 'packages/cli/README.md' ? 'cli-console' : 'root-console';
  // emulator controls need emulator mode, which the service started below is not in
  if (b.lang === 'bash' && /\/admin\/faults\b/.test(b.body)) return 'emulator';
  if (b.lang === 'bash' && /\bcurl\b/.test(b.body)) return 'service';
  if (b.lang === 'bash' && /daily-tokens domains list/.test(b.body)) return 'keys-and-domains';
  if (b.lang === 'bash' && /^DAILY_API_KEY=\S+ DAILY_DOMAIN_ID=/m.test(b.body)) return 'seeding';
  if (b.lang === 'bash') return 'commands';
  if (b.lang === '' && b.body.startsWith('listening on ')) return 'start-up-lines';
  if (b.lang === '' && b.body.startsWith("default-src 'none'")) return 'csp';
  if (b.lang === '' && b.file === 'packages/cli/README.md' && b.body.startsWith('bin/')) return 'layout';
  return undefined;
}
const ofKind = (k: Kind) => ALL.filter((b) => kindOf(b) === k);

let scratch: string;
beforeAll(() => {
  // Inside the repository, so `daily-tokens` and `@daily-tokens/*` resolve to the workspace packages.
  mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
  scratch = mkdtempSync(join(ROOT, 'node_modules/.cache/readme-blocks-'));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const e: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...extra };
  for (const k of Object.keys(e)) if (k.startsWith('npm_') || k === 'FORCE_COLOR') delete e[k];
  delete e.DAILY_API_KEY;
  delete e.DAILY_DOMAIN_ID;
  delete e.DAILY_TOKENS_MASTER_KEY;
  Object.assign(e, extra);
  return e as NodeJS.ProcessEnv;
};
/** `npx daily-tokens` and `daily-tokens` as the workspace's binary, so nothing is fetched. */
const localCli = (script: string) => script.replace(/\b(?:npx )?daily-tokens(?= )/g, `node ${BIN}`);

describe('README code blocks', () => {
  it('are all checked by one of the ways below (a new block needs a check)', () => {
    expect(ALL.length).toBeGreaterThan(30);
    expect(ALL.filter((b) => kindOf(b) === undefined).map(where)).toEqual([]);
  });

  it('the emulator block is run by the server’s emulator tests, found there by its marker', () => {
    const blocks = ofKind('emulator');
    expect(blocks.map((b) => b.file)).toEqual(['packages/server/README.md']);
    const readme = readFileSync(join(ROOT, 'packages/server/README.md'), 'utf8');
    expect(readme).toMatch(/<!-- emulator-curl[^>]*-->\s*```bash\n/);
    expect(readFileSync(join(ROOT, 'packages/server/test/emulator-state.test.ts'), 'utf8')).toContain('emulator-curl');
  });

  it('TypeScript blocks compile under strict', async () => {
    // What a block presumes of the app around it, by the block's own words: declared, never the library's names.
    const PRESUMED: [RegExp, string][] = [
      [
        /getSession\(request\)/,
        'declare function getSession(request: Request): { name: string; rooms: string[]; owns(room: string): boolean } | null;',
      ],
      [
        /call\.join/,
        'declare let latest: string;\ndeclare const call: { join(options: { url: string; token: string }): Promise<unknown> };',
      ],
      [
        /sessions\.get\(request\)/,
        'declare const env: { DAILY_API_KEY: string; DAILY_DOMAIN_ID: string };\ndeclare const sessions: { get(request: Request): Session | null };',
      ],
    ];
    const dir = join(scratch, 'ts');
    mkdirSync(dir);
    const files: string[] = [];
    ofKind('typescript').forEach((b, i) => {
      const prelude = PRESUMED.filter(([re]) => re.test(b.body)).map(([, d]) => d);
      const name = `block-${i}.ts`;
      // `export {}` keeps each file a module of its own; the block's line is in the file for the report.
      writeFileSync(join(dir, name), `// ${where(b)}\n${prelude.join('\n')}\n${b.body}\nexport {};\n`);
      files.push(name);
    });
    expect(files.length).toBeGreaterThanOrEqual(5);
    // The REST client's createMeetingToken resolves to the token string (not Daily's { token }): a README block
    // says so in a type the compiler holds it to.
    expect(ofKind('typescript').some((b) => /: string = await \w+\.createMeetingToken\(/.test(b.body))).toBe(true);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          lib: ['es2022', 'dom'],
          types: ['node'],
          skipLibCheck: true,
          noUnusedLocals: false,
        },
        files,
      }),
    );
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const r = await exec(process.execPath, [tsc, '-p', dir], { cwd: dir }).catch((e: { stdout: string }) => e);
    const errors = (r.stdout ?? '').replace(/block-(\d+)\.ts\((\d+)/g, (_: string, i: string, line: string) => {
      const b = ofKind('typescript')[Number(i)] as Block;
      return `${where(b)} (block line ${line})`;
    });
    expect(errors).toBe('');
  }, 120_000);

  it('JavaScript blocks run, and print what their comments promise', async () => {
    const key = 'example-domain-api-key-0123456789abcdef0123';
    for (const [i, b] of ofKind('javascript').entries()) {
      const file = join(scratch, `block-${i}.mjs`);
      writeFileSync(file, b.body);
      const { stdout } = await exec(process.execPath, [file], {
        cwd: scratch,
        env: env({ DAILY_API_KEY: key, DAILY_DOMAIN_ID: '25df5057-ef0d-4d97-bde6-0cf287276cbb' }),
      });
      if (b.file === 'packages/core/README.md')
        expect(stdout, where(b)).toBe("true []\n[]\n[ 'error no-expiry', 'info no-issued-at' ]\n");
      if (b.file === 'packages/inspector/README.md') expect(b.body).toContain('inspectorDir');
    }
    // The inspector's block imports inspectorDir; that it is what the comment says:
    const { stdout } = await exec(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { inspectorDir } from '@daily-tokens/inspector'; console.log(inspectorDir)",
      ],
      { cwd: scratch },
    );
    expect(stdout.trim()).toMatch(/^\/.*\/dist\/$/);
  }, 60_000);

  it("the CLI README's console blocks are the ones the packaging test runs against the packed CLI", () => {
    const tarballs = readFileSync(join(ROOT, 'test/packaging/tarballs.test.ts'), 'utf8');
    expect(tarballs).toContain("readFileSync(join(ROOT, 'packages/cli/README.md'), 'utf8')");
    expect(tarballs).toContain('/```console\\n([\\s\\S]*?)```/g');
    expect(ofKind('cli-console').length).toBeGreaterThanOrEqual(8);
  });

  it("the root README's console block runs (… and the token's times stand for what differs)", async () => {
    const [block] = ofKind('root-console') as [Block];
    const dir = join(scratch, 'console');
    mkdirSync(dir);
    writeFileSync(join(dir, 'users.ndjson'), '{"room_name":"standup","user_name":"Ada"}\n{"room_name":"retro"}\n');
    const key = 'example-domain-api-key-0123456789abcdef0123';
    const token = await createMeetingToken(
      { room_name: 'standup' },
      { apiKey: key, domainId: '25df5057-ef0d-4d97-bde6-0cf287276cbb', expiresIn: '15m' },
    );
    const steps = block.body
      .trimEnd()
      .split('\n')
      .reduce<{ command: string; expected: string[] }[]>((acc, line) => {
        if (line.startsWith('$ ')) acc.push({ command: line.slice(2), expected: [] });
        else acc.at(-1)?.expected.push(line);
        return acc;
      }, []);
    const script = steps
      .map(({ command }, i) =>
        [
          `echo "@@step ${i}@@"`,
          localCli(
            command
              .replace('DAILY_API_KEY=…', `DAILY_API_KEY=${key}`)
              .replace('DAILY_DOMAIN_ID=…', 'DAILY_DOMAIN_ID=25df5057-ef0d-4d97-bde6-0cf287276cbb'),
          ),
          `echo "@@exit $?@@"`,
        ].join('\n'),
      )
      .join('\n');
    const { stdout } = await exec('bash', ['-c', `exec 2>&1\n${script}`], { cwd: dir, env: env({ TOKEN: token }) });
    steps.forEach((step, i) => {
      const out = stdout.split(`@@step ${i}@@\n`)[1]?.split('@@exit')[0] ?? '';
      const status = stdout.split(`@@step ${i}@@\n`)[1]?.match(/@@exit (\d+)@@/)?.[1];
      expect(status, `$ ${step.command}\n${out}`).toBe('0');
      // Shown lines, in order: `…` stands for the rest of a token, and times are those of the run.
      const pattern = step.expected
        .map((l) =>
          l
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            .replace(/…/g, '.*')
            .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ')
            .replace(/\\d\{4\}/g, '\\d{4}')
            .replace(/240 chars/, '\\d+ chars'),
        )
        .join('\n');
      if (pattern) expect(out.trimEnd(), `$ ${step.command}`).toMatch(new RegExp(`^${pattern}$`));
    });
    expect(readFileSync(join(dir, 'tokens.ndjson'), 'utf8').trim().split('\n')).toHaveLength(2);
  }, 60_000);
});

describe('README shell blocks against one token service, started as the server README says', () => {
  let child: ChildProcess | undefined;
  let url = '';
  let key = '';
  let lines = '';
  const data = () => join(scratch, 'service');

  beforeAll(async () => {
    mkdirSync(data());
    child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      cwd: data(),
      env: env({ DAILY_TOKENS_LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child?.stdout?.on('data', (chunk: string) => {
        lines += chunk;
        if (/API key \(shown once, store it now\): \S+\n/.test(lines) && /^try: curl/m.test(lines)) resolve();
      });
      child?.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${lines}`)));
    });
    url = /listening on (\S+)/.exec(lines)?.[1] as string;
    key = /API key \(shown once, store it now\): (\S+)/.exec(lines)?.[1] as string;
  }, 60_000);
  afterAll(async () => {
    if (!child) return;
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  });

  it('prints the start-up lines the server README shows', () => {
    const [block] = ofKind('start-up-lines') as [Block];
    const masked = (s: string) =>
      s
        .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
        .replace(/\(\/\S*?\/\.daily-tokens\//g, '(/…/.daily-tokens/')
        .replace(/ \/\S*?\/\.daily-tokens\//g, ' /…/.daily-tokens/')
        .replace(/domain_id [0-9a-f-]+…?\)/, 'domain_id …)')
        .replace(/store it now\): [0-9a-f]+…?/, 'store it now): …');
    const shown = block.body.trimEnd().split('\n').map(masked);
    const printed = lines.trimEnd().split('\n').map(masked);
    // The block shows the lines up to the key; the service also prints a curl line to try it.
    expect(printed.slice(0, shown.length)).toEqual(shown);
  });

  it("serves the inspector under the CSP the inspector's README shows", async () => {
    const [block] = ofKind('csp') as [Block];
    const res = await fetch(`${url}/`);
    const csp = (res.headers.get('content-security-policy') ?? '').split(/;\s*/);
    expect(block.body.trim().split(/;\s*/)).toEqual(csp);
  });

  it('runs every curl block in document order, each call succeeding, none colliding with another', async () => {
    const blocks = ofKind('service');
    expect(blocks.map((b) => b.file)).toEqual(
      expect.arrayContaining(['README.md', 'packages/server/README.md', 'packages/server/README.md']),
    );
    for (const b of blocks) {
      const last = join(scratch, 'last-reply.json');
      let script = b.body
        .replaceAll('http://127.0.0.1:8787', url)
        // a page cursor (in a single-quoted URL) is the id of the room the block made
        .replace(
          /^(.*)<id>/m,
          `ROOM_ID=$(curl -H "Authorization: Bearer $DAILY_API_KEY" ${url}/v1/rooms/standup >/dev/null; node -pe 'JSON.parse(require("fs").readFileSync(${JSON.stringify(last)})).id')\n$1'"$ROOM_ID"'`,
        );
      // the root README's token placeholder is the "token" of the reply before it
      script = script.replace(
        /^DAILY_MEETING_TOKEN=\S+/m,
        `DAILY_MEETING_TOKEN=$(node -pe 'JSON.parse(require("fs").readFileSync(${JSON.stringify(last)})).token')`,
      );
      // a block that only uses $DAILY_MEETING_TOKEN (the reader sets it) gets it from the reply before that call
      if (!/^DAILY_MEETING_TOKEN=/m.test(script) && script.includes('$DAILY_MEETING_TOKEN')) {
        const lines = script.split('\n');
        let at = lines.findIndex((l) => l.includes('$DAILY_MEETING_TOKEN'));
        while (at > 0 && lines[at - 1]?.endsWith('\\')) at--;
        lines.splice(
          at,
          0,
          `DAILY_MEETING_TOKEN=$(node -pe 'JSON.parse(require("fs").readFileSync(${JSON.stringify(last)})).token')`,
        );
        script = lines.join('\n');
      }
      // every call fails the block on an HTTP error, keeps curl's progress meter out, and is kept for the above
      script = `curl() { command curl -sS --fail-with-body -w '\\n' "$@" | tee ${JSON.stringify(last)}; }\n${script}`;
      const r = await exec('bash', ['-c', `set -eo pipefail\n${script}`], {
        env: env({ DAILY_API_KEY: key, DAILY_MEETING_TOKEN: '' }),
      }).catch((e: { stdout: string; stderr: string; code: number }) => e);
      expect((r as { code?: number }).code ?? 0, `${where(b)}\n${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout, where(b)).not.toContain('already exists');
      // A `# → {…}` comment is what the call before it answers: `…` (or `....`) stands for what differs, and so
      // do numbers (times); every key shown is there, with the value shown.
      const shape = (v: unknown): unknown => {
        if (typeof v === 'string') {
          const cut = v.search(/…|\.{4}/);
          return cut === -1
            ? v
            : expect.stringMatching(new RegExp(`^${v.slice(0, cut).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        }
        if (typeof v === 'number') return expect.any(Number);
        if (v && typeof v === 'object')
          return expect.objectContaining(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)])));
        return v;
      };
      const replies = r.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as unknown);
      for (const m of b.body.matchAll(/# → (\{.*\})$/gm)) {
        const shown = (m[1] as string).replace(/, …\}$/, '}').replace(/"…"/g, '"…"');
        let expected: unknown;
        try {
          expected = JSON.parse(shown);
        } catch {
          throw new Error(`${where(b)}: the reply shown is not JSON: ${m[1]}`);
        }
        expect(replies, where(b)).toContainEqual(shape(expected));
      }
    }
  }, 60_000);
});

describe('README blocks of the service command line', () => {
  it('the keys and domains block runs on a scratch store, placeholders filled and options used', async () => {
    const [block] = ofKind('keys-and-domains') as [Block];
    const dir = join(scratch, 'keys');
    mkdirSync(dir);
    const uuid = '0a1b2c3d-0000-4000-8000-000000000001';
    const run = async (line: string) =>
      exec('bash', ['-c', localCli(line)], { cwd: dir, env: env() }).catch(
        (e: { stdout: string; stderr: string; code: number }) => e,
      );
    let keyId = '';
    for (const raw of block.body.trim().split('\n')) {
      const command = raw
        .replace(/\s+#.*$/, '')
        .replace(/\[([^\]]*)\]/g, '$1')
        .replace('<uuid>', uuid);
      if (command.includes('<keyId>')) {
        if (!keyId) {
          const listed = await run('daily-tokens keys list --domain acme-dev --json');
          keyId = (JSON.parse(listed.stdout) as { id: string }[])[0]?.id as string;
        }
      }
      const r = await run(command.replace('<keyId>', keyId));
      expect((r as { code?: number }).code ?? 0, `${command}\n${r.stdout}${r.stderr}`).toBe(0);
    }
    expect(keyId).toMatch(/^key_/);
  }, 60_000);

  it('the seeding line starts the service with the seeded domain (its placeholders filled)', async () => {
    const [block] = ofKind('seeding') as [Block];
    const dir = join(scratch, 'seed');
    mkdirSync(dir);
    const line = localCli(
      block.body
        .trim()
        .replace(/DAILY_DOMAIN_ID=\S+/, 'DAILY_DOMAIN_ID=6a1e0000-0000-4000-8000-000000000002')
        .replace('--port 8787', '--port 0'),
    );
    const child = spawn('bash', ['-c', `exec env ${line}`], {
      cwd: dir,
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.setEncoding('utf8');
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (c: string) => {
          out += c;
          if (/^seeded domain /m.test(out)) resolve();
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const url = /listening on (\S+)/.exec(out)?.[1] as string;
      const seededKey = /DAILY_API_KEY=(\S+)/.exec(block.body)?.[1] as string;
      const r = await fetch(`${url}/v1/`, { headers: { Authorization: `Bearer ${seededKey}` } });
      expect(await r.json()).toMatchObject({
        domain_name: 'acme-dev',
        domain_id: '6a1e0000-0000-4000-8000-000000000002',
      });
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});

describe('README command lines', () => {
  const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    workspaces: string[];
  };
  const workspaces = new Map(
    rootPkg.workspaces.map((w) => {
      const p = JSON.parse(readFileSync(join(ROOT, w, 'package.json'), 'utf8')) as {
        name: string;
        scripts?: Record<string, string>;
      };
      return [p.name, p.scripts ?? {}] as const;
    }),
  );
  const projects = [...readFileSync(join(ROOT, 'vitest.config.ts'), 'utf8').matchAll(/name: [`'](\w+)[:$`']/g)].map(
    (m) => m[1],
  );
  const helps = new Map<string, string>();
  const helpOf = async (words: string[]) => {
    const k = words.join(' ');
    if (!helps.has(k)) {
      const { stdout } = await exec(process.execPath, [BIN, ...words, '--help'], { cwd: scratch, env: env() });
      helps.set(k, stdout);
    }
    return helps.get(k) as string;
  };

  /** Checks one command (no `&&`, no comment); returns what is wrong, or nothing. */
  async function check(command: string): Promise<string | undefined> {
    const words = command.trim().split(/\s+/);
    const [first, second] = words;
    if (first === 'export' || first === 'source') return checkInner(command);
    if (first === '.ci/with-node') {
      if (!(statSync(join(ROOT, first)).mode & 0o111)) return `${first} is not executable`;
      return check(words.slice(2).join(' '));
    }
    if (first === 'npm') {
      const ws = words.includes('-w') ? words[words.indexOf('-w') + 1] : undefined;
      if (second === 'install' || second === 'i') {
        for (const name of words.slice(2).filter((w) => !w.startsWith('-')))
          if (!workspaces.has(name.replace(/@[^@/]*$/, '').replace(/^$/, name))) return `no workspace package ${name}`;
        return undefined;
      }
      if (second === 'ci') return existsSync(join(ROOT, 'package-lock.json')) ? undefined : 'no package-lock.json';
      const script = second === 'run' ? words[2] : second;
      const scripts = ws ? workspaces.get(ws) : rootPkg.scripts;
      if (!scripts) return `no workspace ${ws}`;
      return script && scripts[script] ? undefined : `no script ${script}${ws ? ` in ${ws}` : ''}`;
    }
    if (first === 'npx' && second === 'vitest') {
      const project = words[words.indexOf('--project') + 1];
      return projects.includes(project) ? undefined : `no vitest project ${project} (have ${projects.join(', ')})`;
    }
    if ((first === 'npx' && second === 'daily-tokens') || first === 'daily-tokens') {
      const rest = words.slice(first === 'npx' ? 2 : 1);
      const end = rest.findIndex((w) => /^[|>&;<]/.test(w) || w.startsWith('"$'));
      const args = (end === -1 ? rest : rest.slice(0, end)).map((w) => w.replace(/^\[|\]$/g, ''));
      const path = args.filter((w, i) => !w.startsWith('-') && !w.startsWith('<') && !args[i - 1]?.startsWith('--'));
      const sub = path.filter((w) => /^[a-z]+$/.test(w)).slice(0, 2);
      const flags = args.filter((w) => w.startsWith('--') && w !== '--help');
      let help = await helpOf(sub.slice(0, 1));
      if (sub[1] && help.includes(`  ${sub[1]}`)) help = await helpOf(sub);
      for (const f of flags)
        if (!help.includes(f.split('=')[0] as string)) return `daily-tokens ${sub.join(' ')} has no ${f}`;
      return undefined;
    }
    return `no check for: ${command}`;
  }
  async function checkInner(command: string): Promise<string | undefined> {
    const inner = /<\((.*)\)/.exec(command)?.[1] ?? /\$\((.*)\)/.exec(command)?.[1];
    if (!inner) return undefined;
    if (inner.startsWith('node -e')) return undefined;
    return check(inner);
  }

  it.each(ofKind('commands').map((b) => [where(b), b] as const))('%s', async (_where, b) => {
    await exec('bash', ['-n', '-c', b.body]);
    const problems: string[] = [];
    for (const raw of b.body.split('\n')) {
      const line = raw
        .replace(/\s+#.*$/, '')
        .replace(/^#.*$/, '')
        .replace(/\s*&$/, '')
        .trim();
      if (!line) continue;
      for (const part of line.split('&&')) {
        const problem = await check(part.trim());
        if (problem) problems.push(`${part.trim()}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the CLI README's layout names files that exist", () => {
    const [block] = ofKind('layout') as [Block];
    const missing = block.body
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[0] as string)
      .filter((p) => !existsSync(join(ROOT, 'packages/cli', p)));
    expect(missing).toEqual([]);
  });
});

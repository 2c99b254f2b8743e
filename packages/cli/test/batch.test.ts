import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { verifyMeetingToken } from 'daily-tokens';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, baseEnv, ensureBuilt, KEY, KEY_ENV, NOW_ISO, NOW_S, payloadOf, runCli } from './helpers.js';

beforeAll(ensureBuilt, 180_000);

const dir = mkdtempSync(join(tmpdir(), 'cli-batch-'));
const lines = (s: string) => s.trimEnd().split('\n');

describe('create --batch', () => {
  it('NDJSON: tokens in input order, bad rows reported by line without stopping the good ones, exit 1', async () => {
    const file = join(dir, 'rows.ndjson');
    writeFileSync(
      file,
      [
        '{"room_name":"a","user_name":"Ada"}',
        '{"room_name":"b"',
        '',
        '{"user_name":"no room"}',
        '[1]',
        '{"room_name":"c","lang":"xx"}',
        '{"room_name":"d","permissions":{"canSend":["video"]}}',
      ].join('\n'),
    );
    const r = await runCli(['create', '--batch', file, '--now', NOW_ISO], { env: KEY_ENV });
    expect(r.code).toBe(1);
    const out = lines(r.stdout).map((l) => JSON.parse(l) as { token?: string; line?: number; error?: string });
    expect(out.map((o) => o.line ?? payloadOf(o.token as string).r)).toEqual(['a', 2, 4, 5, 6, 'd']);
    expect(out[1]?.error).toContain('not valid JSON');
    expect(out[2]?.error).toContain('room_name is missing');
    expect(out[4]?.error).toContain('lang "xx" is not one of');
    expect(payloadOf(out[5]?.token as string)).toMatchObject({ p: { cs: 'v' }, iat: NOW_S, exp: NOW_S + 3600 });
    const verified = await verifyMeetingToken(out[0]?.token as string, { apiKey: KEY, now: new Date(NOW_S * 1000) });
    expect(verified.valid).toBe(true);
    for (const n of [2, 4, 5, 6]) expect(r.stderr).toContain(`line ${n}: `);
    expect(r.stderr).toContain('minted 2 tokens; 4 rows failed (lines 2, 4, 5, 6)');
  });

  it('CSV: header of property names, cells read by kind, flags as defaults; stdin with --format', async () => {
    const csv = [
      'room_name,user_name,is_owner,eject_after_elapsed,permissions',
      'a,Ada,true,1h,',
      'b,Bob,maybe,,',
      '"c,d",Cy,false,90s,"{""canAdmin"":[""participants""]}"',
      'e,short',
    ].join('\n');
    const file = join(dir, 'rows.csv');
    writeFileSync(file, csv);
    const r = await runCli(['create', '--batch', file, '--lang', 'de', '--now', NOW_ISO], { env: KEY_ENV });
    expect(r.code).toBe(1);
    const out = lines(r.stdout).map((l) => JSON.parse(l) as { token?: string; line?: number; error?: string });
    expect(out).toHaveLength(4);
    expect(payloadOf(out[0]?.token as string)).toMatchObject({ r: 'a', u: 'Ada', o: true, eje: 3600, uil: 'de' });
    expect(out[1]).toEqual({ line: 3, error: 'is_owner "maybe" is not a boolean; use true or false' });
    expect(payloadOf(out[2]?.token as string)).toMatchObject({ r: 'c,d', o: false, eje: 90, p: { ca: 'p' } });
    expect(out[3]?.line).toBe(5);

    const viaStdin = await runCli(['create', '--batch', '-', '--format', 'csv', '--now', NOW_ISO], {
      env: KEY_ENV,
      input: 'room_name\nx\ny\n',
    });
    expect(viaStdin.code).toBe(0);
    expect(lines(viaStdin.stdout).map((l) => payloadOf(JSON.parse(l).token).r)).toEqual(['x', 'y']);
  });

  it('a CSV header that names no property is a usage error before any row', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'room,user_name\nx,y\n');
    const r = await runCli(['create', '--batch', file], { env: KEY_ENV });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('CSV header: "room" is not a token property');
  });

  it('stops quietly when the reader closes the pipe (| head)', async () => {
    const file = join(dir, 'pipe.ndjson');
    writeFileSync(file, '{"room_name":"a"}\n'.repeat(20_000));
    const r = spawnSync(
      'bash',
      [
        '-c',
        `'${process.execPath}' '${BIN}' create --batch '${file}' | head -c 10 >/dev/null; echo "status=\${PIPESTATUS[0]}"`,
      ],
      {
        env: baseEnv(KEY_ENV),
        encoding: 'utf8',
      },
    );
    expect(r.stdout.trim()).toBe('status=0');
    expect(r.stderr).not.toContain('EPIPE');
  });

  it('options that contradict each other fail once, before any row', async () => {
    const file = join(dir, 'one.ndjson');
    writeFileSync(file, '{"room_name":"a"}\n');
    const r = await runCli(['create', '--batch', file, '--no-expiry', '--expires-in', '1h'], { env: KEY_ENV });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--expires-in and --no-expiry contradict each other');
  });

  it('a missing batch file is a usage error', async () => {
    const r = await runCli(['create', '--batch', join(dir, 'nope.ndjson')], { env: KEY_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file');
  });

  it('100 000 rows stream in constant memory, in order', async () => {
    const rowsOf = (n: number) => {
      const file = join(dir, `big-${n}.ndjson`);
      const pad = 'x'.repeat(80);
      const parts: string[] = [];
      for (let i = 0; i < n; i++)
        parts.push(`{"room_name":"r${i % 100}","user_id":"u-${i}","user_name":"User ${i} ${pad}"}\n`);
      writeFileSync(file, parts.join(''));
      return file;
    };
    const run = (file: string, n: number) => {
      const outFile = join(dir, `out-${n}.ndjson`);
      const fd = openSync(outFile, 'w');
      const started = Date.now();
      const r = spawnSync(process.execPath, [BIN, 'create', '--batch', file, '--now', NOW_ISO], {
        env: baseEnv({ ...KEY_ENV, DAILY_TOKENS_REPORT_MAXRSS: '1' }),
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
      });
      closeSync(fd);
      const rssKib = Number(/max-rss-kib: (\d+)/.exec(r.stderr)?.[1]);
      return { code: r.status, rssKib, ms: Date.now() - started, outFile, stderr: r.stderr };
    };
    const small = run(rowsOf(10_000), 10_000);
    const big = run(rowsOf(100_000), 100_000);
    expect(big.code, big.stderr).toBe(0);
    // Input ~16 MB, output ~33 MB: holding either would show, and so would garbage that reaches the old
    // generation with every row (the output once did: 100k rows peaked 12 MiB above 10k on Node 20).
    // Measured: ~4 MiB on Node 20, ~9 MiB on Node 24, whose heap grows in larger steps.
    expect(big.rssKib).toBeLessThan(100 * 1024);
    expect(big.rssKib - small.rssKib).toBeLessThan(11 * 1024);
    console.log(
      `batch: 100k rows in ${big.ms} ms, peak RSS ${Math.round(big.rssKib / 1024)} MiB (10k: ${Math.round(small.rssKib / 1024)} MiB)`,
    );

    let i = 0;
    for await (const line of createInterface({ input: createReadStream(big.outFile) })) {
      const claims = payloadOf((JSON.parse(line) as { token: string }).token);
      if (claims.ud !== `u-${i}`) throw new Error(`line ${i + 1} is out of order: ${String(claims.ud)}`);
      i++;
    }
    expect(i).toBe(100_000);
  });

  it('shows a progress bar with rate and ETA when stderr is a terminal, none on a pipe', async () => {
    const file = join(dir, 'progress.ndjson');
    writeFileSync(file, '{"room_name":"a"}\n'.repeat(2000));
    const outFile = join(dir, 'progress.out');
    // `script` gives the CLI a pseudo-terminal; stdout still goes to a file.
    const cmd = `'${process.execPath}' '${BIN}' create --batch '${file}' > '${outFile}'`;
    const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { env: baseEnv(KEY_ENV), encoding: 'utf8' });
    expect(tty.status, tty.stdout).toBe(0);
    expect(tty.stdout).toMatch(/100% \| 2000 rows, 0 failed \| \d+ rows\/s \| ETA/);
    expect(readFileSync(outFile, 'utf8').split('\n').filter(Boolean)).toHaveLength(2000);
    const piped = await runCli(['create', '--batch', file], { env: KEY_ENV });
    expect(piped.stderr).not.toContain('ETA');
  });
});

// npm run bench:service [-- --quick] [-- --cpu-prof] [-- --rounds 3 --seconds 8 --connections 100]
//
// The token service against its floors and against what apps write, in one run: every server is its own
// process on 127.0.0.1, the load is autocannon in its own process, and the rounds are interleaved (each round
// loads every case once, in a rotated order), so the drift of a shared machine hits every case alike. Ratios
// are medians of per-round ratios. Postgres + Redis rows run when both answer (own schema and key prefix,
// dropped afterwards). Writes bench/results/service.json and the README table between
// <!-- bench-service:start --> and <!-- bench-service:end -->.
//
// --cpu-prof: the daily-tokens servers run with node --cpu-prof; a summary of where their time went is printed
// and saved beside the results (profiles in bench/results/profiles/, not committed).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback;
};
const QUICK = flag('quick');
const PROFILE = flag('cpu-prof');
const ROUNDS = option('rounds', QUICK ? 2 : 3);
const SECONDS = option('seconds', QUICK ? 3 : 8);
const WARMUP_SECONDS = QUICK ? 1 : 2;
const CONNECTIONS = option('connections', 100);
for (const [name, v] of Object.entries({ ROUNDS, SECONDS, CONNECTIONS })) {
  if (!Number.isInteger(v) || v < 1 || v > 1000) throw new Error(`--${name.toLowerCase()} must be an integer 1–1000`);
}

// --table: write the README table again from bench/results/service.json, without measuring
if (flag('table')) {
  writeReadme(markdown(JSON.parse(readFileSync(join(root, 'bench/results/service.json'), 'utf8'))));
  process.exit(0);
}

const KEY = randomBytes(32).toString('hex');
const DOMAIN = '25df5057-ef0d-4d97-bde6-0cf287276cbb';
const MASTER = randomBytes(32).toString('hex');
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Far above what the load reaches, so limiting is on and costs what it costs, but never refuses. */
const RATE_LIMIT = '1000000/1s';
const body = JSON.stringify({
  properties: { room_name: 'standup', user_name: 'Ada', is_owner: false, exp: Math.floor(Date.now() / 1000) + 1800 },
});
const BIN = join(root, 'packages/cli/bin/daily-tokens.js');
const AUTOCANNON = join(root, 'node_modules/autocannon/autocannon.js');
const tmp = mkdtempSync(join(os.tmpdir(), 'dt-bench-service-'));
const profileDir = join(root, 'bench/results/profiles');

const children = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

/** Starts a server process; resolves with its URL once it prints "listening on". */
function startServer(name, args, env, nodeFlags = []) {
  return new Promise((resolve, reject) => {
    const out = [];
    const child = spawn('nice', ['-n', '-10', process.execPath, ...nodeFlags, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    // stderr (the service's logs) is drained as a log shipper would, counting its bytes
    const chunks = [];
    let logged = 0;
    child.stderr.on('data', (d) => {
      logged += d.length;
      if (chunks.length < 50) chunks.push(d);
    });
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${out.join('')}`)), 30_000);
    child.stdout.on('data', (d) => {
      out.push(String(d));
      const m = /listening on (http:\/\/\S+)/.exec(out.join(''));
      if (m) {
        clearTimeout(timer);
        resolve({
          name,
          url: m[1],
          child,
          logBytes: () => logged,
          logSample: () => Buffer.concat(chunks).toString().split('\n').slice(0, 3),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${out.join('')}\n${Buffer.concat(chunks)}`));
    });
  });
}

/** The child's pid under `nice` (nice execs node, so it is the same process). */
const rssMb = (pid) => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
};

/** One autocannon run in its own process; samples the server's RSS meanwhile. */
function load(server, c, seconds) {
  const args = [
    AUTOCANNON,
    '-j',
    '-c',
    String(CONNECTIONS),
    '-d',
    String(seconds),
    '-H',
    `authorization=Bearer ${KEY}`,
  ];
  if (c.method === 'POST') args.push('-m', 'POST', '-H', 'content-type=application/json', '-b', body);
  args.push(`${server.url}${c.path}`);
  return new Promise((resolve, reject) => {
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(server.child.pid) ?? 0);
    }, 200);
    // autocannon takes the header with the key on argv: a throwaway key of this run, never a real one
    const child = spawn('nice', ['-n', '-10', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.once('exit', (code) => {
      clearInterval(sampler);
      if (code !== 0) return reject(new Error(`autocannon failed (${code}): ${err}`));
      const r = JSON.parse(out);
      resolve({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
        requests: r.requests.total,
        rssMb: peak,
      });
    });
  });
}

const reachable = (host, port) =>
  new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 1000 }, () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });

async function pgQuery(sql) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// ---- servers
const serveEnv = (extra) => ({
  DAILY_API_KEY: KEY,
  DAILY_DOMAIN_ID: DOMAIN,
  DAILY_TOKENS_MASTER_KEY: MASTER,
  DAILY_TOKENS_RATE_LIMIT: RATE_LIMIT,
  ...extra,
});
const profFlags = (name) =>
  PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
if (PROFILE) {
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
}

const benchEnv = { BENCH_KEY: KEY, BENCH_DOMAIN: DOMAIN };
const specs = [
  { name: 'floor', args: [join(root, 'bench/service/floor.mjs')], env: benchEnv },
  // the floors again, answering in the check phase as the service's fast path does: a reference, not a target
  // (left out of --quick, which measures the targets only)
  ...(QUICK
    ? []
    : [
        {
          name: 'floor-check',
          args: [join(root, 'bench/service/floor.mjs')],
          env: { ...benchEnv, BENCH_ANSWER: 'check' },
        },
      ]),
  { name: 'express', args: [join(root, 'bench/service/express.mjs')], env: benchEnv },
  {
    name: 'sqlite-info',
    args: [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', join(tmp, 'info')],
    env: serveEnv({ DAILY_TOKENS_LOG_LEVEL: 'info' }),
    profile: true,
  },
  {
    name: 'sqlite-warn',
    args: [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', join(tmp, 'warn')],
    env: serveEnv({ DAILY_TOKENS_LOG_LEVEL: 'warn' }),
  },
];
const pgSchema = `bench_service_${randomBytes(4).toString('hex')}`;
const redisPrefix = `bench-service-${randomBytes(4).toString('hex')}:`;
const scaleOut = (await reachable('127.0.0.1', 5432)) && (await reachable('127.0.0.1', 6379));
if (scaleOut) {
  specs.push({
    name: 'pg-redis-info',
    args: [BIN, 'serve', '--port', '0', '--host', '127.0.0.1'],
    env: serveEnv({
      DAILY_TOKENS_LOG_LEVEL: 'info',
      DATABASE_URL: PG_URL,
      DAILY_TOKENS_DB_SCHEMA: pgSchema,
      REDIS_URL,
      DAILY_TOKENS_REDIS_PREFIX: redisPrefix,
    }),
    profile: true,
  });
}

async function cleanupScaleOut() {
  if (!scaleOut) return;
  try {
    await pgQuery(`drop schema if exists ${pgSchema} cascade`);
  } catch (e) {
    console.error(`could not drop schema ${pgSchema}: ${e.message}`);
  }
  try {
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  } catch (e) {
    console.error(`could not remove Redis keys ${redisPrefix}*: ${e.message}`);
  }
}

const servers = {};
try {
  for (const s of specs) servers[s.name] = await startServer(s.name, s.args, s.env, s.profile ? profFlags(s.name) : []);

  // a token for the GET cases, minted by the service and checked by the floor: everyone validates the same one
  const minted = await fetch(`${servers['sqlite-info'].url}/v1/meeting-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body,
  });
  if (minted.status !== 200) throw new Error(`mint failed: ${minted.status} ${await minted.text()}`);
  const { token } = await minted.json();
  const getPath = `/v1/meeting-tokens/${token}`;
  for (const s of Object.values(servers)) {
    if (s.name === 'express') continue;
    const r = await fetch(`${s.url}${getPath}`, { headers: { authorization: `Bearer ${KEY}` } });
    if (r.status !== 200) throw new Error(`${s.name} refuses the bench token: ${r.status} ${await r.text()}`);
  }

  let cases = [
    {
      id: 'floor-sign',
      server: 'floor',
      method: 'POST',
      path: '/v1/meeting-tokens',
      label: 'node:http + JSON.parse + hand-rolled HS256 sign (the minting floor)',
    },
    {
      id: 'floor-sign-check',
      server: 'floor-check',
      method: 'POST',
      path: '/v1/meeting-tokens',
      label: 'the minting floor answering in the check phase, as the service does (reference)',
    },
    {
      id: 'express',
      server: 'express',
      method: 'POST',
      path: '/v1/meeting-tokens',
      label: 'Express 5 + jsonwebtoken, string secret (what apps write)',
    },
    {
      id: 'serve-post',
      server: 'sqlite-info',
      method: 'POST',
      path: '/v1/meeting-tokens',
      label: '`daily-tokens serve`, SQLite, default settings (log info, rate limit on)',
      floor: 'floor-sign',
      checkFloor: 'floor-sign-check',
    },
    {
      id: 'serve-post-warn',
      server: 'sqlite-warn',
      method: 'POST',
      path: '/v1/meeting-tokens',
      label: 'the same at `DAILY_TOKENS_LOG_LEVEL=warn`',
      floor: 'floor-sign',
      checkFloor: 'floor-sign-check',
    },
    {
      id: 'floor-verify',
      server: 'floor',
      method: 'GET',
      path: getPath,
      label: 'node:http + hand-rolled verify (the validation floor)',
    },
    {
      id: 'floor-verify-check',
      server: 'floor-check',
      method: 'GET',
      path: getPath,
      label: 'the validation floor answering in the check phase (reference)',
    },
    {
      id: 'serve-get',
      server: 'sqlite-info',
      method: 'GET',
      path: getPath,
      label: '`GET /v1/meeting-tokens/:token`, SQLite, default settings',
      floor: 'floor-verify',
      checkFloor: 'floor-verify-check',
    },
    {
      id: 'serve-get-warn',
      server: 'sqlite-warn',
      method: 'GET',
      path: getPath,
      label: 'the same at log level warn',
      floor: 'floor-verify',
      checkFloor: 'floor-verify-check',
    },
  ];
  if (scaleOut) {
    cases.push(
      {
        id: 'pg-post',
        server: 'pg-redis-info',
        method: 'POST',
        path: '/v1/meeting-tokens',
        label: '`POST`, Postgres + Redis, default settings',
        floor: 'floor-sign',
        checkFloor: 'floor-sign-check',
      },
      {
        id: 'pg-get',
        server: 'pg-redis-info',
        method: 'GET',
        path: getPath,
        label: '`GET /:token`, Postgres + Redis, default settings',
        floor: 'floor-verify',
        checkFloor: 'floor-verify-check',
      },
    );
  }

  // --quick: the targets only, without the check-phase reference floors
  if (QUICK) {
    cases = cases.filter((c) => c.server !== 'floor-check');
    for (const c of cases) delete c.checkFloor;
  }
  const started = Date.now();
  console.log(
    `${cases.length} cases × ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections${scaleOut ? '' : ' (Postgres + Redis not reachable: no scale-out rows)'}`,
  );
  for (const c of cases) await load(servers[c.server], c, WARMUP_SECONDS);
  const samples = Object.fromEntries(cases.map((c) => [c.id, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(i + r) % cases.length];
      const s = await load(servers[c.server], c, SECONDS);
      samples[c.id].push(s);
      process.stdout.write(
        `  round ${r + 1} ${c.id.padEnd(16)} ${Math.round(s.rps).toString().padStart(6)} req/s p99 ${s.p99} ms\n`,
      );
    }
  }

  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const rows = cases.map((c) => {
    const xs = samples[c.id];
    const row = {
      id: c.id,
      label: c.label,
      rps: Math.round(median(xs.map((x) => x.rps))),
      p99Ms: median(xs.map((x) => x.p99)),
      rssMb: Math.round(Math.max(...xs.map((x) => x.rssMb))),
      non2xx: xs.reduce((a, x) => a + x.non2xx, 0),
      errors: xs.reduce((a, x) => a + x.errors, 0),
      requests: xs.reduce((a, x) => a + x.requests, 0),
    };
    const vs = (other) => Number(median(xs.map((x, i) => x.rps / samples[other][i].rps)).toFixed(2));
    if (c.floor) row.vsFloor = vs(c.floor);
    if (c.checkFloor) row.vsCheckFloor = vs(c.checkFloor);
    if (c.method === 'POST' && c.floor) {
      row.vsExpress = Number(median(xs.map((x, i) => x.rps / samples.express[i].rps)).toFixed(1));
      row.p99VsFloor = Number(median(xs.map((x, i) => x.p99 / Math.max(1, samples[c.floor][i].p99))).toFixed(1));
    }
    return row;
  });
  const requestsLogged = rows
    .filter((r) => r.id === 'serve-post' || r.id === 'serve-get')
    .reduce((a, r) => a + r.requests, 0);
  const logBytes = servers['sqlite-info'].logBytes();
  const version = (p) => JSON.parse(readFileSync(join(root, 'node_modules', p, 'package.json'), 'utf8')).version;
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model.trim()} (${os.cpus().length} cores), ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    versions: {
      fastify: version('fastify'),
      express: version('express'),
      jsonwebtoken: version('jsonwebtoken'),
      autocannon: version('autocannon'),
    },
    settings: {
      rounds: ROUNDS,
      seconds: SECONDS,
      connections: CONNECTIONS,
      rateLimit: RATE_LIMIT,
      quick: QUICK,
      cpuProf: PROFILE,
    },
    logBytesPerRequest: requestsLogged > 0 ? Math.round(logBytes / requestsLogged) : undefined,
    logSample: servers['sqlite-info'].logSample(),
    rows,
    seconds: Math.round((Date.now() - started) / 1000),
  };

  // ---- profiles: stop the profiled servers cleanly (the profile is written at exit), then summarise
  if (PROFILE) {
    for (const s of specs.filter((x) => x.profile)) {
      const child = servers[s.name].child;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    result.profiles = {};
    for (const s of specs.filter((x) => x.profile)) {
      const file = join(profileDir, `${s.name}.cpuprofile`);
      if (existsSync(file)) result.profiles[s.name] = summariseProfile(JSON.parse(readFileSync(file, 'utf8')));
    }
  }

  writeFileSync(join(root, 'bench/results/service.json'), `${JSON.stringify(result, null, 2)}\n`);
  const table = markdown(result);
  writeReadme(table);
  console.log(`\n${table}`);
  if (result.profiles) {
    for (const [name, p] of Object.entries(result.profiles)) {
      console.log(`\n${name}: where the time went (self time, share of ${p.busyMs} ms busy)`);
      for (const [k, v] of Object.entries(p.byArea)) console.log(`  ${k.padEnd(28)} ${v}%`);
      console.log('  top functions:');
      for (const f of p.top) console.log(`    ${String(f.pct).padStart(5)}%  ${f.fn}`);
    }
  }
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await cleanupScaleOut();
}

function writeReadme(table) {
  const readmeFile = join(root, 'README.md');
  const readme = readFileSync(readmeFile, 'utf8');
  const re = /(<!-- bench-service:start -->\n)[\s\S]*?(<!-- bench-service:end -->)/;
  if (re.test(readme)) writeFileSync(readmeFile, readme.replace(re, `$1${table}\n$2`));
  else
    console.error(
      'README.md has no <!-- bench-service:start --> … <!-- bench-service:end --> block; table not written',
    );
}

/** The issue's targets, judged on the rows of this run. */
function targets(r) {
  const row = (id) => r.rows.find((x) => x.id === id);
  const out = [];
  const add = (what, value, goal, met) => out.push(`| ${what} | ${value} | ${goal} | ${met ? 'met' : '**not met**'} |`);
  const post = row('serve-post');
  const get = row('serve-get');
  if (post) {
    add('POST vs the minting floor', `${post.vsFloor}×`, '≥ 0.8×', post.vsFloor >= 0.8);
    add('POST vs Express + jsonwebtoken', `${post.vsExpress}×`, '≥ 5×', post.vsExpress >= 5);
    add('POST p99 vs the floor’s p99', `${post.p99VsFloor}×`, '≤ 2×', post.p99VsFloor <= 2);
  }
  if (get) add('GET vs the validation floor', `${get.vsFloor}×`, '≥ 0.8×', get.vsFloor >= 0.8);
  for (const id of ['pg-post', 'pg-get']) {
    const x = row(id);
    if (x)
      add(
        `${id === 'pg-post' ? 'POST' : 'GET'}, Postgres + Redis, vs the floor`,
        `${x.vsFloor}×`,
        '≥ 0.6×',
        x.vsFloor >= 0.6,
      );
  }
  const served = r.rows.filter((x) => x.id.startsWith('serve') || x.id.startsWith('pg'));
  const rss = Math.max(...served.map((x) => x.rssMb));
  add('service RSS under load (max)', `${rss} MB`, '< 150 MB', rss < 150);
  const bad = served.reduce((a, x) => a + x.non2xx + x.errors, 0);
  add('non-2xx and errors', String(bad), '0', bad === 0);
  return ['', '| Target | Measured | Goal | |', '|---|---:|---:|---|', ...out];
}

function markdown(r) {
  const fmt = (n) => n.toLocaleString('en-US');
  const lines = [
    `Measured ${r.date.slice(0, 10)} on ${r.machine}, Node ${r.node}, Fastify ${r.versions.fastify}, Express ${r.versions.express}, jsonwebtoken ${r.versions.jsonwebtoken}; autocannon ${r.versions.autocannon} (its own process, same cores), ${r.settings.connections} connections, ${r.settings.rounds} interleaved rounds of ${r.settings.seconds} s${r.settings.quick ? ' (`--quick`)' : ''}; rate limit on at ${r.settings.rateLimit}; \`npm run bench:service\`, raw numbers in \`bench/results/service.json\`. Ratios are medians of per-round ratios.`,
    '',
    '| server | req/s (median) | vs floor | vs check-phase floor | vs Express | p99 | RSS | non-2xx / errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of r.rows) {
    lines.push(
      `| ${row.label} | ${fmt(row.rps)} | ${row.vsFloor !== undefined ? `${row.vsFloor}×` : ''} | ${row.vsCheckFloor !== undefined ? `${row.vsCheckFloor}×` : ''} | ${row.vsExpress !== undefined ? `${row.vsExpress}×` : ''} | ${row.p99Ms} ms | ${row.rssMb} MB | ${row.non2xx} / ${row.errors} |`,
    );
  }
  lines.push(...targets(r));
  lines.push(
    '',
    'The service’s fast path answers in the event loop’s check phase, after the poll phase has read every ready request (`http/fast-path.ts`); the floors as the issue defines them answer at once. The check-phase floors do the floors’ work with the service’s scheduling, so the “vs check-phase floor” column is what the service’s own work costs.',
  );
  if (r.settings.cpuProf)
    lines.push(
      '',
      'Run with `--cpu-prof`: the profiled servers (SQLite at info, Postgres + Redis) are slower and their RSS includes the profiler’s buffers.',
    );
  if (r.logBytesPerRequest !== undefined)
    lines.push('', `Log at info: ${r.logBytesPerRequest} bytes per request (one JSON line).`);
  return lines.join('\n');
}

/**
 * Self time by area (our code, core, Fastify, pino, Node internals, GC) and the top functions, as shares of the
 * busy time (idle left out: the process also waits while the other cases run).
 */
function summariseProfile(profile) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const area = (url, fn) => {
    if (fn === '(garbage collector)') return 'GC';
    if (fn === '(idle)' || fn === '(program)') return fn;
    if (url.includes('/packages/server/')) return 'server (packages/server)';
    if (url.includes('/packages/core/')) return 'core (daily-tokens)';
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (m) return m[1];
    if (url.startsWith('node:')) return 'node: internals';
    return url ? 'other' : 'native / VM';
  };
  const areas = new Map();
  const fns = new Map();
  let total = 0;
  for (const [id, t] of self) {
    const n = byId.get(id);
    const { functionName, url, lineNumber } = n.callFrame;
    const a = area(url, functionName);
    if (a === '(idle)') continue;
    areas.set(a, (areas.get(a) ?? 0) + t);
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|packages)\//, '$1/')}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + t);
    total += t;
  }
  const pct = (t) => Math.round((t / total) * 1000) / 10;
  return {
    busyMs: Math.round(total / 1000),
    byArea: Object.fromEntries(
      [...areas]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([k, v]) => [k, pct(v)]),
    ),
    top: [...fns]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([fn, t]) => ({ fn, pct: pct(t) })),
  };
}

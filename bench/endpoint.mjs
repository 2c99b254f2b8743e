// Benchmarks the token endpoint over real HTTP on 127.0.0.1: daily-tokens/endpoint on node:http and on
// Bun.serve, against the guides' Express + jsonwebtoken route and a bare hand-rolled HS256 floor on
// each runtime. Each server is its own process; autocannon loads one at a time, in interleaved rounds,
// and a ratio is the median of the per-round ratios, so drift on a shared machine hits both sides alike.
// Usage: npm run build -w daily-tokens && node bench/endpoint.mjs [--quick] [--rounds 5 --seconds 3 --connections 50]
//        [--cases endpoint-node,floor-node] (a subset, not written to bench/results or the README)
//        [--table] (write the README table again from bench/results/endpoint.json, without measuring)
// `npm run bench:service` runs it after bench/service.mjs. Writes bench/results/endpoint.json and the README
// table between <!-- bench-endpoint:start --> and <!-- bench-endpoint:end -->.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { verifyMeetingToken } from 'daily-tokens';

const args = new Map(
  process.argv.slice(2).flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
);
const KNOWN = ['quick', 'table', 'rounds', 'seconds', 'connections', 'cases'];
for (const name of args.keys()) {
  if (!KNOWN.includes(name)) {
    console.error(`bench/endpoint.mjs has no --${name}; it takes --${KNOWN.join(', --')}`);
    process.exit(2);
  }
}
const QUICK = args.has('quick');
const ROUNDS = Number(args.get('rounds') ?? (QUICK ? 3 : 5));
const SECONDS = Number(args.get('seconds') ?? (QUICK ? 1.5 : 3));
const CONNECTIONS = Number(args.get('connections') ?? 50);
for (const [name, v] of Object.entries({ rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS })) {
  if (!(v > 0 && v <= 1000) || (name !== 'seconds' && !Number.isInteger(v))) {
    console.error(`--${name} must be a ${name === 'seconds' ? 'number' : 'whole number'} from 1 to 1000`);
    process.exit(2);
  }
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = `${ROOT}bench/results/endpoint.json`;
const README = `${ROOT}README.md`;

// --table: the README table again from the last full run, without measuring.
if (args.has('table')) {
  writeReadme(markdown(JSON.parse(readFileSync(RESULTS, 'utf8'))));
  process.exit(0);
}
const SERVER = fileURLToPath(new URL('./endpoint/server.mjs', import.meta.url));
const env = {
  ...process.env,
  DAILY_API_KEY: 'bench-domain-api-key-0123456789abcdef0123456789abcdef',
  DAILY_DOMAIN_ID: '25df5057-ef0d-4d97-bde6-0cf287276cbb',
  NODE_ENV: 'production',
};
const bun = `${ROOT}node_modules/.bin/bun`;
const ALL_CASES = {
  'endpoint-node': [process.execPath, SERVER, 'endpoint-node'],
  'floor-node': [process.execPath, SERVER, 'floor-node'],
  // a reference, not a target: the floor with the endpoint's scheduling (answers written in the check phase)
  'floor-node-check': [process.execPath, SERVER, 'floor-node-check'],
  'express-jsonwebtoken': [process.execPath, SERVER, 'express-jsonwebtoken'],
  'endpoint-bun': [bun, SERVER, 'endpoint-bun'],
  'floor-bun': [bun, SERVER, 'floor-bun'],
};
// --cases a,b runs a subset (for working on one side); the ratios need all six.
// --quick leaves out the reference floor (no target rests on it)
const CASES = args.has('cases')
  ? Object.fromEntries(
      args
        .get('cases')
        .split(',')
        .map((n) => [n, ALL_CASES[n]]),
    )
  : Object.fromEntries(Object.entries(ALL_CASES).filter(([n]) => !(QUICK && n === 'floor-node-check')));
const REQUEST = {
  method: 'POST',
  path: '/api/daily-token',
  headers: { 'content-type': 'application/json', cookie: 'session=session-ada', origin: 'http://127.0.0.1' },
  body: JSON.stringify({ room: 'standup' }),
};

function start(name, [command, ...argv]) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 20_000);
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ name, child, url: m[1] });
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

/** One answer from each server, checked: the same job, a token that verifies. */
async function check(server) {
  const origin = server.url;
  const r = await fetch(`${server.url}${REQUEST.path}`, {
    method: 'POST',
    headers: { ...REQUEST.headers, origin },
    body: REQUEST.body,
  });
  const body = await r.json();
  const verdict = await verifyMeetingToken(body.token, {
    apiKey: env.DAILY_API_KEY,
    domainId: env.DAILY_DOMAIN_ID,
    roomName: 'standup',
  });
  if (r.status !== 200 || !verdict.valid)
    throw new Error(`${server.name} answered ${r.status} ${JSON.stringify(body)}`);
}

function load(server, seconds) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: server.url,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [{ ...REQUEST, headers: { ...REQUEST.headers, origin: server.url } }],
      },
      (error, result) => {
        if (error) return reject(error);
        if (result.non2xx > 0 || result.errors > 0) {
          return reject(new Error(`${server.name}: ${result.non2xx} non-2xx, ${result.errors} errors`));
        }
        resolve({ rps: result.requests.average, p99: result.latency.p99 });
      },
    );
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const servers = [];
// The machine is shared: the load when the run starts says how far to trust it.
const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
try {
  for (const [name, command] of Object.entries(CASES)) servers.push(await start(name, command));
  for (const server of servers) await check(server);
  for (const server of servers) await load(server, 1); // warm-up: JIT, connections
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const results = {};
    // Rotate the order each round, so no case always runs first or last.
    const order = servers.map((_, i) => servers[(i + round) % servers.length]);
    for (const server of order) results[server.name] = await load(server, SECONDS);
    rounds.push(results);
    console.error(
      `round ${round + 1}/${ROUNDS}: ${Object.entries(results)
        .map(([n, r]) => `${n} ${Math.round(r.rps)}/s`)
        .join(', ')}`,
    );
  }
  const ratio = (a, b) => (a in CASES && b in CASES ? median(rounds.map((r) => r[a].rps / r[b].rps)) : Number.NaN);
  const summary = Object.fromEntries(
    Object.keys(CASES).map((name) => [
      name,
      {
        rps: Math.round(median(rounds.map((r) => r[name].rps))),
        p99_ms: median(rounds.map((r) => r[name].p99)),
      },
    ]),
  );
  const ratios = {
    'endpoint-node / express-jsonwebtoken': { value: ratio('endpoint-node', 'express-jsonwebtoken'), target: 5 },
    'endpoint-bun / express-jsonwebtoken': { value: ratio('endpoint-bun', 'express-jsonwebtoken'), target: 5 },
    'endpoint-node / floor-node': { value: ratio('endpoint-node', 'floor-node'), target: 0.8 },
    'endpoint-bun / floor-bun': { value: ratio('endpoint-bun', 'floor-bun'), target: 0.8 },
    'endpoint-node / floor-node-check': { value: ratio('endpoint-node', 'floor-node-check') },
  };
  for (const r of Object.values(ratios)) {
    r.value = Math.round(r.value * 100) / 100;
    if (r.target !== undefined) r.met = r.value >= r.target;
  }
  const out = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      node: process.version,
      bun: await versionOf(bun),
      loadAverage: { atStart: loadAtStart, atEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    },
    method: { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, quick: QUICK, tool: 'autocannon' },
    results: summary,
    ratios,
  };
  if (!args.has('cases')) {
    mkdirSync(`${ROOT}bench/results`, { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify(out, null, 2)}\n`);
  }
  console.log(JSON.stringify({ results: summary, ratios }, null, 2));
  const table = markdown(out);
  console.log(`\n${table}`);
  if (!args.has('cases')) writeReadme(table);
} finally {
  for (const s of servers) s.child.kill();
}

function versionOf(command) {
  return new Promise((resolve) => {
    const child = spawn(command, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.once('error', () => resolve(undefined));
    child.once('exit', () => resolve(out.trim() || undefined));
  });
}

/** The README's block: how it was measured, then the table, from one run's results. */
function markdown(r) {
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const ms = (n) => `${Math.round(n * 10) / 10} ms`;
  const x = (key) => {
    const ratio = r.ratios[key];
    return ratio && Number.isFinite(ratio.value)
      ? `${ratio.value.toFixed(2)}×${ratio.met === false ? ' (**not met**)' : ''}`
      : '';
  };
  const rows = [
    [
      'daily-tokens/endpoint/node on node:http',
      'endpoint-node',
      x('endpoint-node / express-jsonwebtoken'),
      [x('endpoint-node / floor-node'), x('endpoint-node / floor-node-check')]
        .map((v, i) => (i === 1 && v ? `${v} the check-phase floor` : v))
        .filter(Boolean)
        .join('; '),
    ],
    [
      'daily-tokens/endpoint on Bun.serve',
      'endpoint-bun',
      x('endpoint-bun / express-jsonwebtoken'),
      x('endpoint-bun / floor-bun'),
    ],
    ['floor, node:http', 'floor-node', '', ''],
    ['floor, node:http, answering in the check phase as the endpoint does (reference)', 'floor-node-check', '', ''],
    ['floor, Bun.serve', 'floor-bun', '', ''],
    ['Express + express.json() + jsonwebtoken (string secret)', 'express-jsonwebtoken', '1×', ''],
  ];
  const { machine: m, method } = r;
  return [
    `Measured ${r.date.slice(0, 10)} on ${m.cpus} cores (${m.model}), Node ${m.node}${m.bun ? `, Bun ${m.bun}` : ''}${m.loadAverage ? `; load average ${m.loadAverage.atStart[0]} at the start, ${m.loadAverage.atEnd[0]} at the end` : ''}; ${method.rounds} interleaved rounds of ${method.seconds} s, ${method.connections} connections${method.quick ? ' (`--quick`)' : ''}; raw numbers in \`bench/results/endpoint.json\`. Targets: ≥ 5× Express + jsonwebtoken and ≥ 0.80× the floor on the same runtime; ratios are medians of per-round ratios.`,
    '',
    '| Server | median req/s | p99 | × Express + jsonwebtoken | × floor, same runtime |',
    '|---|---:|---:|---:|---:|',
    ...rows
      .filter(([, id]) => r.results[id])
      .map(
        ([label, id, vsExpress, vsFloor]) =>
          `| ${label} | ${fmt(r.results[id].rps)} | ${ms(r.results[id].p99_ms)} | ${vsExpress} | ${vsFloor} |`,
      ),
  ].join('\n');
}

function writeReadme(table) {
  const readme = readFileSync(README, 'utf8');
  const re = /(<!-- bench-endpoint:start -->\n)[\s\S]*?(<!-- bench-endpoint:end -->)/;
  if (!re.test(readme)) {
    console.error(
      'README.md has no <!-- bench-endpoint:start --> … <!-- bench-endpoint:end --> block; table not written',
    );
    return;
  }
  writeFileSync(
    README,
    readme.replace(re, (_, start, end) => `${start}${table}\n${end}`),
  );
}

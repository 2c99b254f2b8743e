// Benchmarks the token endpoint over real HTTP on 127.0.0.1: daily-tokens/endpoint on node:http and on
// Bun.serve, against the guides' Express + jsonwebtoken route and a bare hand-rolled HS256 floor on
// each runtime. Each server is its own process; autocannon loads one at a time, in interleaved rounds,
// and a ratio is the median of the per-round ratios, so drift on a shared machine hits both sides alike.
// Usage: npm run build -w daily-tokens && node bench/endpoint.mjs [--rounds 5 --seconds 3 --connections 50]
//        [--cases endpoint-node,floor-node] (a subset, not written to bench/results)
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { verifyMeetingToken } from 'daily-tokens';

const args = new Map(
  process.argv.slice(2).flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
);
const ROUNDS = Number(args.get('rounds') ?? 5);
const SECONDS = Number(args.get('seconds') ?? 3);
const CONNECTIONS = Number(args.get('connections') ?? 50);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
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
  'express-jsonwebtoken': [process.execPath, SERVER, 'express-jsonwebtoken'],
  'endpoint-bun': [bun, SERVER, 'endpoint-bun'],
  'floor-bun': [bun, SERVER, 'floor-bun'],
};
// --cases a,b runs a subset (for working on one side); the ratios need all five.
const CASES = args.has('cases')
  ? Object.fromEntries(
      args
        .get('cases')
        .split(',')
        .map((n) => [n, ALL_CASES[n]]),
    )
  : ALL_CASES;
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
  };
  for (const r of Object.values(ratios)) {
    r.value = Math.round(r.value * 100) / 100;
    r.met = r.value >= r.target;
  }
  const out = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    method: { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, tool: 'autocannon' },
    results: summary,
    ratios,
  };
  if (!args.has('cases')) {
    mkdirSync(`${ROOT}bench/results`, { recursive: true });
    writeFileSync(`${ROOT}bench/results/endpoint.json`, `${JSON.stringify(out, null, 2)}\n`);
  }
  console.log(JSON.stringify({ results: summary, ratios }, null, 2));
} finally {
  for (const s of servers) s.child.kill();
}

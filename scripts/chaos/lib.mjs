/**
 * Helpers of the chaos run: the real `daily-tokens serve` as a child process, a redis-server and a
 * Postgres cluster of the run's own (so restarting them disturbs nobody else), HTTP on 127.0.0.1 only.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import nodeHttp from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(root, 'packages/cli/bin/daily-tokens.js');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Deterministic PRNG (mulberry32), so a run can be repeated. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

export function tempDir(prefix = 'dt-chaos-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function freePort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Starts `daily-tokens serve` on a free port; resolves once it prints its address. */
export async function serve(env, { port = 0, onLine } = {}) {
  const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', String(port)], {
    env: { PATH: process.env.PATH ?? '', DAILY_TOKENS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  let partial = '';
  child.stderr.on('data', (d) => {
    if (onLine) {
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    }
    out += d;
    if (out.length > 200_000) out = out.slice(-100_000);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 20 s:\n${out}`)), 20_000);
    const look = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', look);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening:\n${out}`));
    });
  });
  return {
    child,
    url,
    exited,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** One HTTP request with a deadline; never throws: `{ status, body, headers }` or `{ status: 0, error }`. */
export async function http(url, method, path, { key, body, raw, headers = {}, timeoutMs = 10_000 } = {}) {
  try {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
      ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed, headers: res.headers };
  } catch (e) {
    return { status: 0, error: e.cause?.code ?? e.name ?? String(e) };
  }
}

/**
 * A GET with an API key from another loopback address (`127.0.0.2` …: the whole 127/8 is loopback on
 * Linux), so a client of its own: the service budgets failed logins per client address, and a client over
 * budget is refused whatever it sends. Resolves with the status (0 on a network error).
 */
export function getFrom(url, localAddress, path, key, timeoutMs = 10_000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const req = nodeHttp.request(
      { host: hostname, port, path, localAddress, headers: { authorization: `Bearer ${key}` }, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Writes raw bytes, resolves with the reply text once the server closes (or after `timeoutMs`). */
export function rawHttp(url, bytes, timeoutMs = 5000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(port), hostname);
    let data = '';
    const timer = setTimeout(() => s.destroy(), timeoutMs);
    s.on('error', () => {});
    s.on('data', (d) => {
      data += d.toString('latin1');
    });
    s.on('close', () => {
      clearTimeout(timer);
      const at = data.indexOf('\r\n\r\n');
      let body = data.slice(at + 4);
      try {
        body = JSON.parse(body);
      } catch {}
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), body, raw: data });
    });
    s.on('connect', () => s.write(bytes));
  });
}

export const isDailyError = (b) =>
  typeof b === 'object' &&
  b !== null &&
  Object.keys(b).sort().join(',') === 'error,info' &&
  typeof b.error === 'string' &&
  typeof b.info === 'string';

export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A redis-server of the run's own on a free port. */
export async function ownRedis() {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      if (await tcpOpen(port)) return;
      await sleep(50);
    }
    throw new Error('redis-server did not start');
  };
  await start();
  return {
    url,
    freeze: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    },
    start,
  };
}

function tcpOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * A Postgres cluster of the run's own (initdb in a temporary folder, a free port, fsync off), so the run
 * can restart it without touching the machine's shared Postgres. Runs as the `postgres` user.
 */
export async function ownPostgres() {
  const bin = execFileSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1']).toString().trim();
  const tmp = tempDir('dt-chaos-pg-');
  chownSync(tmp.dir, uidOf('postgres'), gidOf('postgres'));
  const data = join(tmp.dir, 'data');
  const asPg = (cmd, args) =>
    execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' });
  asPg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const opts = `-p ${port} -k ${tmp.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const ctl = (...args) => asPg('pg_ctl', ['-D', data, '-o', opts, '-l', join(tmp.dir, 'log'), '-w', ...args]);
  ctl('start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => ctl('-m', 'fast', 'restart'),
    async close() {
      try {
        ctl('-m', 'immediate', 'stop');
      } catch {}
      tmp.remove();
    },
  };
}

const uidOf = (user) => Number(execFileSync('id', ['-u', user]).toString().trim());
const gidOf = (user) => Number(execFileSync('id', ['-g', user]).toString().trim());

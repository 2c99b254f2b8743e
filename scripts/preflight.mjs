// `npm test` runs this first: the tests need a few Debian packages that npm cannot bring (Chromium for the
// browser tests, zsh and fish for the completion scripts, promtool for the /metrics exposition) and the
// Postgres and Redis of the machine. What is missing is installed or started when this process can (root with
// apt-get, as .ci/run runs); otherwise it stops within seconds, before any build or test, with the one command
// to run. Nothing is downloaded but Debian's packages (never a browser of playwright's own).
//
// Lookups honour DAILY_TOKENS_PREFLIGHT_PATH (a PATH-style list used instead of PATH, and instead of /usr/bin
// for chromium), so a test can show this script a machine without the packages; CHROMIUM_PATH is honoured as
// the browser tests honour it. DAILY_TOKENS_PREFLIGHT_INSTALL=0 never installs or starts anything.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join } from 'node:path';

const env = process.env;
const searchPath = (env.DAILY_TOKENS_PREFLIGHT_PATH ?? env.PATH ?? '').split(delimiter).filter(Boolean);
const simulated = env.DAILY_TOKENS_PREFLIGHT_PATH !== undefined;
const mayInstall = env.DAILY_TOKENS_PREFLIGHT_INSTALL !== '0';

const executable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const which = (name) => searchPath.map((dir) => join(dir, name)).find(executable);
const chromium = () =>
  env.CHROMIUM_PATH ??
  (simulated ? which('chromium') : executable('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** Each Debian package, what needs it, and whether it is there. */
const PACKAGES = [
  {
    pkg: 'chromium',
    why: 'the inspector and endpoint browser tests',
    present: () => chromium() && executable(chromium()),
  },
  { pkg: 'zsh', why: 'the zsh completion test', present: () => which('zsh') },
  { pkg: 'fish', why: 'the fish completion test', present: () => which('fish') },
  { pkg: 'prometheus', why: 'promtool, for the /metrics test', present: () => which('promtool') },
];

const missingPackages = () => PACKAGES.filter((p) => !p.present());
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const say = (line) => process.stderr.write(`preflight: ${line}\n`);

function stop(lines) {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(1);
}

let missing = missingPackages();
if (missing.length > 0 && env.CHROMIUM_PATH && missing.some((p) => p.pkg === 'chromium')) {
  stop([
    `npm test: CHROMIUM_PATH is ${env.CHROMIUM_PATH}, which is not an executable file.`,
    "Point it at a Chromium binary, or unset it to use Debian's /usr/bin/chromium:",
    '',
    '  unset CHROMIUM_PATH',
  ]);
}
if (missing.length > 0) {
  const names = missing.map((p) => p.pkg);
  const aptGet = which('apt-get');
  const install = `apt-get install -y --no-install-recommends ${names.join(' ')}`;
  if (mayInstall && isRoot && aptGet) {
    say(`installing from Debian: ${names.join(' ')} (${missing.map((p) => p.why).join('; ')})`);
    const apt = (args) =>
      spawnSync(aptGet, args, {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    const updated = apt(['update', '-qq']);
    const installed =
      updated.status === 0 ? apt(['install', '-y', '-qq', '--no-install-recommends', ...names]) : updated;
    if (installed.status !== 0) {
      stop([
        `npm test: apt-get could not install ${names.join(' ')} (exit ${installed.status ?? installed.signal}).`,
        'Run this, see what it says, then npm test again:',
        '',
        `  apt-get update && ${install}`,
      ]);
    }
    missing = missingPackages();
  }
  if (missing.length > 0) {
    const sudo = isRoot ? '' : 'sudo ';
    stop([
      `npm test needs Debian packages that are not installed: ${missing.map((p) => `${p.pkg} (${p.why})`).join(', ')}.`,
      'Install them, then run npm test again:',
      '',
      `  ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${missing.map((p) => p.pkg).join(' ')}`,
    ]);
  }
}

/** True when something accepts connections on 127.0.0.1:port within a second. */
function listening(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 1000 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function waitFor(port) {
  for (let i = 0; i < 30; i++) {
    if (await listening(port)) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

// The service tests use the machine's Postgres and Redis unless TEST_DATABASE_URL / TEST_REDIS_URL point elsewhere.
const SERVICES = [
  {
    name: 'PostgreSQL',
    port: Number(env.DAILY_TOKENS_PREFLIGHT_PG_PORT ?? 5432),
    skip: env.TEST_DATABASE_URL !== undefined,
    start: () => {
      const ctl = which('pg_ctlcluster');
      let version;
      try {
        version = readdirSync('/etc/postgresql')[0];
      } catch {}
      return ctl && version ? [ctl, ['--skip-systemctl-redirect', version, 'main', 'start']] : undefined;
    },
    command: 'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start',
  },
  {
    name: 'Redis',
    port: Number(env.DAILY_TOKENS_PREFLIGHT_REDIS_PORT ?? 6379),
    skip: env.TEST_REDIS_URL !== undefined,
    start: () => {
      const server = which('redis-server');
      return server
        ? [
            server,
            ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no'],
          ]
        : undefined;
    },
    command: "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no",
  },
];

for (const service of SERVICES) {
  if (service.skip || (await listening(service.port))) continue;
  const start = mayInstall && isRoot ? service.start() : undefined;
  if (start) {
    say(`starting ${service.name}`);
    spawnSync(start[0], start[1], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (await waitFor(service.port)) continue;
  }
  stop([
    `npm test needs ${service.name} on 127.0.0.1:${service.port} (the service tests), and nothing answers there.`,
    `Start it (or point ${service.name === 'Redis' ? 'TEST_REDIS_URL' : 'TEST_DATABASE_URL'} at one), then run npm test again:`,
    '',
    `  ${isRoot ? '' : 'sudo '}${service.command}`,
  ]);
}

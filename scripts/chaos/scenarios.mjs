/** The chaos scenarios. Each returns { name, tried, held, figures, notes } for docs/RELIABILITY.md. */
import Database from 'better-sqlite3';
import { createMeetingToken, verifyMeetingToken } from 'daily-tokens';
import {
  http,
  getFrom,
  isDailyError,
  ownPostgres,
  ownRedis,
  percentile,
  prng,
  rawHttp,
  rssMb,
  serve,
  sleep,
  tempDir,
} from './lib.mjs';

const MASTER_KEY = 'chaos-master-key-0123456789abcdef0123456789';
const ADMIN = 'chaos-admin-token-0123456789abcdef';
const SEED = 'chaos-seed-key-0123456789abcdef0123';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const b64 = (s) => Buffer.from(s).toString('base64url');
const fmt = (n) => n.toLocaleString('en-US');
const ms = (n) => `${Math.round(n)} ms`;

// ---------------------------------------------------------------------------------------------------------

/** Mutated tokens through verifyMeetingToken: none may be accepted unless it decodes to the same bytes. */
export async function mutatedTokens({ count, seed }) {
  const apiKey = 'chaos-verify-key-0123456789abcdef';
  const rnd = prng(seed);
  const now = Math.floor(Date.now() / 1000);
  const token = await createMeetingToken(
    { room_name: 'chaos-room', exp: now + 3600, is_owner: true, permissions: { canSend: ['video'] } },
    { apiKey, domainId: 'chaos-domain' },
  );
  const [h, p, s] = token.split('.');
  const otherSig = (await createMeetingToken({ room_name: 'other' }, { apiKey: 'x'.repeat(40), domainId: 'd' })).split(
    '.',
  )[2];
  const bytes = (t) =>
    t
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('hex'))
      .join('.');
  const original = bytes(token);
  const mutators = [
    (t) => {
      const i = rnd.int(t.length);
      return t.slice(0, i) + rnd.pick(B64URL) + t.slice(i + 1);
    },
    (t) => {
      const i = rnd.int(t.length);
      return t.slice(0, i) + t.slice(i + 1);
    },
    (t) => {
      const i = rnd.int(t.length + 1);
      return t.slice(0, i) + rnd.pick(`${B64URL}.=+/ %\u0000é`) + t.slice(i);
    },
    (t) => t.slice(0, rnd.int(t.length)),
    () =>
      `${b64(JSON.stringify({ alg: rnd.pick(['none', 'HS512', 'RS256', 'hs256', 'HS256 ']), typ: 'JWT' }))}.${p}.${s}`,
    () => `${h}.${b64(JSON.stringify({ r: 'chaos-room', o: true, exp: now + rnd.int(1e6), d: 'chaos-domain' }))}.${s}`,
    () => `${h}.${p}.${otherSig}`,
    () => `${h}.${p}.`,
    () => `${h}.${p}.${s}.${s}`,
    () => `${p}.${h}.${s}`,
    (t) => {
      // many mutations at once
      let m = t;
      for (let k = 0; k < 1 + rnd.int(8); k++) {
        const i = rnd.int(m.length);
        m = m.slice(0, i) + rnd.pick(B64URL) + m.slice(i + 1);
      }
      return m;
    },
    () => `${h}.${p}.${s}${'A'.repeat(1 + rnd.int(4))}`,
  ];
  let identical = 0;
  let sameBytes = 0;
  let forged = 0;
  let threw = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const m = mutators[i % mutators.length](token);
    if (m === token) {
      identical++;
      continue;
    }
    let result;
    try {
      result = await verifyMeetingToken(m, { apiKey });
    } catch {
      threw++;
      continue;
    }
    if (result.valid) {
      // base64url's last character carries spare bits: a different spelling of the same bytes
      if (bytes(m) === original) sameBytes++;
      else forged++;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    name: 'Mutated tokens through `verifyMeetingToken`',
    tried: `${fmt(count)} mutants of one token (12 kinds: flips, cuts, insertions, alg swaps, claim edits, foreign signatures)`,
    held: forged === 0 && threw === 0,
    figures: `${fmt(forged)} forgeries accepted, ${fmt(threw)} exceptions; ${fmt(identical)} mutants equal to the original skipped; ${fmt(sameBytes)} accepted that decode to the original bytes; ${seconds.toFixed(1)} s (${((seconds / count) * 1e6).toFixed(1)} µs each)`,
  };
}

// ---------------------------------------------------------------------------------------------------------

/** Generated bad requests against one service: every reply a Daily-shaped 4xx, no 5xx, RSS flat. */
export async function badRequests({ count, seed }) {
  const tmp = tempDir();
  const svc = await serve({
    DAILY_TOKENS_DATA: tmp.dir,
    DAILY_API_KEY: SEED,
    DAILY_TOKENS_ADMIN_TOKEN: ADMIN,
    DAILY_TOKENS_RATE_LIMIT: 'off',
    DAILY_TOKENS_LOG_LEVEL: 'silent',
  });
  const rnd = prng(seed);
  try {
    const minted = await http(svc.url, 'POST', '/v1/meeting-tokens', {
      key: SEED,
      body: { properties: { room_name: 'r' } },
    });
    const token = minted.body.token;
    const junk = (n) => Array.from({ length: n }, () => String.fromCharCode(32 + rnd.int(95))).join('');
    // a character inside a part (not a part's last one, whose spare bits may not change the bytes)
    const mutate = (t) => {
      let i = rnd.int(t.length - 1);
      while (t[i] === '.' || t[i + 1] === '.') i = rnd.int(t.length - 1);
      const c = B64URL.replace(t[i], '');
      return t.slice(0, i) + c[rnd.int(c.length)] + t.slice(i + 1);
    };
    const fetches = [
      () => ['POST', '/v1/meeting-tokens', { key: SEED, raw: `{"properties":${junk(rnd.int(40))}` }],
      () => [
        'POST',
        '/v1/meeting-tokens',
        { key: SEED, body: { properties: { room_name: rnd.int(1e6), exp: 'soon' } } },
      ],
      () => ['POST', '/v1/meeting-tokens', { key: SEED, body: { properties: { [junk(8)]: true } } }],
      () => ['POST', '/v1/meeting-tokens', { key: SEED, body: { room_name: 'flat' } }],
      () => ['POST', '/v1/meeting-tokens', { key: SEED, body: { properties: { permissions: { can_send: true } } } }],
      () => [
        'POST',
        '/v1/meeting-tokens',
        { key: SEED, body: { properties: { is_owner: 'yes', nbf: -1, exp: 1e20 } } },
      ],
      () => ['POST', '/v1/meeting-tokens', { key: SEED, raw: `{"properties":{"x":${'['.repeat(50 + rnd.int(5000))}` }],
      () => ['POST', '/v1/rooms', { key: SEED, raw: `{"properties":{"x":${'['.repeat(40)}${']'.repeat(40)}}}` }],
      () => ['POST', '/v1/meeting-tokens', { key: SEED, raw: `"${'a'.repeat(70_000)}"` }],
      () => ['POST', '/v1/meeting-tokens', { key: SEED, raw: rnd.pick(['[]', 'null', '42', '"x"', 'true']) }],
      () => ['POST', '/v1/rooms', { key: SEED, body: { name: `bad name ${junk(4)}`, privacy: junk(5) } }],
      () => ['POST', '/v1/rooms', { key: SEED, body: { name: 'ok', colour: 'blue' } }],
      () => ['GET', `/v1/meeting-tokens/${mutate(token)}`, { key: SEED }],
      () => ['GET', `/v1/meeting-tokens/${encodeURIComponent(junk(20))}`, { key: SEED }],
      () => ['GET', `/v1/meeting-tokens/${'eyJ'.repeat(3100 + rnd.int(500))}`, { key: SEED }],
      () => ['GET', `/v1/rooms/no-such-room-${rnd.int(1e9)}`, { key: SEED }],
      () => ['DELETE', `/v1/rooms/no-such-room-${rnd.int(1e9)}`, { key: SEED }],
      () => ['GET', '/v1/', {}],
      () => ['GET', '/v1/', { headers: { authorization: rnd.pick(['Basic abc', 'Bearer', 'Bearer a b', junk(30)]) } }],
      () => ['GET', '/v1/', { key: `wrong-${junk(20).replace(/\s/g, '')}` }],
      () => ['GET', `/${junk(10).replace(/[\s?#%]/g, '')}/${rnd.int(1e6)}`, {}],
      () => ['GET', '/admin/domains', { key: `not-the-admin-token-${rnd.int(1e9)}` }],
      () => ['POST', '/admin/domains', { key: ADMIN, body: { name: `Bad Name ${junk(3)}` } }],
      () => ['POST', '/admin/keys/no-such-key/rotate', { key: ADMIN, body: { grace: junk(4) } }],
    ];
    const raws = [
      () => `${junk(10)}\r\n\r\n`,
      () => `GET /v1/meeting-tokens/% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      () => `GET /v1/ HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(17_000)}\r\n\r\n`,
      () => `POST /v1/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: ${junk(3)}\r\n\r\n`,
      () => 'POST /v1/rooms HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      () => 'POST /v1/rooms HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      () => `GET /v1/ HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n`,
      () => `GET /v1/ HTTP/9.9\r\nHost: x\r\n\r\n`,
    ];
    const statuses = new Map();
    const bad = [];
    let done = 0;
    let rssWarm = 0;
    const one = async (i) => {
      const useRaw = i % 10 === 0;
      const r = useRaw
        ? await rawHttp(svc.url, rnd.pick(raws)())
        : await http(
            svc.url,
            ...(() => {
              const [method, path, opts] = rnd.pick(fetches)();
              return [method, path, opts];
            })(),
          );
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (!(r.status >= 400 && r.status < 500 && isDailyError(r.body))) {
        if (bad.length < 5) bad.push(`${r.status} ${JSON.stringify(r.body ?? r.error).slice(0, 160)}`);
        else bad.push('');
      }
      done++;
      if (done === 1000) rssWarm = rssMb(svc.child.pid);
    };
    const rssStart = rssMb(svc.child.pid);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < count) await one(next++);
      }),
    );
    const rssEnd = rssMb(svc.child.pid);
    const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
    const growth = rssEnd - rssWarm;
    return {
      name: 'Generated bad requests',
      tried: `${fmt(count)} requests from 32 generators (bad JSON, wrong types, unknown and snake_case properties, 5,000-deep nesting, 70 KB bodies, mutated and 9 KB tokens, bad auth, unknown routes, wrong admin tokens; every 10th a raw malformed HTTP request), 16 at a time`,
      held: bad.length === 0 && svc.alive() && growth < 30,
      figures: `${fmt(count - bad.length)} Daily-shaped 4xx, ${fmt(bad.length)} other (${fmt(fivexx)} 5xx); statuses ${[
        ...statuses,
      ]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}×${fmt(n)}`)
        .join(
          ', ',
        )}; RSS ${rssStart.toFixed(0)} MB at start, ${rssWarm.toFixed(0)} MB after 1,000, ${rssEnd.toFixed(0)} MB at the end`,
      notes: bad.filter(Boolean),
    };
  } finally {
    await svc.kill();
    tmp.remove();
  }
}

// ---------------------------------------------------------------------------------------------------------

/** kill -9 while minting and creating/rotating keys on SQLite: integrity ok, every acknowledged key there. */
export async function killDuringWrites({ rounds, seed }) {
  const tmp = tempDir();
  const rnd = prng(seed);
  const env = {
    DAILY_TOKENS_DATA: tmp.dir,
    DAILY_API_KEY: SEED,
    DAILY_TOKENS_ADMIN_TOKEN: ADMIN,
    DAILY_TOKENS_RATE_LIMIT: 'off',
  };
  const acked = [{ id: undefined, key: SEED }];
  const integrity = [];
  const missing = [];
  let minted = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const svc = await serve(env);
      let stop = false;
      const loops = [
        ...Array.from({ length: 3 }, async () => {
          while (!stop) {
            const r = await http(svc.url, 'POST', '/admin/domains/dev/keys', { key: ADMIN });
            if (r.status === 200) acked.push({ id: r.body.id, key: r.body.api_key });
          }
        }),
        ...Array.from({ length: 2 }, async () => {
          while (!stop) {
            const target = rnd.pick(acked.filter((k) => k.id));
            if (!target) {
              await sleep(5);
              continue;
            }
            const r = await http(svc.url, 'POST', `/admin/keys/${target.id}/rotate`, {
              key: ADMIN,
              body: { grace: '1h' },
            });
            if (r.status === 200) acked.push({ id: r.body.key.id, key: r.body.key.api_key });
          }
        }),
        ...Array.from({ length: 4 }, async () => {
          while (!stop) {
            const r = await http(svc.url, 'POST', '/v1/meeting-tokens', {
              key: rnd.pick(acked).key,
              body: { properties: { room_name: 'kill' } },
            });
            if (r.status === 200) minted++;
          }
        }),
      ];
      await sleep(800 + rnd.int(1700));
      await svc.kill('SIGKILL');
      stop = true;
      await Promise.all(loops);
      const db = new Database(`${tmp.dir}/daily-tokens.sqlite`);
      integrity.push(db.pragma('integrity_check', { simple: true }));
      db.close();
      const check = await serve(env);
      let next = 0;
      const gone = [];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < acked.length) {
            const k = acked[next++];
            const r = await http(check.url, 'GET', '/v1/', { key: k.key });
            if (r.status !== 200) gone.push(`${k.id ?? 'seed'}: ${r.status}`);
          }
        }),
      );
      missing.push(gone.length);
      await check.kill('SIGTERM');
    }
  } finally {
    tmp.remove();
  }
  return {
    name: '`kill -9` during minting and key rotation (SQLite)',
    tried: `${rounds} rounds: 3 clients creating keys, 2 rotating them (grace 1h), 4 minting, killed after 0.8–2.5 s`,
    held: integrity.every((x) => x === 'ok') && missing.every((n) => n === 0),
    figures: `integrity_check ${integrity.join(', ')}; ${fmt(acked.length)} acknowledged keys, missing after restart per round: ${missing.join(', ')}; ${fmt(minted)} tokens minted meanwhile`,
  };
}

// ---------------------------------------------------------------------------------------------------------

/** Two replicas on a Postgres of the run's own: backends terminated and Postgres restarted under load. */
export async function postgresFaults({ terminations, restarts }) {
  const pg = await ownPostgres();
  const env = {
    DATABASE_URL: pg.url,
    DAILY_TOKENS_MASTER_KEY: MASTER_KEY,
    DAILY_API_KEY: SEED,
    DAILY_TOKENS_RATE_LIMIT: 'off',
  };
  const replicas = [];
  try {
    replicas.push(await serve(env));
    replicas.push(await serve(env));
    const statuses = new Map();
    let stop = false;
    let n = 0;
    const loops = Array.from({ length: 16 }, async () => {
      while (!stop) {
        const r = await http(replicas[n++ % 2].url, 'POST', '/v1/rooms', { key: SEED, body: {} });
        statuses.set(r.status || r.error, (statuses.get(r.status || r.error) ?? 0) + 1);
      }
    });
    const admin = async (sql) => {
      const { default: pgLib } = await import('pg');
      const c = new pgLib.Client({ connectionString: pg.url });
      await c.connect();
      try {
        return (await c.query(sql)).rows;
      } finally {
        await c.end();
      }
    };
    const recovery = [];
    const recover = async () => {
      const t0 = Date.now();
      const times = await Promise.all(
        replicas.map(async (r) => {
          while (Date.now() - t0 < 30_000) {
            if ((await http(r.url, 'GET', '/v1/rooms', { key: SEED })).status === 200) return Date.now() - t0;
            await sleep(20);
          }
          return Number.POSITIVE_INFINITY;
        }),
      );
      return Math.max(...times);
    };
    const faults = [
      ...Array.from({ length: terminations }, () => [
        'terminate',
        async () => {
          await admin(
            "select pg_terminate_backend(pid) from pg_stat_activity where application_name like 'daily-tokens%'",
          );
        },
      ]),
      ...Array.from({ length: restarts }, () => ['restart', async () => pg.restart()]),
    ];
    const kinds = { terminate: [], restart: [] };
    await sleep(500);
    for (const [kind, fault] of faults) {
      await fault();
      const took = await recover();
      kinds[kind].push(took);
      recovery.push(took);
      await sleep(700);
    }
    stop = true;
    await Promise.all(loops);
    const crashes = replicas.filter((r) => !r.alive()).length;
    const other = [...statuses].filter(([s]) => s !== 200 && s !== 503);
    return {
      name: 'Postgres connection kills and restarts under load (2 replicas)',
      tried: `${terminations} × pg_terminate_backend of every service connection and ${restarts} × restart (pg_ctl -m fast) of a Postgres of the run's own, under 16 clients of POST /v1/rooms across both replicas`,
      held: crashes === 0 && other.length === 0 && recovery.every(Number.isFinite),
      figures: `${crashes} crashes; replies ${[...statuses].map(([s, c]) => `${s}×${fmt(c)}`).join(', ')}; recovery (fault → both replicas answer 200): after a kill ${kinds.terminate.map(ms).join(', ')}, after a restart ${kinds.restart.map(ms).join(', ')}`,
    };
  } finally {
    for (const r of replicas) await r.kill();
    await pg.close();
  }
}

// ---------------------------------------------------------------------------------------------------------

/** Redis frozen and stopped under one replica with the default limits and timeouts. */
export async function redisFaults({ requests }) {
  const redis = await ownRedis();
  const tmp = tempDir();
  let logLines = 0;
  const svc = await serve(
    {
      DAILY_TOKENS_DATA: tmp.dir,
      DAILY_API_KEY: SEED,
      DAILY_TOKENS_ADMIN_TOKEN: ADMIN,
      REDIS_URL: redis.url,
      DAILY_TOKENS_LOG_LEVEL: 'info',
    },
    {
      onLine: (line) => {
        if (/Redis (unavailable|is back)/.test(line)) logLines++;
      },
    },
  );
  const phases = [];
  try {
    const measure = async (phase) => {
      const latencies = [];
      const statuses = new Map();
      for (let i = 0; i < requests; i++) {
        const t0 = performance.now();
        const r = await http(svc.url, 'GET', '/v1/', { key: SEED });
        latencies.push(performance.now() - t0);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
      // limits: a burst of 30 with a fresh key, 40 wrong keys
      const created = await http(svc.url, 'POST', '/admin/domains', {
        key: ADMIN,
        body: { name: `p${phases.length}-${Date.now() % 1e6}` },
      });
      let accepted = 0;
      for (let i = 0; i < 30; i++)
        if ((await http(svc.url, 'GET', '/v1/', { key: created.body.key.api_key })).status === 200) accepted++;
      // failed logins share one budget per address (30 per minute), in Redis or, during an outage, locally;
      // each phase guesses from a loopback address of its own: a client over budget is refused whatever it
      // sends, so guessing from 127.0.0.1 would lock the next phase's valid requests out for a minute
      let unauthorized = 0;
      let limited = 0;
      const guesser = `127.0.0.${2 + phases.length}`;
      for (let i = 0; i < 40; i++) {
        const st = await getFrom(svc.url, guesser, '/v1/', `wrong-${phases.length}-${i}-0123456789`);
        if (st === 401) unauthorized++;
        if (st === 429) limited++;
      }
      const ready = await http(svc.url, 'GET', '/readyz');
      phases.push({
        phase,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        max: Math.max(...latencies),
        statuses,
        accepted,
        unauthorized,
        limited,
        ready: `${ready.status} redis ${ready.body.redis}`,
      });
    };
    await measure('healthy');
    redis.freeze();
    await measure('frozen (SIGSTOP)');
    redis.resume();
    await sleep(2500);
    await measure('resumed');
    await redis.stop();
    await measure('stopped');
    await redis.start();
    await sleep(2500);
    await measure('restarted');
    // the limiter log lines: one per change of state
    const outage = phases.filter((p) => /frozen|stopped/.test(p.phase));
    const held =
      svc.alive() &&
      logLines === phases.length - 1 &&
      phases.every((p) => p.accepted === 20 && p.unauthorized <= 30 && p.limited >= 10) &&
      outage.every((p) => p.p50 < 50 && p.ready === '200 redis down') &&
      phases.filter((p) => !/frozen|stopped/.test(p.phase)).every((p) => p.ready === '200 redis up');
    return {
      name: 'Redis frozen and stopped (1 replica, default limits and timeouts)',
      tried: `${requests} sequential GET /v1/ per phase, then a burst of 30 with a fresh key and 40 wrong keys; phases healthy → frozen → resumed → stopped → restarted`,
      held,
      figures: `${phases
        .map(
          (p) =>
            `${p.phase}: p50 ${p.p50.toFixed(1)} ms, p95 ${p.p95.toFixed(1)} ms, max ${p.max.toFixed(0)} ms; burst ${p.accepted}/30 accepted; wrong keys ${p.unauthorized}×401, ${p.limited}×429; /readyz ${p.ready}`,
        )
        .join('<br>')}<br>${logLines} log lines about Redis for ${phases.length - 1} changes of state`,
    };
  } finally {
    await svc.kill();
    await redis.stop();
    tmp.remove();
  }
}

// ---------------------------------------------------------------------------------------------------------

/** SIGTERM a replica under load; clients retry a 503 or a refused connection on the other replica. */
export async function sigtermUnderLoad({ rounds }) {
  const dirs = [tempDir(), tempDir()];
  const env = (i) => ({ DAILY_TOKENS_DATA: dirs[i].dir, DAILY_API_KEY: SEED, DAILY_TOKENS_RATE_LIMIT: 'off' });
  const other = await serve(env(1));
  const results = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const target = await serve(env(0));
      const tally = { ok: 0, retried503: 0, retriedRefused: 0, resets: 0, lost: 0 };
      let stop = false;
      const mint = (url) =>
        http(url, 'POST', '/v1/meeting-tokens', { key: SEED, body: { properties: { room_name: 'term' } } });
      // each client moves to the other replica for good after its first 503 or refusal, as a load
      // balancer marks a backend down
      const loops = Array.from({ length: 16 }, async () => {
        let moved = false;
        while (!stop) {
          if (moved) {
            if ((await mint(other.url)).status !== 200) tally.lost++;
            continue;
          }
          const r = await mint(target.url);
          if (r.status === 200) {
            tally.ok++;
            continue;
          }
          if (r.status === 503) tally.retried503++;
          else if (r.error === 'ECONNREFUSED') tally.retriedRefused++;
          else {
            tally.resets++;
            tally.errors = [...new Set([...(tally.errors ?? []), r.error])];
          }
          moved = true;
          if ((await mint(other.url)).status !== 200) tally.lost++;
        }
      });
      await sleep(1000);
      const t0 = Date.now();
      target.child.kill('SIGTERM');
      const code = await target.exited;
      const exitMs = Date.now() - t0;
      await sleep(300);
      stop = true;
      await Promise.all(loops);
      results.push({ ...tally, code, exitMs });
    }
  } finally {
    await other.kill();
    for (const d of dirs) d.remove();
  }
  const sum = (k) => results.reduce((a, r) => a + r[k], 0);
  return {
    name: 'SIGTERM under load',
    tried: `${rounds} rounds: 16 clients minting on one replica, SIGTERM after 1 s; a client that gets a 503 or a refused connection retries on a second replica and stays there (as a load balancer would)`,
    held: sum('lost') === 0 && sum('resets') === 0 && results.every((r) => r.code === 0),
    figures: `${fmt(sum('ok'))} answered by the stopping replica, ${fmt(sum('retried503'))} got 503 + Connection: close and ${fmt(sum('retriedRefused'))} a refused connection (both retried elsewhere), ${fmt(sum('resets'))} resets${results.some((r) => r.errors) ? ` (${[...new Set(results.flatMap((r) => r.errors ?? []))].join(', ')})` : ''}, ${fmt(sum('lost'))} lost; exit codes ${results.map((r) => r.code).join(', ')}; SIGTERM → exit ${results.map((r) => ms(r.exitMs)).join(', ')}`,
  };
}

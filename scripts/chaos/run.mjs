#!/usr/bin/env node
/**
 * `npm run chaos`: the long fault runs of docs/RELIABILITY.md, against the built packages, on 127.0.0.1
 * only, every loop bounded. Writes docs/RELIABILITY.md and exits 1 if anything did not hold.
 *
 * CHAOS_TOKENS (1,000,000), CHAOS_REQUESTS (10,000), CHAOS_KILL_ROUNDS (5), CHAOS_SEED (1) scale it;
 * CHAOS_ONLY=name,name runs some scenarios only (the report is then not written).
 */
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  badRequests,
  killDuringWrites,
  mutatedTokens,
  postgresFaults,
  redisFaults,
  sigtermUnderLoad,
} from './scenarios.mjs';

const int = (name, fallback) => {
  const v = process.env[name];
  if (v === undefined) return fallback;
  if (!/^\d{1,9}$/.test(v)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
};
const seed = int('CHAOS_SEED', 1);
const scenarios = {
  tokens: () => mutatedTokens({ count: int('CHAOS_TOKENS', 1_000_000), seed }),
  requests: () => badRequests({ count: int('CHAOS_REQUESTS', 10_000), seed }),
  kill: () => killDuringWrites({ rounds: int('CHAOS_KILL_ROUNDS', 5), seed }),
  postgres: () => postgresFaults({ terminations: 3, restarts: 3 }),
  redis: () => redisFaults({ requests: 200 }),
  sigterm: () => sigtermUnderLoad({ rounds: 5 }),
};
const only = process.env.CHAOS_ONLY?.split(',').filter(Boolean);
for (const name of only ?? []) if (!(name in scenarios)) throw new Error(`CHAOS_ONLY: no scenario ${name}`);

const started = new Date();
const results = [];
for (const [name, run] of Object.entries(scenarios)) {
  if (only && !only.includes(name)) continue;
  const t0 = Date.now();
  process.stdout.write(`chaos: ${name} … `);
  let result;
  try {
    result = await run();
  } catch (e) {
    result = { name, tried: '(did not complete)', held: false, figures: String(e?.stack ?? e).slice(0, 500) };
  }
  result.seconds = (Date.now() - t0) / 1000;
  results.push(result);
  process.stdout.write(
    `${result.held ? 'held' : 'DID NOT HOLD'} (${result.seconds.toFixed(0)} s)\n  ${result.figures.replaceAll('<br>', '\n  ')}\n`,
  );
  for (const note of result.notes ?? []) process.stdout.write(`  ! ${note}\n`);
}
const total = (Date.now() - started.getTime()) / 1000;

if (!only) {
  const cell = (s) => String(s).replaceAll('|', '\\|').replaceAll('\n', ' ');
  const lines = [
    '# Reliability',
    '',
    '<!-- Written by `npm run chaos` (scripts/chaos/); do not edit by hand. -->',
    '',
    `What \`npm run chaos\` tried against the token service and what held. Run of ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} cores, Node ${process.version}, seed ${seed}, ${Math.round(total)} s in all. Everything runs on 127.0.0.1: the service as real \`daily-tokens serve\` processes, a Postgres cluster and a redis-server of the run's own (so they can be restarted, frozen and killed without touching anything shared). Every loop is bounded.`,
    '',
    '| Scenario | Tried | Held | Figures |',
    '| --- | --- | --- | --- |',
    ...results.map((r) => `| ${cell(r.name)} | ${cell(r.tried)} | ${r.held ? 'yes' : '**no**'} | ${cell(r.figures)} |`),
    '',
    '## What the figures mean',
    '',
    '- **Mutated tokens**: a forgery is a mutant that verifies although its decoded bytes differ from the original. Mutants that decode to the original bytes (base64url spells the last few bits of a part in several ways) carry the original claims and signature, so accepting them is not a forgery.',
    '- **Bad requests**: a reply holds when its status is 4xx and its body is exactly Daily\'s `{"error", "info"}`. RSS is the service process\'s resident memory (after 1,000 requests the heap is warm; the check allows 30 MB of growth).',
    '- **kill -9**: a key is acknowledged when its create or rotate call answered 200 before the kill; after each kill the SQLite file passes `PRAGMA integrity_check` and every acknowledged key (rotated ones are in their 1 h grace) authenticates on the restarted service.',
    '- **Postgres**: replies other than 200 and 503 (a 500, a reset) would fail the run, as would a replica exiting. Recovery is the time from the fault (the restart command returning) until both replicas answer 200.',
    '- **Redis**: with the defaults (`DAILY_TOKENS_REDIS_TIMEOUT` 250 ms, `DAILY_TOKENS_REDIS_RETRY` 2 s), a frozen Redis costs the first request after it froze one timeout and then one trial per 2 s; other requests do not wait. During an outage limits are counted per replica with the same windows (the burst of 30 still gets 20), failed logins stay limited, `/readyz` says `redis: down` and stays 200. The failed-login budget is 30 per minute per client address wherever it is counted, and a client over it is refused whatever it sends (the right key too), so each phase guesses from a loopback address of its own (127.0.0.2 …) and its valid requests come from 127.0.0.1.',
    '- **SIGTERM**: a request is lost when neither the stopping replica nor the retry on the other replica answered 200. A reset (a connection closed under a request) would fail the run; 503 + `Connection: close` and a refused connection are the clean ways a stopping replica says "go elsewhere".',
    '',
    'Rerun with `npm run chaos` (it builds first); `CHAOS_TOKENS`, `CHAOS_REQUESTS`, `CHAOS_KILL_ROUNDS` and `CHAOS_SEED` scale and vary it.',
    '',
  ];
  const out = join(dirname(fileURLToPath(import.meta.url)), '../../docs/RELIABILITY.md');
  writeFileSync(out, lines.join('\n'));
  process.stdout.write(`chaos: wrote ${out}\n`);
}
process.exitCode = results.every((r) => r.held) ? 0 : 1;

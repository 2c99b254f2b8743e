// Benchmarks daily-tokens against jsonwebtoken, jose, fast-jwt and a hand-rolled floor, in one run.
// Targets are ratios against peers measured in the same process, never absolute timings.
// Usage: npm run bench [-- --rounds 150 --round-ms 20]
//
// Shared and virtual machines drift by tens of percent within seconds, so every round runs each case
// once, briefly, back to back, and a target's ratio is the median of the per-round ratios: drift that
// hits one round hits both sides of its ratio alike.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createDecoder, createSigner, createVerifier } from 'fast-jwt';
import * as jose from 'jose';
import jwt from 'jsonwebtoken';
import { createMeetingToken, decodeUnverified, verifyMeetingToken } from 'daily-tokens';

const args = new Map(
  process.argv.slice(2).flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
);
const ROUNDS = Number(args.get('rounds') ?? 150);
const ROUND_MS = Number(args.get('round-ms') ?? 20);

const KEY = 'a-domain-api-key-0123456789abcdef0123456789abcdef';
const DOMAIN = '25df5057-ef0d-4d97-bde6-0cf287276cbb';
const now = Math.floor(Date.now() / 1000);

// The common guide's "full-featured token" as full-name properties; the peers sign the payload our
// createMeetingToken makes of them (below), so everyone signs the same claims.
const properties = {
  room_name: 'standup',
  nbf: now,
  exp: now + 3600,
  is_owner: false,
  user_name: 'Ada Lovelace',
  user_id: 'user-1234',
  enable_screenshare: true,
  enable_recording: 'cloud',
  start_audio_off: true,
  start_video_off: false,
  eject_at_token_exp: true,
  permissions: {
    hasPresence: true,
    canSend: ['video', 'audio'],
    canReceive: { base: true },
    canAdmin: ['participants'],
  },
};

const keyObject = createSecretKey(Buffer.from(KEY));
const HEADER = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
const floorSign = (payload) => {
  const input = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', keyObject).update(input).digest('base64url')}`;
};
const floorVerify = (token) => {
  const dot = token.lastIndexOf('.');
  const mac = createHmac('sha256', keyObject).update(token.slice(0, dot)).digest();
  const sig = Buffer.from(token.slice(dot + 1), 'base64url');
  if (sig.length !== mac.length || !timingSafeEqual(mac, sig)) throw new Error('bad');
  return JSON.parse(Buffer.from(token.slice(token.indexOf('.') + 1, dot), 'base64url').toString());
};

const fastSign = createSigner({ key: KEY, algorithm: 'HS256', noTimestamp: true });
const fastVerify = createVerifier({ key: KEY, algorithms: ['HS256'], cache: false });
const fastDecode = createDecoder();
const joseKey = new TextEncoder().encode(KEY);
const opts = { apiKey: KEY, domainId: DOMAIN };
const claims = decodeUnverified(await createMeetingToken(properties, opts)).claims;
const GUIDE_CLAIMS = 'ao,d,ejt,er,exp,iat,nbf,o,p,r,ss,u,ud,vo';
if (Object.keys(claims).sort().join(',') !== GUIDE_CLAIMS) throw new Error('the bench payload is not the guide token');
const token = floorSign(claims);
const byteOpts = { apiKey: new TextEncoder().encode(KEY), domainId: DOMAIN };
const verifyOpts = { apiKey: KEY };

// Sanity: everyone agrees on the token before anything is timed.
if ((await verifyMeetingToken(token, verifyOpts)).valid !== true) throw new Error('our verify rejects the bench token');
fastVerify(token);
jwt.verify(token, KEY);

const groups = {
  sign: {
    floor: () => floorSign(claims),
    'daily-tokens createMeetingToken (validates + abbreviates)': () => createMeetingToken(properties, opts),
    'daily-tokens createMeetingToken (Uint8Array key)': () => createMeetingToken(properties, byteOpts),
    'fast-jwt': () => fastSign(claims),
    'jsonwebtoken (KeyObject)': () => jwt.sign(claims, keyObject, { algorithm: 'HS256', noTimestamp: true }),
    'jsonwebtoken (string secret)': () => jwt.sign(claims, KEY, { algorithm: 'HS256', noTimestamp: true }),
    jose: () => new jose.SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(joseKey),
  },
  verify: {
    floor: () => floorVerify(token),
    'daily-tokens verifyMeetingToken': () => verifyMeetingToken(token, verifyOpts),
    'fast-jwt (no cache)': () => fastVerify(token),
    'jsonwebtoken (string secret)': () => jwt.verify(token, KEY, { algorithms: ['HS256'] }),
    jose: () => jose.jwtVerify(token, joseKey, { algorithms: ['HS256'] }),
  },
  decode: {
    'daily-tokens decodeUnverified': () => decodeUnverified(token),
    'fast-jwt': () => fastDecode(token, { complete: true }),
    jsonwebtoken: () => jwt.decode(token, { complete: true }),
    jose: () => jose.decodeJwt(token),
  },
};

/** Calls per timing check, per function: about half a millisecond of work, so slow peers fit a short round. */
const batchSizes = new Map();

/** Runs fn for ~ms milliseconds in batches; returns ops/s. Async results are awaited one by one. */
async function measure(fn, ms) {
  const probe = fn();
  const isAsync = probe && typeof probe.then === 'function';
  if (isAsync) await probe;
  const batch = batchSizes.get(fn) ?? 1;
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(ms * 1e6));
  let t = start;
  while (t < deadline) {
    if (isAsync) for (let i = 0; i < batch; i++) await fn();
    else for (let i = 0; i < batch; i++) fn();
    ops += batch;
    t = process.hrtime.bigint();
  }
  const opsPerSecond = ops / (Number(t - start) / 1e9);
  if (!batchSizes.has(fn)) batchSizes.set(fn, Math.max(1, Math.round(opsPerSecond / 2000)));
  return opsPerSecond;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const samples = {};
for (const [group, cases] of Object.entries(groups)) {
  samples[group] = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const fn of Object.values(cases)) await measure(fn, 300); // warm-up
  const entries = Object.entries(cases);
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the starting case so no implementation always runs first (or right after a slow one).
    for (let i = 0; i < entries.length; i++) {
      const [name, fn] = entries[(r + i) % entries.length];
      samples[group][name].push(await measure(fn, ROUND_MS));
    }
  }
}
const results = Object.fromEntries(
  Object.entries(samples).map(([group, s]) => [
    group,
    Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Math.round(median(v))])),
  ]),
);
for (const [group, r] of Object.entries(results))
  for (const [k, v] of Object.entries(r))
    console.log(`${group.padEnd(7)} ${k.padEnd(58)} ${v.toLocaleString('en').padStart(10)} ops/s`);

/** Each group's fast-jwt case, the yardstick of the README's ratio column. */
const FAST_JWT = { sign: 'fast-jwt', verify: 'fast-jwt (no cache)', decode: 'fast-jwt' };
/** Median over rounds of ours/peer, each pair measured back to back. */
const ratio = (group, ours, peer) => {
  const a = samples[group][ours];
  const b = samples[group][peer];
  return Math.round(median(a.map((x, i) => x / b[i])) * 100) / 100;
};
const targets = [
  [
    'createMeetingToken vs fast-jwt sign',
    ratio('sign', 'daily-tokens createMeetingToken (validates + abbreviates)', 'fast-jwt'),
    1.3,
  ],
  [
    'verifyMeetingToken vs fast-jwt verify (no cache)',
    ratio('verify', 'daily-tokens verifyMeetingToken', 'fast-jwt (no cache)'),
    1.3,
  ],
  ['decodeUnverified vs fast-jwt decoder', ratio('decode', 'daily-tokens decodeUnverified', 'fast-jwt'), 1.0],
  // "A string secret costs nothing extra after its first use": the same key as a string and as bytes; the
  // two run back to back and differ only by noise (a few percent either way), hence 0.9.
  [
    'createMeetingToken with a string key vs the same key as bytes',
    ratio(
      'sign',
      'daily-tokens createMeetingToken (validates + abbreviates)',
      'daily-tokens createMeetingToken (Uint8Array key)',
    ),
    0.9,
  ],
].map(([name, value, target]) => ({ name, ratio: value, target, met: value >= target }));
console.log('');
for (const t of targets) console.log(`${t.met ? 'MET ' : 'MISS'} ${t.name}: ${t.ratio}× (target ≥ ${t.target}×)`);

const record = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  rounds: ROUNDS,
  roundMs: ROUND_MS,
  results,
  targets,
  /** Every round's ops/s per case, in round order, so the ratios can be checked. */
  samples: Object.fromEntries(
    Object.entries(samples).map(([g, cases]) => [
      g,
      Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, v.map(Math.round)])),
    ]),
  ),
};
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(record, null, 2)}\n`);

// The README's summary is rewritten from this run.
const readmeUrl = new URL('../README.md', import.meta.url);
const table = [
  `Measured ${record.date.slice(0, 10)} on ${record.cpu} (${record.cores} cores), Node ${record.node}; median of ${ROUNDS} rounds of ${ROUND_MS} ms per case; ratios are medians of per-round ratios (\`npm run bench\`, raw numbers in \`bench/results/latest.json\`).`,
  '',
  // ops/s medians can come from different speed regimes of the machine; the ratio column cannot.
  '| Operation | Implementation | median ops/s | × fast-jwt (per round) |',
  '|---|---|---:|---:|',
  ...Object.entries(results).flatMap(([g, r]) =>
    Object.entries(r).map(
      ([k, v]) => `| ${g} | ${k} | ${v.toLocaleString('en')} | ${ratio(g, k, FAST_JWT[g]).toFixed(2)}× |`,
    ),
  ),
  '',
  '| Target | Ratio | Goal | |',
  '|---|---:|---:|---|',
  ...targets.map((t) => `| ${t.name} | ${t.ratio}× | ≥ ${t.target}× | ${t.met ? 'met' : '**missed**'} |`),
].join('\n');
const readme = readFileSync(readmeUrl, 'utf8');
const re = /(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/;
if (re.test(readme)) writeFileSync(readmeUrl, readme.replace(re, `$1${table}\n$2`));
else console.log('\n(README has no bench block; results only in bench/results/latest.json)');
process.exitCode = targets.every((t) => t.met) ? 0 : 1;

// Benchmarks daily-tokens against jsonwebtoken, jose, fast-jwt and a hand-rolled floor, in one run.
// Targets are ratios against peers measured in the same process, never absolute timings.
// Usage: npm run bench [-- --rounds 80 --round-ms 15] [-- --only decode]
// `--only TEXT` times only the groups whose name contains TEXT (after warming every group, so the code
// runs in the state a full run leaves it in) and writes nothing: for work in progress, not for the README.
// Every operation is measured on each token shape of shapes.mjs against fast-jwt on the identical claims.
//
// Shared and virtual machines drift by tens of percent within seconds, so every round runs each case
// once, briefly, back to back, and a target's ratio is the median of the per-round ratios: drift that
// hits one round hits both sides of its ratio alike. Time is this process's CPU time, not the wall
// clock, so that a round in which another process takes the core does not count the time it waited.
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createDecoder, createSigner, createVerifier } from 'fast-jwt';
import * as jose from 'jose';
import jwt from 'jsonwebtoken';
import {
  createMeetingToken,
  createMeetingTokenSigner,
  createMeetingTokenVerifier,
  decodeUnverified,
  verifyMeetingToken,
} from 'daily-tokens';
import { decodeFloor } from './decode-floor.mjs';
import { tokenShapes } from './shapes.mjs';

const args = new Map(
  process.argv.slice(2).flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
);
const ROUNDS = Number(args.get('rounds') ?? 80);
const ROUND_MS = Number(args.get('round-ms') ?? 15);
const ONLY = args.get('only');

const KEY = 'a-domain-api-key-0123456789abcdef0123456789abcdef';
const DOMAIN = '25df5057-ef0d-4d97-bde6-0cf287276cbb';
const now = Math.floor(Date.now() / 1000);
const shapes = tokenShapes(now);
const GUIDE = 'guide full-featured';

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
const byteOpts = { apiKey: new TextEncoder().encode(KEY), domainId: DOMAIN };
const signer = createMeetingTokenSigner(opts);

/** One case set per shape and operation; every set runs interleaved within its rounds. */
const groups = {};
for (const [shape, properties] of Object.entries(shapes)) {
  // The peers sign what createMeetingToken makes of the properties: everyone signs the same claims.
  const claims = decodeUnverified(await createMeetingToken(properties, { ...opts, now })).claims;
  const token = floorSign(claims);
  const verifyOpts = { apiKey: KEY, domainId: DOMAIN, roomName: properties.room_name };
  const verifier = createMeetingTokenVerifier(verifyOpts);
  // Sanity: everyone agrees on the token before anything is timed.
  const verdict = await verifyMeetingToken(token, verifyOpts);
  if (!verdict.valid) throw new Error(`our verify rejects the ${shape} token: ${JSON.stringify(verdict.problems)}`);
  if (JSON.stringify(signer.claims(properties, { now })) !== JSON.stringify(claims))
    throw new Error(`${shape}: the signer differs`);
  fastVerify(token);
  if (JSON.stringify(decodeFloor(token).properties) !== JSON.stringify(decodeUnverified(token).properties))
    throw new Error(`${shape}: the expansion floor builds other properties than decodeUnverified`);
  const guide = shape === GUIDE;
  groups[`sign · ${shape}`] = {
    ...(guide ? { floor: () => floorSign(claims) } : {}),
    'createMeetingToken (validates + abbreviates)': () => createMeetingToken(properties, opts),
    ...(guide ? { 'createMeetingToken (Uint8Array key)': () => createMeetingToken(properties, byteOpts) } : {}),
    'signer.sign': () => signer.sign(properties),
    'signer.signSync': () => signer.signSync(properties),
    'fast-jwt': () => fastSign(claims),
    ...(guide
      ? {
          'jsonwebtoken (KeyObject)': () => jwt.sign(claims, keyObject, { algorithm: 'HS256', noTimestamp: true }),
          'jsonwebtoken (string secret)': () => jwt.sign(claims, KEY, { algorithm: 'HS256', noTimestamp: true }),
          jose: () => new jose.SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(joseKey),
        }
      : {}),
  };
  groups[`verify · ${shape}`] = {
    ...(guide ? { floor: () => floorVerify(token) } : {}),
    verifyMeetingToken: () => verifyMeetingToken(token, verifyOpts),
    'verifier.verify': () => verifier.verify(token),
    'verifier.verifySync': () => verifier.verifySync(token),
    'fast-jwt (no cache)': () => fastVerify(token),
    ...(guide
      ? {
          'jsonwebtoken (string secret)': () => jwt.verify(token, KEY, { algorithms: ['HS256'] }),
          jose: () => jose.jwtVerify(token, joseKey, { algorithms: ['HS256'] }),
        }
      : {}),
  };
  groups[`decode · ${shape}`] = {
    decodeUnverified: () => decodeUnverified(token),
    'expansion floor (checks nothing)': () => decodeFloor(token),
    'fast-jwt': () => fastDecode(token, { complete: true }),
    ...(guide ? { jsonwebtoken: () => jwt.decode(token, { complete: true }), jose: () => jose.decodeJwt(token) } : {}),
  };
}

/** Calls per timing check, per function: about half a millisecond of work, so slow peers fit a short round. */
const batchSizes = new Map();

/** This process's CPU time (user + system) in microseconds. */
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** Runs fn for ~ms milliseconds of CPU time in batches; returns ops per CPU second. Async results are awaited one by one. */
async function measure(fn, ms) {
  const probe = fn();
  const isAsync = probe && typeof probe.then === 'function';
  if (isAsync) await probe;
  const batch = batchSizes.get(fn) ?? 1;
  let ops = 0;
  const start = cpuMicros();
  const deadline = start + ms * 1000;
  let t = start;
  while (t < deadline) {
    if (isAsync) for (let i = 0; i < batch; i++) await fn();
    else for (let i = 0; i < batch; i++) fn();
    ops += batch;
    t = cpuMicros();
  }
  const opsPerSecond = ops / ((t - start) / 1e6);
  if (!batchSizes.has(fn)) batchSizes.set(fn, Math.max(1, Math.round(opsPerSecond / 2000)));
  return opsPerSecond;
}

/** A deterministic pseudo-random sequence (mulberry32), so two runs shuffle alike. */
let seed = 0x9e3779b9;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const shuffled = (xs) => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const samples = {};
const timed = Object.entries(groups).filter(([group]) => ONLY === undefined || group.includes(ONLY));
// A partial run first warms every group, so the timed code has seen every shape, as in a full run.
if (ONLY !== undefined) {
  for (const cases of Object.values(groups)) for (const fn of Object.values(cases)) await measure(fn, 300);
}
for (const [group, cases] of timed) {
  samples[group] = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const fn of Object.values(cases)) await measure(fn, 300); // warm-up
  const entries = Object.entries(cases);
  for (let r = 0; r < ROUNDS; r++) {
    // A fresh order every round, so no implementation always runs first or right after the same one
    // (a slow, garbage-heavy peer leaves collection work to whoever comes next). No forced collection
    // between cases: its concurrent sweeping would be billed to the next case's CPU time.
    for (const [name, fn] of shuffled(entries)) {
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
    console.log(`${group.padEnd(60)} ${k.padEnd(46)} ${v.toLocaleString('en').padStart(10)} ops/s`);

/** Median over rounds of ours/peer, each pair measured back to back. */
const ratio = (group, ours, peer) => {
  const a = samples[group][ours];
  const b = samples[group][peer];
  return Math.round(median(a.map((x, i) => x / b[i])) * 100) / 100;
};
const opOf = (group) => group.split(' · ')[0];
/** Each operation's fast-jwt case, the yardstick of every ratio. */
const FAST_JWT = { sign: 'fast-jwt', verify: 'fast-jwt (no cache)', decode: 'fast-jwt' };
/** The form users call, measured against a goal; the factory forms are reported beside it. */
const OURS = {
  sign: ['createMeetingToken (validates + abbreviates)', 1.3],
  verify: ['verifyMeetingToken', 1.3],
  decode: ['decodeUnverified', 1.0],
};
const targets = Object.keys(samples).map((group) => {
  const [ours, goal] = OURS[opOf(group)];
  const value = ratio(group, ours, FAST_JWT[opOf(group)]);
  return { name: `${group}: ${ours} vs fast-jwt`, ratio: value, target: goal, met: value >= goal };
});
if (ONLY !== undefined) {
  for (const t of targets) console.log(`${t.met ? 'MET ' : 'MISS'} ${t.name}: ${t.ratio}× (target ≥ ${t.target}×)`);
  console.log(`\n--only ${JSON.stringify(ONLY)}: a partial run; bench/results and the README are left as they were.`);
  process.exit(0);
}
// "A string secret costs nothing extra after its first use": the same key as a string and as bytes; the
// two run back to back and differ only by noise (a few percent either way), hence 0.9.
const stringVsBytes = ratio(`sign · ${GUIDE}`, OURS.sign[0], 'createMeetingToken (Uint8Array key)');
targets.push({
  name: 'createMeetingToken with a string key vs the same key as bytes',
  ratio: stringVsBytes,
  target: 0.9,
  met: stringVsBytes >= 0.9,
});
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

// The README's summary is rewritten from this run: every shape, every form, as a ratio to fast-jwt.
const readmeUrl = new URL('../README.md', import.meta.url);
const cell = (group, name) =>
  samples[group]?.[name] ? `${ratio(group, name, FAST_JWT[opOf(group)]).toFixed(2)}×` : '';
const EXPANSION_FLOOR = 'expansion floor (checks nothing)';
const shapeRows = Object.keys(shapes).map((shape) => {
  const s = `sign · ${shape}`;
  const v = `verify · ${shape}`;
  const d = `decode · ${shape}`;
  return `| ${shape} | **${cell(s, OURS.sign[0])}** | ${cell(s, 'signer.sign')} | ${cell(s, 'signer.signSync')} | **${cell(v, OURS.verify[0])}** | ${cell(v, 'verifier.verify')} | ${cell(v, 'verifier.verifySync')} | **${cell(d, OURS.decode[0])}** | ${cell(d, EXPANSION_FLOOR)} |`;
});
const guideRows = ['sign', 'verify', 'decode'].flatMap((op) => {
  const group = `${op} · ${GUIDE}`;
  return Object.entries(results[group]).map(
    ([k, v]) => `| ${op} | ${k} | ${v.toLocaleString('en')} | ${cell(group, k)} |`,
  );
});
const missed = targets.filter((t) => !t.met);
const table = [
  `Measured ${record.date.slice(0, 10)} on ${record.cpu} (${record.cores} cores), Node ${record.node}; ${ROUNDS} rounds of ${ROUND_MS} ms of CPU time per case, interleaved in a fresh order each round; every figure is the median of per-round ratios of CPU time to fast-jwt on the identical claims (\`npm run bench\`, raw numbers in \`bench/results/latest.json\`). Bold: the one-off functions, with their goals (create and verify ≥ 1.3×, decode ≥ 1.0×).`,
  '',
  '| Token shape | createMeetingToken | signer.sign | signer.signSync | verifyMeetingToken | verifier.verify | verifier.verifySync | decodeUnverified | expansion floor |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...shapeRows,
  '',
  "The expansion floor (`bench/decode-floor.mjs`) is base64url, `JSON.parse` and a copy of the payload under full names through the registry's tables, checking nothing: the least a decoder that returns full names can cost. Where it is itself near or under 1.0×, building the full-name object costs more than all of fast-jwt's work besides `JSON.parse` of the payload, and no checked decoder can reach the decode goal on that shape.",
  '',
  `${missed.length === 0 ? `All ${targets.length} targets met` : `**${missed.length} of ${targets.length} targets missed**: ${missed.map((t) => `${t.name} ${t.ratio}×`).join('; ')}`}; a string key signs at ${stringVsBytes}× the same key as bytes (goal ≥ 0.9×).`,
  '',
  `The guide's token against every peer (the floor is a hand-rolled HS256 with one \`createHmac\` per token, which checks nothing):`,
  '',
  '| Operation | Implementation | median ops per CPU second | × fast-jwt (per round) |',
  '|---|---|---:|---:|',
  ...guideRows,
].join('\n');
const readme = readFileSync(readmeUrl, 'utf8');
const re = /(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/;
if (re.test(readme)) writeFileSync(readmeUrl, readme.replace(re, `$1${table}\n$2`));
else console.log('\n(README has no bench block; results only in bench/results/latest.json)');
process.exitCode = targets.every((t) => t.met) ? 0 : 1;

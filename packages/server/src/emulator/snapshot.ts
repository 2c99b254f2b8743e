/**
 * Snapshots of the emulator's state (emulator mode only): every domain with its config, its API keys and
 * its rooms, as one JSON object with a `version`, so a test suite can start from a known state and keep one
 * between runs (`daily-tokens serve --import FILE --export-on-exit FILE`).
 *
 * A snapshot holds the API keys themselves (a restored key must work again), so it is a secret: the HTTP
 * route needs the admin token, and files are written with mode 0600. A snapshot read back is validated
 * entirely before anything is replaced; an error names the field (`domains[0].keys[1].api_key`).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { assertKnownOptions, optionNames } from 'daily-tokens';
import { ROOM_NAME_PATTERN, ROOM_PRIVACY, readDomainProperties, readRoomProperties } from 'daily-tokens/rooms';
import { checkDomainId, checkDomainName } from '../config.js';
import type { AppContext } from '../context.js';
import { domainsRepo } from '../store/domains.js';
import { type ExportedKey, keysRepo } from '../store/keys.js';
import { roomsRepo } from '../store/rooms.js';

/** The snapshot format this service writes and reads. */
export const SNAPSHOT_VERSION = 1;
const KIND = 'daily-tokens-emulator-snapshot';

export interface SnapshotRoom {
  id: string;
  name: string;
  privacy: string;
  /** The properties set explicitly, as `GET /v1/rooms/:name` shows them in `config`. */
  config: Record<string, unknown>;
  created_at: string;
}

export interface SnapshotDomain {
  /** The domain id (the `d` claim of its tokens). */
  id: string;
  name: string;
  created_at: string;
  /** The properties set through `POST /v1/`. */
  config: Record<string, unknown>;
  /** Its API keys, secrets included. */
  keys: ExportedKey[];
  rooms: SnapshotRoom[];
}

/** The emulator's state as JSON. Holds API keys in clear: keep it as you keep the keys. */
export interface EmulatorSnapshot {
  version: typeof SNAPSHOT_VERSION;
  kind: typeof KIND;
  /** When it was taken, on the emulator's clock (informational; restoring does not move the clock). */
  taken_at: string;
  domains: SnapshotDomain[];
}

/** A snapshot that cannot be restored; the message names the field and what is wrong. */
export class SnapshotError extends TypeError {
  override name = 'SnapshotError';
}

/**
 * The whole state, read through the store's repositories.
 *
 * @example
 * ```ts
 * const snap = await takeSnapshot(app.ctx);
 * ```
 */
export async function takeSnapshot(ctx: AppContext): Promise<EmulatorSnapshot> {
  const { store } = ctx;
  const domains: SnapshotDomain[] = [];
  for (const d of await store.domains.list()) {
    domains.push({
      id: d.id,
      name: d.name,
      created_at: d.created_at,
      config: await store.domains.config(d.id),
      keys: await store.keys.exportAll(d.id),
      rooms: (await store.rooms.all(d.id)).map((r) => ({
        id: r.id,
        name: r.name,
        privacy: r.privacy,
        config: JSON.parse(r.config) as Record<string, unknown>,
        created_at: r.created_at,
      })),
    });
  }
  return { version: SNAPSHOT_VERSION, kind: KIND, taken_at: ctx.clock().toISOString(), domains };
}

const TOP_KEYS = optionNames<EmulatorSnapshot>()(['version', 'kind', 'taken_at', 'domains']);
const DOMAIN_KEYS = optionNames<SnapshotDomain>()(['id', 'name', 'created_at', 'config', 'keys', 'rooms']);
const KEY_KEYS = optionNames<ExportedKey>()(['id', 'api_key', 'created_at', 'retire_at', 'deactivated_at']);
const ROOM_KEYS = optionNames<SnapshotRoom>()(['id', 'name', 'privacy', 'config', 'created_at']);
const ROOM_NAME = new RegExp(ROOM_NAME_PATTERN);
const ID = /^[\w-]{1,64}$/;
const MAX_ITEMS = 100_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fields(v: unknown, known: ReadonlySet<string>, at: string): Record<string, unknown> {
  if (!isObject(v)) throw new SnapshotError(`${at} must be an object`);
  try {
    assertKnownOptions(v, known, at);
  } catch (e) {
    throw new SnapshotError((e as Error).message.replace('unknown option', 'unknown field'));
  }
  return v;
}
function list(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new SnapshotError(`${at} must be an array`);
  if (v.length > MAX_ITEMS) throw new SnapshotError(`${at} has more than ${MAX_ITEMS} entries`);
  return v;
}
function time(v: unknown, at: string, nullable = false): string | null {
  if (nullable && v === null) return null;
  if (typeof v !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(v) || Number.isNaN(Date.parse(v)))
    throw new SnapshotError(
      `${at} must be an ISO 8601 time such as "2026-03-10T12:00:00.000Z"${nullable ? ' or null' : ''}`,
    );
  return new Date(v).toISOString();
}
function id(v: unknown, at: string): string {
  if (typeof v !== 'string' || !ID.test(v))
    throw new SnapshotError(`${at} must be letters, digits, - or _ (at most 64)`);
  return v;
}
function unique(seen: Map<string, string>, value: string, at: string, what: string): void {
  const first = seen.get(value);
  if (first !== undefined) throw new SnapshotError(`${at} repeats the ${what} of ${first}`);
  seen.set(value, at);
}

/**
 * Validates a snapshot (from a file or a request) entirely: its version, every field's type and value,
 * ids and names unique, room and domain properties through the registries. `SnapshotError` otherwise.
 */
export function checkSnapshot(input: unknown): EmulatorSnapshot {
  const top = fields(input, TOP_KEYS, 'snapshot');
  if (top.version === undefined)
    throw new SnapshotError(`snapshot.version is missing; this service reads version ${SNAPSHOT_VERSION}`);
  if (top.version !== SNAPSHOT_VERSION)
    throw new SnapshotError(
      `snapshot.version ${JSON.stringify(top.version)} is not one this service knows (it reads version ${SNAPSHOT_VERSION}); export the state again with this version of daily-tokens`,
    );
  if (top.kind !== undefined && top.kind !== KIND)
    throw new SnapshotError(`snapshot.kind must be "${KIND}" (is this an emulator snapshot?)`);
  const takenAt =
    top.taken_at === undefined ? new Date(0).toISOString() : (time(top.taken_at, 'snapshot.taken_at') as string);
  const domainIds = new Map<string, string>();
  const domainNames = new Map<string, string>();
  const keyIds = new Map<string, string>();
  const apiKeys = new Map<string, string>();
  const roomIds = new Map<string, string>();
  const domains = list(top.domains, 'snapshot.domains').map((raw, i): SnapshotDomain => {
    const at = `domains[${i}]`;
    const d = fields(raw, DOMAIN_KEYS, at);
    let domainId: string;
    let name: string;
    try {
      domainId = checkDomainId(d.id, `${at}.id`);
      if (typeof d.name !== 'string') throw new SnapshotError(`${at}.name must be a string such as "acme-dev"`);
      name = checkDomainName(d.name, `${at}.name`);
    } catch (e) {
      throw new SnapshotError((e as Error).message);
    }
    unique(domainIds, domainId, `${at}.id`, 'id');
    unique(domainNames, name, `${at}.name`, 'name');
    const config = d.config === undefined ? {} : d.config;
    if (!isObject(config)) throw new SnapshotError(`${at}.config must be an object`);
    const bad = readDomainProperties(config, `${at}.config`).issues.find((x) => x.severity === 'error');
    if (bad) throw new SnapshotError(`${bad.path} ${bad.message}`);
    const keys = list(d.keys ?? [], `${at}.keys`).map((rawKey, j): ExportedKey => {
      const kat = `${at}.keys[${j}]`;
      const k = fields(rawKey, KEY_KEYS, kat);
      const keyId = id(k.id, `${kat}.id`);
      unique(keyIds, keyId, `${kat}.id`, 'id');
      if (typeof k.api_key !== 'string' || !/^[\x21-\x7e]{8,256}$/.test(k.api_key))
        throw new SnapshotError(`${kat}.api_key must be 8–256 printable characters without spaces`);
      unique(apiKeys, k.api_key, `${kat}.api_key`, 'api_key');
      return {
        id: keyId,
        api_key: k.api_key,
        created_at: time(k.created_at, `${kat}.created_at`) as string,
        retire_at: time(k.retire_at ?? null, `${kat}.retire_at`, true),
        deactivated_at: time(k.deactivated_at ?? null, `${kat}.deactivated_at`, true),
      };
    });
    const roomNames = new Map<string, string>();
    const rooms = list(d.rooms ?? [], `${at}.rooms`).map((rawRoom, j): SnapshotRoom => {
      const rat = `${at}.rooms[${j}]`;
      const r = fields(rawRoom, ROOM_KEYS, rat);
      const roomId = id(r.id, `${rat}.id`);
      unique(roomIds, roomId, `${rat}.id`, 'id');
      if (typeof r.name !== 'string' || !ROOM_NAME.test(r.name))
        throw new SnapshotError(`${rat}.name must be letters, digits, - or _ (at most 128), as Daily's room names`);
      unique(roomNames, r.name, `${rat}.name`, 'name');
      if (typeof r.privacy !== 'string' || !(ROOM_PRIVACY as readonly string[]).includes(r.privacy))
        throw new SnapshotError(`${rat}.privacy must be one of ${ROOM_PRIVACY.join(', ')}`);
      const roomConfig = r.config === undefined ? {} : r.config;
      if (!isObject(roomConfig)) throw new SnapshotError(`${rat}.config must be an object`);
      const issue = readRoomProperties(roomConfig, { path: `${rat}.config` }).issues.find(
        (x) => x.severity === 'error',
      );
      if (issue) throw new SnapshotError(`${issue.path} ${issue.message}`);
      return {
        id: roomId,
        name: r.name,
        privacy: r.privacy,
        config: roomConfig,
        created_at: time(r.created_at, `${rat}.created_at`) as string,
      };
    });
    return { id: domainId, name, created_at: time(d.created_at, `${at}.created_at`) as string, config, keys, rooms };
  });
  // look-ups take an id or a name: a name equal to another domain's id would make them ambiguous
  for (const [name, at] of domainNames) {
    const other = domainIds.get(name);
    if (other !== undefined && other !== at.replace('.name', '.id'))
      throw new SnapshotError(`${at} is the id of ${other.replace('.id', '')}; a name may not be another domain's id`);
  }
  return { version: SNAPSHOT_VERSION, kind: KIND, taken_at: takenAt, domains };
}

/**
 * Replaces the whole state with a snapshot (validated first; nothing changes when it is not valid), in one
 * transaction, then drops cached keys and clears the rate-limit counters. Returns what it holds now.
 */
export async function restoreSnapshot(
  ctx: AppContext,
  input: unknown,
): Promise<{ domains: number; keys: number; rooms: number }> {
  const snap = checkSnapshot(input);
  const { store } = ctx;
  await store.db.transaction().execute(async (trx) => {
    const domains = domainsRepo(trx);
    const keys = keysRepo(trx, store.crypto);
    const rooms = roomsRepo(trx);
    await domains.deleteAll();
    for (const d of snap.domains) {
      await domains.insert({ id: d.id, name: d.name, created_at: d.created_at });
      if (Object.keys(d.config).length > 0) await domains.setConfig(d.id, d.config);
      for (const k of d.keys) await keys.insertExported(d.id, k);
      for (const r of d.rooms) await rooms.insert(d.id, r);
    }
  });
  await ctx.keysChanged();
  await ctx.limiter?.reset();
  ctx.throttle.reset();
  return {
    domains: snap.domains.length,
    keys: snap.domains.reduce((n, d) => n + d.keys.length, 0),
    rooms: snap.domains.reduce((n, d) => n + d.rooms.length, 0),
  };
}

/**
 * Writes a snapshot to `file` atomically (a temporary file beside it, then a rename) with mode 0600: it
 * holds API keys. A reader never sees half a file, and an old file is replaced only by a whole new one.
 */
export function writeSnapshotFile(file: string, snapshot: EmulatorSnapshot): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(snapshot, null, 2)}\n`);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Resolves an API key to its domain and a prepared keyring, with a short cache. Entries live at most `ttlMs`
 * (500 ms by default) and are dropped at once when any replica announces a key change, so a key
 * deactivated anywhere stops working everywhere within a second.
 *
 * What a request needs (the key statuses, the signing key, a signer and verifiers with their HMAC keys
 * prepared) is computed once per keyring, not per request: it is kept across TTL reloads while the rows
 * read back are the same, and recomputed when they change (rotation, deactivation, an invalidation) or when
 * a retiring key's grace period ends.
 *
 * Entries are found by the presented key itself, not by its HMAC lookup hash (computing that was a
 * measurable part of every request): a Map bucket named by the key's first 16 characters, then a constant-time comparison of the
 * whole key. So the Map's own (not constant-time) string comparison only ever sees that prefix, and only on a
 * collision of V8's seeded string hash; what a caller can time is hit or miss, as with the hash-keyed cache.
 * Holding the presented key in memory adds no secret: a valid key is one of the keyring's secrets, which the
 * entry holds anyway; unknown keys are never cached. `clear()` (rotation, deactivation, an invalidation
 * message from another replica) and the TTL end every entry.
 */
import { timingSafeEqual } from 'node:crypto';
import {
  createMeetingTokenSigner,
  createMeetingTokenVerifier,
  type MeetingTokenSigner,
  type MeetingTokenVerifier,
} from 'daily-tokens';
import type { Domain } from '../store/domains.js';
import type { Store } from '../store/index.js';
import { keyStatus } from '../store/keys.js';
import type { ApiKeysTable } from '../store/schema.js';

/** The caller's domain and its prepared keyring. The same object serves every request until the keyring changes. */
export interface ResolvedKey {
  readonly domain: Domain;
  readonly keyId: string;
  /** Whether the presented key works now. */
  readonly active: boolean;
  /** The domain's keyring for verify, with each key's current status. */
  readonly keyring: readonly { id: string; secret: string; active: boolean }[];
  /**
   * Signers with the newest fully active key: `expiring` for a request that gives `exp`, `noExpiry` for one
   * that does not (Daily mints a token without expiry then; the lint log points it out). Both accept a
   * request without `room_name`, as Daily does.
   */
  readonly signers: { readonly expiring: MeetingTokenSigner; readonly noExpiry: MeetingTokenSigner };
  /** The verifier over the keyring, one per `ignoreNbf` setting, made on first use. */
  verifier(ignoreNbf: boolean): MeetingTokenVerifier;
}

export interface KeyCacheOptions {
  /** Mint tokens whose exp has passed (`--allow-past-exp`). */
  allowExpired?: boolean;
}

type Row = Pick<ApiKeysTable, 'id' | 'created_at' | 'retire_at' | 'deactivated_at'> & { secret: string };

interface Entry {
  at: number;
  /** The presented API key (UTF-8), compared in constant time. */
  presented: Buffer;
  /** A reload of this entry is under way (refresh-ahead). */
  refreshing?: boolean;
  domain: Domain;
  keyId: string;
  rows: Row[];
  /** The rows as text, to tell a reload that changed nothing from one that did. */
  fingerprint: string;
  resolved?: ResolvedKey;
  /** The service time (ms) until which `resolved`'s statuses hold: the next retire_at still ahead. */
  until: number;
}

/** Buckets kept at most (one per key prefix); past it the cache starts again empty. */
const MAX_ENTRIES = 10_000;
/** Keys sharing a bucket (the same first 16 characters), kept at most; the oldest goes first. */
const MAX_PER_BUCKET = 4;
const BUCKET_CHARS = 16;

const bucketOf = (apiKey: string) => apiKey.slice(0, BUCKET_CHARS);

/** Whether an entry was cached for this presented key: in constant time, as every comparison of a secret. */
function samePresented(e: Entry, presented: Buffer): boolean {
  return e.presented.length === presented.length && timingSafeEqual(e.presented, presented);
}

export class KeyCache {
  private readonly entries = new Map<string, Entry[]>();
  /** Counts clear()s: a reload that began before one must not put what it read back into the cache. */
  private generation = 0;
  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
    private readonly clock: () => Date,
    private readonly options: KeyCacheOptions = {},
  ) {}

  /**
   * The key from the cache, synchronously, while its entry is fresh (within the TTL, since the last clear());
   * undefined when only the store can tell (then call `resolve`). The request path of cached keys.
   */
  cached(apiKey: string): ResolvedKey | undefined {
    const entry = this.find(apiKey);
    if (!entry) return undefined;
    const age = Date.now() - entry.at;
    if (age >= this.ttlMs) return undefined;
    // Refresh ahead: past half its TTL, an entry in use is read again in the background (one reload at a time),
    // so a busy key never expires, and requests never queue up behind, nor all start, the same reload.
    if (age * 2 >= this.ttlMs && !entry.refreshing) {
      entry.refreshing = true;
      this.reload(apiKey).then(
        () => {
          entry.refreshing = false;
        },
        () => {
          // the store did not answer: the entry expires at its TTL and the next request reports the outage
          entry.refreshing = false;
        },
      );
    }
    return this.prepared(entry, apiKey);
  }

  /** Undefined when no domain has this key. */
  async resolve(apiKey: string): Promise<ResolvedKey | undefined> {
    return this.cached(apiKey) ?? this.reload(apiKey);
  }

  /** Forgets everything; called on local key changes and on invalidation messages. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  private find(apiKey: string): Entry | undefined {
    const bucket = this.entries.get(bucketOf(apiKey));
    if (!bucket) return undefined;
    const presented = Buffer.from(apiKey, 'utf8');
    let found: Entry | undefined;
    // every entry of the bucket is compared, so the time says nothing about which one matched
    for (const e of bucket) if (samePresented(e, presented)) found = e;
    return found;
  }

  private prepared(entry: Entry, apiKey: string): ResolvedKey {
    // (the clock is read only when a status can have changed: a retiring key's retire_at is ahead)
    if (entry.resolved && entry.until === Number.POSITIVE_INFINITY) return entry.resolved;
    const now = this.clock();
    if (!entry.resolved || now.getTime() >= entry.until) this.prepare(entry, now, apiKey);
    return entry.resolved as ResolvedKey;
  }

  private async reload(apiKey: string): Promise<ResolvedKey | undefined> {
    const stale = this.find(apiKey);
    const generation = this.generation;
    const fresh = await this.load(apiKey, stale?.fingerprint);
    if (generation !== this.generation) {
      // keys changed meanwhile: what was read may predate the change, so answer from it once, cache nothing
      if (!fresh || fresh === 'unchanged')
        return fresh === 'unchanged' && stale ? this.prepared(stale, apiKey) : undefined;
      return this.prepared(fresh, apiKey);
    }
    const name = bucketOf(apiKey);
    const bucket = this.entries.get(name) ?? [];
    const presented = Buffer.from(apiKey, 'utf8');
    const others = bucket.filter((e) => e !== stale && !samePresented(e, presented));
    if (!fresh) {
      if (others.length > 0) this.entries.set(name, others);
      else this.entries.delete(name);
      return undefined;
    }
    // `unchanged`: the same domain and rows read back, so what was prepared from them still holds
    let entry: Entry;
    if (fresh === 'unchanged' && stale) {
      stale.at = Date.now();
      entry = stale;
    } else entry = fresh as Entry;
    if (!this.entries.has(name) && this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(name, [...others.slice(-(MAX_PER_BUCKET - 1)), entry]);
    return this.prepared(entry, apiKey);
  }

  private prepare(entry: Entry, now: Date, apiKey: string): void {
    const statuses = entry.rows.map((r) => keyStatus(r, now));
    const keyring = entry.rows.map((r, i) => ({ id: r.id, secret: r.secret, active: statuses[i] !== 'inactive' }));
    let signing: Row | undefined;
    for (let i = entry.rows.length - 1; i >= 0 && !signing; i--) if (statuses[i] === 'active') signing = entry.rows[i];
    for (let i = entry.rows.length - 1; i >= 0 && !signing; i--)
      if (statuses[i] !== 'inactive') signing = entry.rows[i];
    const secret = signing?.secret ?? apiKey;
    const base = {
      apiKey: secret,
      domainId: entry.domain.id,
      allRooms: true,
      allowExpired: this.options.allowExpired === true,
    };
    const verifiers: [MeetingTokenVerifier?, MeetingTokenVerifier?] = [];
    const keys = keyring.map((k) => ({ ...k }));
    const domainId = entry.domain.id;
    entry.resolved = {
      domain: entry.domain,
      keyId: entry.keyId,
      active: keyring.find((k) => k.id === entry.keyId)?.active ?? false,
      keyring,
      signers: {
        expiring: createMeetingTokenSigner(base),
        noExpiry: createMeetingTokenSigner({ ...base, noExpiry: true }),
      },
      verifier(ignoreNbf) {
        const i = ignoreNbf ? 1 : 0;
        verifiers[i] ??= createMeetingTokenVerifier({ keys, domainId, ignoreNbf });
        return verifiers[i];
      },
    };
    // a retiring key turns inactive at its retire_at: prepare again then
    let until = Number.POSITIVE_INFINITY;
    for (const r of entry.rows) {
      if (r.deactivated_at || !r.retire_at) continue;
      const t = Date.parse(r.retire_at);
      if (t > now.getTime() && t < until) until = t;
    }
    entry.until = until;
  }

  private async load(apiKey: string, known?: string): Promise<Entry | 'unchanged' | undefined> {
    const row = await this.store.keys.byApiKey(apiKey);
    if (!row) return undefined;
    const domain = await this.store.domains.byId(row.domain_id);
    if (!domain) return undefined;
    const all = await this.store.db
      .selectFrom('api_keys')
      .select(['id', 'created_at', 'retire_at', 'deactivated_at', 'secret_enc'])
      .where('domain_id', '=', domain.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const fingerprint = JSON.stringify([
      row.id,
      domain,
      all.map((r) => [r.id, r.created_at, r.retire_at, r.deactivated_at, r.secret_enc]),
    ]);
    if (fingerprint === known) return 'unchanged';
    // A key sealed for another domain (a row moved between domains) does not open: it is no key of this one.
    const rows: (Omit<(typeof all)[number], 'secret_enc'> & { secret: string })[] = [];
    for (const { secret_enc, ...r } of all) {
      try {
        rows.push({ ...r, secret: this.store.crypto.decrypt(secret_enc, domain.id) });
      } catch {
        if (r.id === row.id) return undefined;
      }
    }
    return {
      at: Date.now(),
      presented: Buffer.from(apiKey, 'utf8'),
      domain,
      keyId: row.id,
      rows,
      fingerprint,
      until: 0,
    };
  }
}

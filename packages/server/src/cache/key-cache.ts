/**
 * Resolves an API key to its domain and keyring, with a short cache. Entries live at most `ttlMs`
 * (500 ms by default) and are dropped at once when any replica announces a key change, so a key
 * deactivated anywhere stops working everywhere within a second.
 */
import type { Domain } from '../store/domains.js';
import type { Store } from '../store/index.js';
import { keyStatus } from '../store/keys.js';
import type { ApiKeysTable } from '../store/schema.js';

export interface ResolvedKey {
  domain: Domain;
  keyId: string;
  /** Whether the presented key works now. */
  active: boolean;
  /** The domain's keyring for verify, with each key's current status. */
  keyring: { id: string; secret: string; active: boolean }[];
  /** The secret new tokens are signed with: the newest fully active key. */
  signingSecret: string;
}

interface Entry {
  at: number;
  domain: Domain;
  keyId: string;
  rows: (Pick<ApiKeysTable, 'id' | 'created_at' | 'retire_at' | 'deactivated_at'> & { secret: string })[];
}

const MAX_ENTRIES = 10_000;

export class KeyCache {
  private readonly entries = new Map<string, Entry>();
  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
    private readonly clock: () => Date,
  ) {}

  /** Undefined when no domain has this key. */
  async resolve(apiKey: string): Promise<ResolvedKey | undefined> {
    const hash = this.store.crypto.lookupHash(apiKey);
    let entry = this.entries.get(hash);
    if (!entry || Date.now() - entry.at > this.ttlMs) {
      entry = await this.load(apiKey);
      if (!entry) {
        this.entries.delete(hash);
        return undefined;
      }
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(hash, entry);
    }
    const now = this.clock();
    const keyring = entry.rows.map((r) => ({ id: r.id, secret: r.secret, active: keyStatus(r, now) !== 'inactive' }));
    const signing =
      [...entry.rows].reverse().find((r) => keyStatus(r, now) === 'active') ??
      [...entry.rows].reverse().find((r) => keyStatus(r, now) !== 'inactive');
    const mine = keyring.find((k) => k.id === entry.keyId);
    return {
      domain: entry.domain,
      keyId: entry.keyId,
      active: mine?.active ?? false,
      keyring,
      signingSecret: signing?.secret ?? apiKey,
    };
  }

  /** Forgets everything; called on local key changes and on invalidation messages. */
  clear(): void {
    this.entries.clear();
  }

  private async load(apiKey: string): Promise<Entry | undefined> {
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
    const rows = all.map(({ secret_enc, ...r }) => ({ ...r, secret: this.store.crypto.decrypt(secret_enc) }));
    return { at: Date.now(), domain, keyId: row.id, rows };
  }
}

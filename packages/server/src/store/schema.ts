/** Table types shared by both engines. Times are ISO-8601 text so SQLite and Postgres read back the same. */
export interface DomainsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  domain_id: string;
  /** HMAC-SHA256 of the key under a subkey of the master key: the lookup column. */
  lookup_hash: string;
  /** AES-256-GCM sealed key bound to its domain (it is the HMAC secret for tokens, so it must be recoverable). */
  secret_enc: string;
  /** The key's last few characters (`keyHint`: at most 4, at most an eighth), to tell keys apart in listings. */
  hint: string;
  created_at: string;
  /** End of the grace period after a rotation; the key stops working then. */
  retire_at: string | null;
  deactivated_at: string | null;
}

export interface RoomsTable {
  id: string;
  domain_id: string;
  name: string;
  privacy: string;
  /** JSON text of the room's `config`: the properties set explicitly (even to their defaults). */
  config: string;
  created_at: string;
  /** The room's `exp` (unix seconds), or null: from then on the room is gone for the API. */
  exp: number | string | null;
}

/** A domain's properties set through `POST /v1/`, as JSON text; no row while none are set. */
export interface DomainConfigsTable {
  domain_id: string;
  config: string;
}

export interface Database {
  domains: DomainsTable;
  domain_configs: DomainConfigsTable;
  api_keys: ApiKeysTable;
  rooms: RoomsTable;
}

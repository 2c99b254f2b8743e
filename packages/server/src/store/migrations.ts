/** One set of migrations for SQLite and Postgres: only portable column types (text) are used. */
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

const migrations: Record<string, Migration> = {
  '001-domains-keys-rooms': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('domains')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('domain_id', 'text', (c) => c.notNull().references('domains.id').onDelete('cascade'))
        .addColumn('lookup_hash', 'text', (c) => c.notNull().unique())
        .addColumn('secret_enc', 'text', (c) => c.notNull())
        .addColumn('hint', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('retire_at', 'text')
        .addColumn('deactivated_at', 'text')
        .execute();
      await db.schema.createIndex('api_keys_domain').on('api_keys').column('domain_id').execute();
      await db.schema
        .createTable('rooms')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('domain_id', 'text', (c) => c.notNull().references('domains.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('privacy', 'text', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('rooms_domain_name', ['domain_id', 'name'])
        .execute();
    },
  },
  // room exp as its own column, so expired rooms drop out of lookups and list pages in SQL
  '002-room-exp': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('rooms').addColumn('exp', 'bigint').execute();
      await db.schema
        .createIndex('rooms_domain_created')
        .on('rooms')
        .columns(['domain_id', 'created_at', 'id'])
        .execute();
    },
  },
  // domain config set through POST /v1/ (Daily's SetDomainConfig); a table of its own, so the domains table
  // and everything that lists it stay as they were
  '003-domain-config': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('domain_configs')
        .addColumn('domain_id', 'text', (c) => c.primaryKey().references('domains.id').onDelete('cascade'))
        .addColumn('config', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; safe to run from several replicas at once (Kysely takes a lock). */
export async function migrate(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${(error as Error).message}`);
  }
}

/**
 * Storage: the SQLite files and master.key are private to their owner (and start-up warns when they are not);
 * a failed start-up leaves no new master.key behind; a stored key opens only for its own domain (AES-GCM
 * additional data), keys stored before are re-sealed at start-up; the stored hint keeps few clear characters.
 */
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/index.js';
import { call, config, MASTER_KEY, servicePerTest, start, tempDir } from './helpers.js';

const KEY = 'storage-test-key-0123456789abcdef';
const DB = 'daily-tokens.sqlite';

const each = servicePerTest();

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('file modes', () => {
  it('creates the SQLite files and master.key readable by their owner only', async () => {
    each.tmp = tempDir();
    const old = process.umask(0o022); // the usual umask, under which files are created 0644
    try {
      each.svc = await start(config({ data: each.tmp.dir }, { DAILY_API_KEY: KEY }));
    } finally {
      process.umask(old);
    }
    expect((await call(each.svc.url, 'GET', '/v1/', { key: KEY })).status).toBe(200);
    for (const name of ['master.key', DB, `${DB}-wal`, `${DB}-shm`]) {
      const path = join(each.tmp.dir, name);
      expect(existsSync(path), name).toBe(true);
      expect(modeOf(path).toString(8), name).toBe('600');
    }
  });

  it('warns at start-up about data files others can read', async () => {
    each.tmp = tempDir();
    each.svc = await start(config({ data: each.tmp.dir }, { DAILY_API_KEY: KEY }));
    await each.svc.close();
    chmodSync(join(each.tmp.dir, DB), 0o644);
    chmodSync(join(each.tmp.dir, 'master.key'), 0o640);
    const lines: string[] = [];
    each.svc = await start(config({ data: each.tmp.dir }, { DAILY_API_KEY: KEY, DAILY_TOKENS_LOG_LEVEL: 'info' }), {
      logStream: { write: (line) => lines.push(line) },
    });
    const warnings = lines.filter((l) => /other users of this machine can read it/.test(l));
    expect(warnings.some((l) => l.includes(`${DB} has mode 0644`) && l.includes('chmod 600'))).toBe(true);
    expect(warnings.some((l) => l.includes('master.key has mode 0640'))).toBe(true);
  });
});

describe('master.key', () => {
  it('is not created (and left behind) by a start-up that fails for another reason', async () => {
    each.tmp = tempDir();
    // data stored under a master key given in the environment
    each.svc = await start(config({ data: each.tmp.dir }, { DAILY_API_KEY: KEY, DAILY_TOKENS_MASTER_KEY: MASTER_KEY }));
    await each.svc.close();
    each.svc = undefined;
    expect(existsSync(join(each.tmp.dir, 'master.key'))).toBe(false);
    // started again without it: refused (the stored keys do not open), and no key file appears
    await expect(buildApp(config({ data: each.tmp.dir }, { DAILY_API_KEY: KEY }))).rejects.toThrow(
      /DAILY_TOKENS_MASTER_KEY is not the key/,
    );
    expect(existsSync(join(each.tmp.dir, 'master.key'))).toBe(false);
    // with it, all is well
    each.svc = await start(config({ data: each.tmp.dir }, { DAILY_API_KEY: KEY, DAILY_TOKENS_MASTER_KEY: MASTER_KEY }));
    expect((await call(each.svc.url, 'GET', '/v1/', { key: KEY })).status).toBe(200);
  });
});

/** A key sealed as releases before the binding did: AES-256-GCM, no additional data, `v1.` prefix. */
function sealV1(master: string, plain: string): string {
  const key = Buffer.from(
    hkdfSync('sha256', Buffer.from(master, 'utf8'), Buffer.alloc(0), 'daily-tokens api-key encryption', 32),
  );
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

describe('stored keys', () => {
  const env = { DAILY_API_KEY: KEY, DAILY_TOKENS_MASTER_KEY: MASTER_KEY, DAILY_DOMAIN_NAME: 'first' };

  it('open only for their own domain: a row moved to another domain no longer authenticates', async () => {
    each.tmp = tempDir();
    each.svc = await start(config({ data: each.tmp.dir }, env));
    const other = await each.svc.app.ctx.store.domains.create('second');
    const otherKey = await each.svc.app.ctx.store.keys.create(other.id);
    await each.svc.close();
    each.svc = undefined;
    const db = new Database(join(each.tmp.dir, DB));
    const row = db.prepare('select secret_enc from api_keys where id = ?').get(otherKey.key.id) as {
      secret_enc: string;
    };
    expect(row.secret_enc).toMatch(/^v2\./);
    const first = db.prepare("select id from domains where name = 'first'").get() as { id: string };
    db.prepare('update api_keys set domain_id = ? where id = ?').run(first.id, otherKey.key.id);
    db.close();
    each.svc = await start(config({ data: each.tmp.dir }, env));
    expect((await call(each.svc.url, 'GET', '/v1/', { key: otherKey.apiKey })).status).toBe(401);
    // the domain's own key is untouched, and its tokens are not signed with the moved one
    expect((await call(each.svc.url, 'GET', '/v1/', { key: KEY })).status).toBe(200);
  });

  it('are re-sealed for their domain at start-up when stored before the binding, hint recomputed', async () => {
    each.tmp = tempDir();
    each.svc = await start(config({ data: each.tmp.dir }, env));
    await each.svc.close();
    each.svc = undefined;
    const db = new Database(join(each.tmp.dir, DB));
    db.prepare('update api_keys set secret_enc = ?, hint = ?').run(sealV1(MASTER_KEY, KEY), 'zzzz');
    db.close();
    each.svc = await start(config({ data: each.tmp.dir }, env));
    expect((await call(each.svc.url, 'GET', '/v1/', { key: KEY })).status).toBe(200);
    await each.svc.close();
    each.svc = undefined;
    const after = new Database(join(each.tmp.dir, DB));
    const row = after.prepare('select secret_enc, hint from api_keys').get() as { secret_enc: string; hint: string };
    after.close();
    expect(row.secret_enc).toMatch(/^v2\./);
    expect(row.hint).toBe(KEY.slice(-4)); // a 33-character key keeps 4
  });

  it('keep at most an eighth of a key in clear as its hint (one character of an 8-character key)', async () => {
    each.tmp = tempDir();
    each.svc = await start(
      config({ data: each.tmp.dir }, { DAILY_API_KEY: 'abcd1234', DAILY_TOKENS_ADMIN_TOKEN: 'a'.repeat(20) }),
    );
    const keys = await call(each.svc.url, 'GET', '/admin/domains/dev/keys', { key: 'a'.repeat(20) });
    expect(keys.body.data[0].hint).toBe('4');
    const created = await each.svc.app.ctx.store.keys.create((keys.body.data[0] as { domain_id: string }).domain_id);
    expect(created.key.hint).toBe(created.apiKey.slice(-4));
  });
});

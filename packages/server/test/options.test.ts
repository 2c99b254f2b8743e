/**
 * The service's public factories refuse unknown option keys as the library does: a TypeError naming the key
 * and the option meant, before anything is opened or listened on.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildApp, loadConfig, openStore, type ServerConfig, serve } from '../src/index.js';
import { config, freshDataDirs, start } from './helpers.js';

const fresh = freshDataDirs();

describe('unknown option keys', () => {
  it('loadConfig: a misspelt flag', () => {
    expect(() => loadConfig({ prot: '0' } as never, {})).toThrow(
      new TypeError('loadConfig: unknown option "prot"; did you mean "port"?'),
    );
    expect(() => loadConfig({ allow_past_exp: true } as never, {})).toThrow(
      new TypeError('loadConfig: unknown option "allow_past_exp"; did you mean "allowPastExp"?'),
    );
    expect(loadConfig({ port: undefined, allowPastExp: undefined }, {}).port).toBe(8787);
  });

  it('buildApp, serve and openStore: a hand-made config with a misspelt key opens nothing', async () => {
    const data = fresh();
    const good = config({ data });
    const bad = { ...good, allowPastEXP: true } as unknown as ServerConfig;
    await expect(buildApp(bad)).rejects.toThrow(
      new TypeError('buildApp: unknown option "allowPastEXP"; did you mean "allowPastExp"?'),
    );
    await expect(serve(bad, { signals: false })).rejects.toThrow(/^serve: unknown option "allowPastEXP"/);
    await expect(openStore(bad)).rejects.toThrow(/^openStore: unknown option "allowPastEXP"/);
    // A seed's domain id spelt as Daily spells it would seed a domain with a made-up id.
    const seeded = { ...good, seed: { apiKey: 'k'.repeat(32), domain_id: 'd' } } as unknown as ServerConfig;
    await expect(buildApp(seeded)).rejects.toThrow(
      new TypeError('buildApp seed: unknown option "domain_id"; did you mean "domainId"?'),
    );
    expect(existsSync(data)).toBe(false);
  });

  it('the second argument of buildApp, serve and openStore', async () => {
    const data = fresh();
    const good = config({ data });
    await expect(buildApp(good, { log_stream: undefined } as never)).rejects.toThrow(
      new TypeError('buildApp: unknown option "log_stream"; did you mean "logStream"?'),
    );
    await expect(serve(good, { signal: false } as never)).rejects.toThrow(
      new TypeError('serve: unknown option "signal"; did you mean "signals"?'),
    );
    await expect(openStore(good, { bootstap: false } as never)).rejects.toThrow(
      new TypeError('openStore: unknown option "bootstap"; did you mean "bootstrap"?'),
    );
    expect(existsSync(data)).toBe(false);
  });

  it('known keys, undefined ones included, still start the service', async () => {
    const svc = await start({ ...config({ data: fresh() }), allowPastExp: undefined }, { clock: undefined });
    try {
      expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    } finally {
      await svc.close();
    }
  });
});

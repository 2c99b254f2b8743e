/**
 * Every example in examples/ runs as its users would run it, over real HTTP on 127.0.0.1, and passes the
 * whole endpoint contract: Next.js-style route, Hono, Express in this Node; Bun.serve, Deno.serve and a
 * Worker under workerd in their own processes. The examples import the built `daily-tokens/endpoint`.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { build } from 'esbuild';
import { createServer } from 'node:http';
import { ENV, endpointContract, type Running } from './contract.js';
import { bin, freePort, listen, ROOT, serveWeb, spawnServer } from './servers.js';

Object.assign(process.env, ENV);

endpointContract(
  'Next.js route handler (examples/nextjs)',
  async () => {
    const route = await import('../../../../examples/nextjs/app/api/daily-token/route.js');
    return listen(serveWeb({ POST: route.POST, OPTIONS: route.OPTIONS }));
  },
  { routesMethods: true },
);

endpointContract('Hono on @hono/node-server (examples/hono)', async () => {
  const { createApp } = await import('../../../../examples/hono/app.js');
  const app = createApp(ENV);
  return new Promise<Running>((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
});

endpointContract('Express (examples/express)', async () => {
  const { createApp } = await import('../../../../examples/express/app.js');
  return listen(createServer(createApp(ENV)));
});

endpointContract('Bun.serve (examples/bun)', () =>
  spawnServer(bin('bun'), ['examples/bun/server.ts'], { ...ENV, PORT: '0' }),
);

endpointContract('Deno.serve (examples/deno)', () =>
  spawnServer(
    bin('deno'),
    [
      'run',
      '--quiet',
      '--no-prompt',
      '--allow-net=127.0.0.1',
      '--allow-env=DAILY_API_KEY,DAILY_DOMAIN_ID,PORT',
      'examples/deno/server.ts',
    ],
    { ...ENV, PORT: '0' },
  ),
);

endpointContract('Cloudflare Worker under workerd (examples/worker)', async () => {
  // What wrangler does: bundle the worker, then hand it to workerd with its config.
  const dir = mkdtempSync(join(tmpdir(), 'daily-tokens-worker-'));
  await build({
    entryPoints: [`${ROOT}examples/worker/worker.js`],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: join(dir, 'worker.bundle.js'),
    logLevel: 'silent',
  });
  copyFileSync(`${ROOT}examples/worker/config.capnp`, join(dir, 'config.capnp'));
  const port = await freePort();
  const running = await spawnServer(
    bin('workerd'),
    ['serve', join(dir, 'config.capnp'), `--socket-addr=http=127.0.0.1:${port}`],
    ENV,
    `http://127.0.0.1:${port}`,
  );
  return {
    url: running.url,
    close: async () => {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

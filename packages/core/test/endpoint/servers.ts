/** Real servers on 127.0.0.1 for the endpoint tests: node:http, and other runtimes as child processes. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Running } from './contract.js';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const bin = (name: string) => `${ROOT}node_modules/.bin/${name}`;

export function listen(server: Server): Promise<Running> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * A node:http server that hands each request to Web-standard handlers by method, as Next.js does with the
 * exports of a route file (an unexported method is a 405 there too).
 */
export function serveWeb(handlers: Partial<Record<string, (request: Request) => Promise<Response>>>): Server {
  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const handler = handlers[req.method ?? 'GET'];
    if (handler === undefined) {
      res.writeHead(405, { allow: Object.keys(handlers).join(', ') }).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method ?? 'GET',
      headers,
      ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
    });
    const response = await handler(request);
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      out[name] = value;
    });
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
}

/** A free port on 127.0.0.1, for servers that cannot report the one they got. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

/**
 * Starts a server process and waits until it answers on `url` (or prints `listening on <url>`); bounded in
 * time, and the process is killed when the test ends.
 */
export async function spawnServer(
  command: string,
  args: string[],
  env: Record<string, string>,
  knownUrl?: string,
): Promise<Running> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start in 30 s:\n${output}`)), 30_000);
    const done = (u: string) => {
      clearTimeout(timer);
      resolve(u);
    };
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) done(m[1] as string);
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${output}`));
    });
    if (knownUrl) {
      // Poll until the server accepts connections.
      const poll = async () => {
        for (let i = 0; i < 300; i++) {
          try {
            await fetch(knownUrl);
            return done(knownUrl);
          } catch {
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      };
      void poll();
    }
  });
  return { url, close: () => stop(child) };
}

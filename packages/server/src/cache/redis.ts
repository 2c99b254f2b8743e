/**
 * Redis for replicas: one client for rate-limit counters and publishing, one subscribed to the
 * key-change channel. Commands fail fast when Redis is down or frozen: they time out after
 * `commandTimeoutMs`, and after a failure a circuit stops asking Redis for `retryMs`.
 */
import type { Redis } from 'ioredis';
import { redactUrl } from '../crypto/secrets.js';
import { Circuit } from './circuit.js';

export interface RedisOptions {
  /** A command not answered within this is a failure (a frozen Redis must not stall requests). */
  commandTimeoutMs: number;
  /** After a failure, how long to answer without Redis before trying it again. */
  retryMs: number;
  /** Called once when Redis goes down (with the error) and once when it is back. */
  onStateChange?: (up: boolean, error?: Error) => void;
}

export interface RedisLink {
  client: Redis;
  prefix: string;
  /** False from a failed command until a later one succeeds. */
  readonly up: boolean;
  /** Runs commands through the circuit: fails at once (CircuitOpenError) while Redis is known down. */
  run<T>(fn: (client: Redis) => Promise<T>): Promise<T>;
  /** PINGs through the circuit; for /readyz. */
  probe(): Promise<boolean>;
  /** Tells every replica (this one too) that keys changed. */
  publishKeyChange(): Promise<void>;
  close(): Promise<void>;
}

export async function connectRedis(
  url: string,
  prefix: string,
  onKeyChange: () => void,
  { commandTimeoutMs, retryMs, onStateChange = () => {} }: RedisOptions = { commandTimeoutMs: 250, retryMs: 2000 },
): Promise<RedisLink> {
  const options = {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    commandTimeout: commandTimeoutMs,
  };
  // loaded only when Redis is configured: a single instance never pays its memory
  const { Redis } = await import('ioredis');
  const client = new Redis(url, options);
  const sub = new Redis(url, { ...options, commandTimeout: undefined });
  // errors surface through failed commands; an unhandled 'error' event would crash the process
  client.on('error', () => {});
  sub.on('error', () => {});
  const channel = `${prefix}keys-changed`;
  try {
    await client.connect();
    await sub.connect();
    await sub.subscribe(channel);
  } catch (e) {
    client.disconnect();
    sub.disconnect();
    throw new Error(`cannot reach Redis at ${redactUrl(url, 'redis')}: ${(e as Error).message}`);
  }
  sub.on('message', (ch: string) => {
    if (ch === channel) onKeyChange();
  });
  // After a reconnect we may have missed messages: forget cached keys to be safe.
  sub.on('ready', onKeyChange);
  const circuit = new Circuit('Redis', retryMs, onStateChange);
  const run = <T>(fn: (c: Redis) => Promise<T>) => circuit.run(() => fn(client));
  return {
    client,
    prefix,
    get up() {
      return circuit.up;
    },
    run,
    async probe() {
      try {
        await run((c) => c.ping());
        return true;
      } catch {
        return false;
      }
    },
    async publishKeyChange() {
      await run((c) => c.publish(channel, String(Date.now())));
    },
    async close() {
      client.disconnect();
      sub.disconnect();
    },
  };
}

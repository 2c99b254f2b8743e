/**
 * Redis for replicas: one client for rate-limit counters and publishing, one subscribed to the
 * key-change channel. Commands fail fast when Redis is down instead of queueing.
 */
import { Redis } from 'ioredis';

export interface RedisLink {
  client: Redis;
  prefix: string;
  /** Tells every replica (this one too) that keys changed. */
  publishKeyChange(): Promise<void>;
  close(): Promise<void>;
}

export async function connectRedis(url: string, prefix: string, onKeyChange: () => void): Promise<RedisLink> {
  const options = {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    commandTimeout: 1000,
  };
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
    throw new Error(`cannot reach Redis at ${redact(url)}: ${(e as Error).message}`);
  }
  sub.on('message', (ch: string) => {
    if (ch === channel) onKeyChange();
  });
  // After a reconnect we may have missed messages: forget cached keys to be safe.
  sub.on('ready', onKeyChange);
  return {
    client,
    prefix,
    async publishKeyChange() {
      await client.publish(channel, String(Date.now()));
    },
    async close() {
      client.disconnect();
      sub.disconnect();
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis';
  }
}

/**
 * Key-change announcements through Postgres LISTEN/NOTIFY, for replicas that share a Postgres but no
 * Redis. One dedicated connection listens; if it drops, it reconnects and forgets cached keys.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { APPLICATION_NAME } from '../store/db.js';

export interface PgNotifyLink {
  channel: string;
  close(): Promise<void>;
}

/** The channel is per schema, so test schemas (and tenants) do not hear each other. */
export function notifyChannel(schema: string | undefined): string {
  return `daily_tokens_keys_${createHash('sha256')
    .update(schema ?? 'public')
    .digest('hex')
    .slice(0, 16)}`;
}

export async function listenForKeyChanges(
  url: string,
  schema: string | undefined,
  onChange: () => void,
): Promise<PgNotifyLink> {
  const channel = notifyChannel(schema);
  const { default: pgModule } = await import('pg');
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new pgModule.Client({
      connectionString: url,
      connectionTimeoutMillis: 2000,
      application_name: `${APPLICATION_NAME}-listen`,
    });
    // a terminated connection emits 'error' and then 'end', which reconnects
    c.on('error', () => {});
    c.on('notification', (msg) => {
      if (msg.channel === channel) onChange();
    });
    c.on('end', () => {
      if (!closed) retry();
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    client = c;
    // messages may have been missed while disconnected
    onChange();
  };
  const retry = () => {
    client = undefined;
    clearTimeout(timer);
    timer = setTimeout(() => {
      connect().catch(retry);
    }, 1000);
    timer.unref();
  };
  await connect();
  return {
    channel,
    async close() {
      closed = true;
      clearTimeout(timer);
      await client?.end().catch(() => {});
    },
  };
}

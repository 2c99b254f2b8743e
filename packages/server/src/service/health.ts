/** Whether the service can serve: the store answers (within a second) and the service is not draining. */
import type { AppContext } from './context.js';

const PING_TIMEOUT_MS = 1000;

async function storeReachable(ctx: AppContext): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ctx.store.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The readiness report of `/readyz`. A Redis outage degrades (limits per replica) but does not stop the service:
 * answering 503 for it would take every replica out of the load balancer at once. It is reported, not failed.
 */
export async function readiness(ctx: AppContext) {
  const [store, redis] = await Promise.all([storeReachable(ctx), ctx.redis?.probe()]);
  ctx.state.storeUp = store;
  const ready = store && !ctx.state.shuttingDown;
  return {
    ready,
    store: store ? 'up' : 'down',
    ...(redis === undefined ? {} : { redis: redis ? 'up' : 'down' }),
    shutting_down: ctx.state.shuttingDown,
  };
}

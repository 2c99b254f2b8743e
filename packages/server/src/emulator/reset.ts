/** A clean slate between test cases: the one operation behind `POST /admin/reset` and the testing entry. */
import type { AppContext } from '../context.js';

/**
 * Deletes every room of every domain, puts every domain config set through `POST /v1/` back to a fresh
 * domain's (keys and domains stay) and clears every rate-limit and failed-login counter. In emulator mode
 * it also removes every fault rule and empties the journal: the next test starts with neither.
 */
export async function resetEmulator(ctx: AppContext): Promise<{ deleted_rooms: number; domains: number }> {
  const domains = await ctx.store.domains.list();
  let deleted = 0;
  for (const d of domains) {
    deleted += await ctx.store.rooms.reset(d.id);
    await ctx.store.domains.resetConfig(d.id);
  }
  // a clean slate includes full budgets: a suite that hit 429 must not carry it into the next case
  await ctx.limiter?.reset();
  ctx.throttle.reset();
  ctx.emulator?.faults.clear();
  ctx.emulator?.journal.clear();
  return { deleted_rooms: deleted, domains: domains.length };
}

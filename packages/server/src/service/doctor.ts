/**
 * Why won't this token work in this room? The library's `diagnoseMeetingToken` over the token, the stored room
 * and the domain's config, with the token verified against the domain's keyring: what `daily-tokens doctor`
 * says, for apps that call the emulator over HTTP.
 */
import { diagnoseMeetingToken } from 'daily-tokens/doctor';
import { DEFAULT_DOMAIN_CONFIG } from 'daily-tokens/rooms';
import type { ResolvedKey } from '../cache/key-cache.js';
import type { AppContext } from './context.js';
import { roomJson } from './rooms.js';

export async function diagnose(ctx: AppContext, auth: ResolvedKey, token: string, room: string) {
  const now = ctx.clock();
  const [row, config] = await Promise.all([
    ctx.store.rooms.get(auth.domain.id, room, now),
    ctx.store.domains.config(auth.domain.id),
  ]);
  return diagnoseMeetingToken({
    token,
    room: row ? roomJson(row, auth.domain.name) : null,
    roomName: room,
    domain: { domain_id: auth.domain.id, config: { ...DEFAULT_DOMAIN_CONFIG, ...config } },
    verified: auth.verifier(false).verifySync(token, { now }),
    now,
  });
}

/**
 * The inspector's Doctor in Chromium: a token and a pasted room (and domain) JSON give the library's
 * findings on the page, each with its fix and evidence, and nothing leaves the page.
 */
import { createMeetingToken } from 'daily-tokens';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { inspectorForFile } from './harness.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const API_KEY = 'ak_test_doctor_3b9f0c1e8d7a6b5c4d3e2f1a0b9c8d7e';
const OTHER_KEY = 'ak_test_doctor_another_domain_key_000000';
const DOMAIN = '25df5057-5c8e-4c5a-9f3a-6a2b1c0d9e8f';

const ui = inspectorForFile(NOW);

const mint = (properties: Record<string, unknown>, options: Record<string, unknown> = {}) =>
  createMeetingToken(properties, { apiKey: API_KEY, domainId: DOMAIN, now: NOW, ...options });
const roomJson = (config: Record<string, unknown> = {}, privacy = 'public', name = 'standup') =>
  JSON.stringify({ id: 'r1', name, privacy, url: `https://acme.daily.co/${name}`, config });

async function open(token: string, room: string, { key = '', domain = '' } = {}): Promise<Page> {
  const session = await ui.open([token, ...token.split('.').slice(1), ...(key ? [key] : []), room]);
  await session.page.locator('#doctor-open').click();
  if (key) await session.page.locator('#verify-key').fill(key);
  await session.page.locator('#token').fill(token);
  if (domain) await session.page.locator('#doctor-domain').fill(domain);
  await session.page.locator('#doctor-room').fill(room);
  return session.page;
}
const rules = (page: Page) =>
  page.locator('#doctor-result .finding').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')));
const verdict = (page: Page) => page.locator('#doctor-result .doctor-verdict').getAttribute('data-verdict');

describe('inspector doctor', () => {
  it('a bot without an owner token in its room: the finding, its fix and its evidence', async () => {
    const page = await open(await mint({ room_name: 'standup', auto_start_transcription: true }), roomJson());
    await expect.poll(() => rules(page)).toContain('owner-needed');
    const f = page.locator('#doctor-result .finding[data-rule="owner-needed"]');
    expect(await f.locator('.fix').textContent()).toMatch(/is_owner: true/);
    expect(await f.locator('.evidence').textContent()).toMatch(/Daily's docs say auto_start_transcription/);
    expect(await verdict(page)).toBe('applies');
  });

  it('ejection at a short token exp, and a room that ejects everyone at its exp', async () => {
    const token = await mint({ room_name: 'standup', eject_at_token_exp: true }, { expiresIn: '10m' });
    const page = await open(token, roomJson({ exp: NOW_S + 300, eject_at_room_exp: true }));
    await expect.poll(() => rules(page)).toContain('ejected-at-token-exp');
    expect(
      await page.locator('#doctor-result [data-rule="ejected-at-token-exp"] .finding-message').textContent(),
    ).toMatch(/Meeting has ended/);
    // The token's own ejection replaces the room's.
    expect(await rules(page)).toContain('room-ejection-overridden');
  });

  it('the wrong room (spelled differently), knocking without a lobby, recording the room forbids', async () => {
    const token = await mint({ room_name: 'Standup', knocking: true, start_cloud_recording: true });
    const page = await open(token, roomJson({ enable_recording: 'local' }));
    await expect
      .poll(() => rules(page))
      .toEqual(expect.arrayContaining(['wrong-room', 'knocking-without-lobby', 'recording-not-allowed']));
    expect(await verdict(page)).toBe('refuses');
  });

  it('with the key: a private room joined with a token Daily refuses', async () => {
    const token = await createMeetingToken({ room_name: 'standup' }, { apiKey: OTHER_KEY, domainId: DOMAIN, now: NOW });
    const page = await open(token, roomJson({}, 'private'), { key: API_KEY });
    await expect
      .poll(() => rules(page))
      .toEqual(expect.arrayContaining(['bad-signature', 'private-room-without-token']));
  });

  it('a HIPAA domain from the pasted domain JSON; bad JSON says what to paste', async () => {
    const token = await mint({ room_name: 'standup', user_id: 'bob' });
    const page = await open(token, roomJson(), {
      domain: JSON.stringify({ domain_id: DOMAIN, config: { hipaa: true } }),
    });
    await expect.poll(() => rules(page)).toContain('user-id-not-uuid');
    await page.locator('#doctor-room').fill('{"privacy": "private"}');
    await expect.poll(() => page.locator('#doctor-result').textContent()).toMatch(/has no "name"/);
    await page.locator('#doctor-room').fill('not json');
    await expect.poll(() => page.locator('#doctor-result').textContent()).toMatch(/is not JSON/);
  });
});

import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CLAIM_REGISTRY,
  createMeetingToken,
  decodeUnverified,
  lintMeetingToken,
  verifyMeetingToken,
} from 'daily-tokens';
import { CLAIM_MEANINGS, describePermissions, relativeTime } from 'daily-tokens/explain';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DIST_DIR, inspectorForFile, leaks, openSession, PACKAGE_DIR } from './harness.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const API_KEY = 'ak_test_3b9f0c1e8d7a6b5c4d3e2f1a0b9c8d7e';
const OTHER_KEY = 'ak_test_another_key_of_another_domain_00';
const DOMAIN = '25df5057-5c8e-4c5a-9f3a-6a2b1c0d9e8f';

const ui = inspectorForFile(NOW);
const { sessions } = ui;

/** Every secret a test typed or pasted, and the token parts that would identify a token. */
function secretsOf(...values: string[]): string[] {
  return values.flatMap((v) => (v.split('.').length === 3 ? [v, ...v.split('.').slice(1)] : [v]));
}

const open = (secrets: string[], options: Parameters<typeof openSession>[2] = {}, path = '/') =>
  ui.open(secrets, options, path);

const mint = (properties: Record<string, unknown>, options: Record<string, unknown> = {}) =>
  createMeetingToken(properties, { apiKey: API_KEY, domainId: DOMAIN, now: NOW, ...options });

async function pasteToken(page: Page, text: string) {
  await page.locator('#token').fill(text);
}

const row = (page: Page, claim: string) => page.locator(`#claims tr[data-claim="${claim}"]`);

describe('inspector page', () => {
  it('decodes a pasted token (Bearer prefix, quotes, whitespace) into coloured parts and claim rows', async () => {
    const token = await mint({
      room_name: 'standup',
      user_name: 'Ada',
      is_owner: false,
      permissions: { canSend: ['video', 'audio'], canAdmin: ['participants'] },
    });
    const { page } = await open(secretsOf(token));
    await expect.poll(() => page.locator('#privacy').textContent()).toContain('Nothing leaves this page');

    await pasteToken(page, `  Bearer "${token.slice(0, 60)}\n${token.slice(60)}"  `);
    const [header, payload, signature] = token.split('.');
    expect(await page.locator('#token-parts .part-header').textContent()).toBe(header);
    expect(await page.locator('#token-parts .part-payload').textContent()).toBe(payload);
    expect(await page.locator('#token-parts .part-signature').textContent()).toBe(signature);
    const colours = await page.$$eval('#token-parts .part', (els) => els.map((e) => getComputedStyle(e).color));
    expect(new Set(colours).size).toBe(3);

    const decoded = decodeUnverified(token);
    expect(await page.locator('#claims tbody tr').count()).toBe(Object.keys(decoded.claims).length);
    const room = row(page, 'r');
    expect(await room.locator('.c-name').textContent()).toBe('room_name');
    expect(await room.locator('.c-value').textContent()).toBe('standup');
    expect(await room.locator('.c-meaning').textContent()).toContain(CLAIM_MEANINGS.room_name.meaning);
    expect(await row(page, 'u').locator('.c-value').textContent()).toBe('Ada');
    expect(await row(page, 'p').locator('.c-words').textContent()).toBe(
      describePermissions({ canSend: ['video', 'audio'], canAdmin: ['participants'] }),
    );
    const exp = row(page, 'exp');
    expect(await exp.locator('time').getAttribute('datetime')).toBe('2026-03-10T13:00:00Z');
    expect(await exp.locator('.c-relative').textContent()).toBe(relativeTime(NOW_S + 3600, NOW_S));
    expect(await exp.locator('.c-local').textContent()).toBe(
      await page.evaluate((ms) => new Date(ms).toLocaleString(), (NOW_S + 3600) * 1000),
    );
    expect(await page.locator('#token-status').textContent()).toContain('Stripped');
  });

  it('shows hostile claim values as text and says what is wrong with garbage', async () => {
    const hostile = '<img src=x onerror="document.title=1">';
    const token = await mint({ room_name: 'safe', user_name: hostile });
    const { page } = await open(secretsOf(token, API_KEY));
    await pasteToken(page, token);
    expect(await row(page, 'u').locator('.c-value').textContent()).toBe(hostile);
    expect(await page.locator('#claims img').count()).toBe(0);

    await page.locator('#verify-key').fill(API_KEY);
    await pasteToken(page, 'eyJhbGciOiJIUzI1NiJ9.not-json.sig');
    expect(await page.locator('#decoded').isHidden()).toBe(true);
    expect(await page.locator('#token-status').textContent()).toContain('Malformed token');
    expect(await page.locator('#lint .finding').first().getAttribute('data-rule')).toBe('malformed');
    await expect
      .poll(() => page.locator('#verify-result .problem').first().getAttribute('data-code'))
      .toBe('malformed');
  });

  it('shows an expired token on the timeline, after its exp', async () => {
    const threeDays = 3 * 86_400;
    const token = await mint(
      { room_name: 'old', exp: NOW_S - threeDays },
      { now: new Date((NOW_S - threeDays - 1800) * 1000) },
    );
    const { page } = await open(secretsOf(token));
    await pasteToken(page, token);
    const summary = page.locator('#validity-summary');
    expect(await summary.getAttribute('data-state')).toBe('expired');
    expect(await summary.textContent()).toContain('Expired 3 days ago');
    const x = async (mark: string) => (await page.locator(`.tl-mark.tl-${mark}`).boundingBox())?.x ?? Number.NaN;
    expect(await x('iat')).toBeLessThan(await x('exp'));
    expect(await x('exp')).toBeLessThan(await x('now'));
    expect(await page.locator('.tl-legend [data-mark="exp"]').textContent()).toContain('3 days ago');
    expect(await row(page, 'exp').locator('.c-relative').textContent()).toBe('3 days ago');

    // And one that is not valid yet.
    const early = await mint({ room_name: 'later', nbf: NOW_S + 600 });
    await pasteToken(page, early);
    expect(await summary.getAttribute('data-state')).toBe('not-yet-valid');
    expect(await summary.textContent()).toContain('in 10 min');
  });

  it('lists lint findings by severity, each with its fix', async () => {
    const token = await mint({ user_name: 'guest' }, { allRooms: true, noExpiry: true });
    const { page } = await open(secretsOf(token));
    await pasteToken(page, token);
    const expected = lintMeetingToken(token, { now: NOW });
    expect(expected.map((f) => f.rule)).toContain('no-expiry');
    const shown = await page.$$eval('#lint .finding', (els) => els.map((e) => e.getAttribute('data-rule')));
    expect(shown).toEqual(expected.map((f) => f.rule));
    const noExpiry = page.locator('#lint .finding[data-rule="no-expiry"]');
    expect(await noExpiry.locator('.badge').textContent()).toBe('error');
    const finding = expected.find((f) => f.rule === 'no-expiry');
    expect(await noExpiry.locator('.fix').textContent()).toBe(`Fix: ${finding?.fix}`);
    expect(await page.locator('#lint .lint-group.sev-error h3').textContent()).toBe('Errors');

    // Lint options re-run at once; a bad duration says what to write instead.
    await page.locator('#lint-max-lifetime').fill('3600');
    expect(await page.locator('#lint-options-status').textContent()).toContain('has no unit');
    // The timeline shows a token without exp as never expiring.
    expect(await page.locator('#validity-summary').textContent()).toContain('never expires');
  });

  it('verifies: not checked, valid, invalid with every problem and fix, fix-your-input; changing the key re-checks', async () => {
    const token = await mint({ room_name: 'standup' });
    const { page } = await open(secretsOf(token, API_KEY, OTHER_KEY));
    const result = page.locator('#verify-result');
    const state = () => result.getAttribute('data-state');
    expect(await state()).toBe('not-checked');

    await pasteToken(page, token);
    expect(await state()).toBe('not-checked');
    expect(await result.textContent()).toContain('Enter the domain');

    await page.locator('#verify-key').fill(API_KEY);
    await expect.poll(state).toBe('valid');
    expect(await result.textContent()).toContain('Signed with this key');

    await page.locator('#verify-key').fill(OTHER_KEY);
    await expect.poll(state).toBe('invalid');
    const badSig = result.locator('.problem[data-code="bad-signature"]');
    const reference = await verifyMeetingToken(token, { apiKey: OTHER_KEY, now: NOW });
    expect(await badSig.locator('.fix').textContent()).toBe(`Fix: ${reference.problems[0]?.fix}`);

    // Every problem at once: wrong key, other domain, other room.
    await page.locator('#verify-domain').fill('another-domain');
    await page.locator('#verify-room').fill('lobby');
    await expect.poll(() => result.locator('.problem').count()).toBe(3);
    const codes = await result.locator('.problem').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(codes.sort()).toEqual(['bad-signature', 'wrong-domain', 'wrong-room']);

    await page.locator('#verify-key').fill('');
    await expect.poll(state).toBe('fix-input');
    expect(await result.textContent()).toContain("Enter the domain's API key");
    await page.locator('#verify-key').fill(`${API_KEY} `);
    await expect.poll(state).toBe('fix-input');
    expect(await result.textContent()).not.toContain(API_KEY);

    // Rapid edits: only the last one's result is shown.
    await page.locator('#verify-domain').fill(DOMAIN);
    await page.locator('#verify-room').fill('standup');
    await page.evaluate(
      ([wrong, right]) => {
        const key = document.getElementById('verify-key') as HTMLInputElement;
        for (const v of [wrong, right, wrong, right]) {
          key.value = v as string;
          key.dispatchEvent(new Event('input'));
        }
      },
      [OTHER_KEY, API_KEY],
    );
    await expect.poll(state).toBe('valid');
    expect(await result.textContent()).toContain(`for domain ${DOMAIN}`);

    // Not valid yet, unless nbf is ignored as Daily's ?ignoreNbf=true does.
    const early = await mint({ room_name: 'standup', nbf: NOW_S + 600 });
    sessions[0]?.secrets.push(...secretsOf(early));
    await pasteToken(page, early);
    await expect.poll(() => result.locator('.problem').first().getAttribute('data-code')).toBe('not-yet-valid');
    await page.locator('#verify-ignore-nbf').check();
    await expect.poll(state).toBe('valid');
    await page.locator('#verify-ignore-nbf').uncheck();
    await expect.poll(state).toBe('invalid');

    // A new token re-checks with the same key.
    await pasteToken(page, token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA'));
    await expect.poll(state).toBe('invalid');
    await pasteToken(page, '');
    await expect.poll(state).toBe('not-checked');
  });

  it('builds a token with the library defaults and refusals, copies it and decodes it', async () => {
    const { page, context } = await open(secretsOf(API_KEY));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.origin });
    // The form is folded until asked for; the "Build" link opens it.
    expect(await page.locator('#build-key').isVisible()).toBe(false);
    await page.locator('nav a[href="#build-section"]').click();
    await expect.poll(() => page.locator('#build-key').isVisible()).toBe(true);

    // Signing inputs first: each problem points at its field.
    await page.locator('#build-create').click();
    const noKey = page.locator('#build-issues .problem[data-path="apiKey"]');
    expect(await noKey.textContent()).toContain('API key is empty');
    await noKey.locator('button').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('build-key');
    await page.locator('#build-key').fill(API_KEY);
    await page.locator('#build-expires-in').fill('3600');
    await page.locator('#build-create').click();
    expect(await page.locator('#build-issues .problem[data-path="domainId"]').textContent()).toContain('Domain id');
    await page.locator('#build-domain').fill(DOMAIN);
    await page.locator('#build-create').click();
    expect(await page.locator('#build-issues .problem[data-path="expiresIn"]').textContent()).toContain('has no unit');
    await page.locator('#build-expires-in').fill('1h');

    // Refused like the library: no room without "all rooms", listed with the library's message.
    await page.locator('#build-key').fill(API_KEY);
    await page.locator('#build-domain').fill(DOMAIN);
    await page.locator('#build-create').click();
    const refusal = page.locator('#build-issues .problem[data-path="room_name"]');
    expect(await refusal.textContent()).toContain('is missing');
    await refusal.locator('button').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('b-room_name');

    // The form is generated from the registry.
    expect(await page.locator('#b-lang option').count()).toBe(1 + CLAIM_REGISTRY.lang.values.length);
    expect(await page.locator('#b-user_id').getAttribute('maxlength')).toBe(String(CLAIM_REGISTRY.user_id.maxLength));
    expect(await page.locator('#b-nbf').getAttribute('type')).toBe('datetime-local');

    await page.locator('#b-room_name').fill('standup');
    await page.locator('#b-user_name').fill('Ada');
    await page.locator('#b-is_owner').selectOption('true');
    await page.locator('#b-lang').selectOption('de');
    await page.locator('#b-permissions\\.canSend-video').check();
    await page.locator('#b-permissions\\.canSend-audio').check();
    await page.locator('#b-start_cloud_recording_opts').fill('{"layout": {"preset": "default"');
    await page.locator('#build-create').click();
    expect(await page.locator('#build-issues').textContent()).toContain('is not valid JSON');
    await page.locator('#b-start_cloud_recording_opts').fill('');
    await page.locator('#build-create').click();
    await expect.poll(() => page.locator('#build-output').isVisible()).toBe(true);

    await page.locator('#copy-token').click();
    await expect.poll(() => page.locator('#copy-status').textContent()).toContain('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    sessions[0]?.secrets.push(...secretsOf(copied));

    const verified = await verifyMeetingToken(copied, {
      apiKey: API_KEY,
      domainId: DOMAIN,
      roomName: 'standup',
      now: NOW,
    });
    expect(verified.problems).toEqual([]);
    expect(verified.claims).toMatchObject({ r: 'standup', u: 'Ada', o: true, uil: 'de', p: { cs: 'v,a' } });
    expect(verified.claims?.exp).toBe(NOW_S + 3600);
    expect(verified.claims?.iat).toBe(NOW_S);

    await pasteToken(page, copied);
    expect(await row(page, 'uil').locator('.c-value').textContent()).toBe('de');
    expect(await row(page, 'o').locator('.c-name').textContent()).toBe('is_owner');

    // "Inspect it" does the same in one step.
    await pasteToken(page, '');
    await page.locator('#inspect-built').click();
    expect(await row(page, 'r').locator('.c-value').textContent()).toBe('standup');

    // No expiry and all rooms, as the library allows when asked.
    await page.locator('#b-room_name').fill('');
    await page.locator('#build-all-rooms').check();
    await page.locator('#build-no-expiry').check();
    await page.locator('#build-create').click();
    await expect.poll(() => page.locator('#built-token').inputValue()).not.toBe(copied);
    const forever = decodeUnverified(await page.locator('#built-token').inputValue());
    sessions[0]?.secrets.push(...secretsOf(await page.locator('#built-token').inputValue()));
    expect(forever.claims.exp).toBeUndefined();
    expect(forever.claims.r).toBeUndefined();
  });

  it('opens a token from the #token= fragment, never from the query string, and links to it', async () => {
    const token = await mint({ room_name: 'linked' });
    const { page, context } = await open(secretsOf(token), {}, `/#token=${token}`);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.origin });
    expect(await page.locator('#token').inputValue()).toBe(token);
    expect(await row(page, 'r').locator('.c-value').textContent()).toBe('linked');

    await page.locator('#copy-link').click();
    await expect.poll(() => page.locator('#link-status').textContent()).toContain('Link copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${ui.origin}/#token=${token}`);

    // A hash change loads the new token.
    const other = await mint({ room_name: 'second' });
    sessions[0]?.secrets.push(...secretsOf(other));
    await page.evaluate((t) => (location.hash = `token=${t}`), other);
    await expect.poll(() => row(page, 'r').locator('.c-value').textContent()).toBe('second');

    // The query string is refused (it was sent to the server, which is why); here the token is sent on purpose.
    const session = await openSession(ui.browser, NOW);
    await session.page.goto(`${ui.origin}/?token=${token}`);
    expect(await session.page.locator('#token').inputValue()).toBe('');
    expect(await session.page.locator('#token-status').textContent()).toContain('query string');
    // That request did carry the token: the leak detector every test relies on sees it.
    expect(leaks(session, ui.origin, secretsOf(token))).not.toEqual([]);
    await session.context.close();
  });

  it('is usable with the keyboard alone: paste, verify, read the result', async () => {
    const token = await mint({ room_name: 'keys' });
    const { page } = await open(secretsOf(token, API_KEY));
    const tabTo = async (id: string) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
      }
      throw new Error(`#${id} is not reachable with Tab`);
    };
    // The skip link comes first and jumps to the token field.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Skip');
    await tabTo('token');
    await page.keyboard.insertText(token);
    expect(await row(page, 'r').locator('.c-value').textContent()).toBe('keys');
    await tabTo('verify-key');
    await page.keyboard.type(API_KEY);
    await expect.poll(() => page.locator('#verify-result').getAttribute('data-state')).toBe('valid');
    // Focus is visible.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');

    // Build from the keyboard: Enter opens the folded form, Enter in a field submits it.
    await tabTo('build-open');
    await page.keyboard.press('Enter');
    await tabTo('build-key');
    await page.keyboard.type(API_KEY);
    await page.keyboard.press('Tab');
    await page.keyboard.type(DOMAIN);
    await tabTo('b-room_name');
    await page.keyboard.type('keys');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#build-output').isVisible()).toBe(true);
    sessions[0]?.secrets.push(...secretsOf(await page.locator('#built-token').inputValue()));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('copy-token');
  });

  it('fits a 390 px phone screen without horizontal scrolling', async () => {
    const token = await mint({
      room_name: 'a-rather-long-room-name-that-could-push-the-layout-sideways',
      user_name: 'Ada Lovelace',
      permissions: { canSend: true, canAdmin: ['participants', 'streaming'] },
      nbf: NOW_S - 60,
    });
    const { page } = await open(secretsOf(token, API_KEY), { viewport: { width: 390, height: 844 } });
    await pasteToken(page, token);
    await page.locator('#verify-key').fill(API_KEY);
    await expect.poll(() => page.locator('#verify-result').getAttribute('data-state')).toBe('valid');
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    // Rows become cards: the value is below the claim, not beside it.
    const claim = await row(page, 'r').locator('.c-claim').boundingBox();
    const value = await row(page, 'r').locator('.c-value').boundingBox();
    expect(value?.y ?? 0).toBeGreaterThan(claim?.y ?? 0);
  });

  it('lays out for people: labels apart, times whole, a short page, help that fits the control', async () => {
    // not before and now one minute apart on a day-long bar: their labels must not print on top of each other.
    const token = await mint({ room_name: 'layout' }, { now: new Date((NOW_S - 120) * 1000), expiresIn: '1d' });
    const close = await mint(
      { room_name: 'layout', nbf: NOW_S - 60 },
      { now: new Date((NOW_S - 120) * 1000), expiresIn: '1d' },
    );
    const overlaps = (page: Page) =>
      page.$$eval('.tl-label', (labels) => {
        const boxes = labels.map((l) => l.getBoundingClientRect());
        const hits: string[] = [];
        boxes.forEach((a, i) => {
          boxes.slice(i + 1).forEach((b, j) => {
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
              hits.push(`${labels[i]?.textContent} × ${labels[i + 1 + j]?.textContent}`);
          });
        });
        return hits;
      });
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const { page } = await open(secretsOf(token, close), { viewport });
      for (const t of [token, close]) {
        await pasteToken(page, t);
        expect(await overlaps(page), `${viewport.width} px`).toEqual([]);
        expect(await page.locator('.tl-bar').textContent()).toContain('now');
      }
      // A time and its "· 1 min ago" stay on one line, even on a phone.
      for (const item of await page.locator('.tl-legend li[data-mark="nbf"], .tl-legend li[data-mark="exp"]').all()) {
        const time = await item.locator('time').boundingBox();
        const relative = await item.locator('.tl-relative').boundingBox();
        expect(Math.abs((relative?.y ?? 0) - (time?.y ?? 100))).toBeLessThan(4);
      }
      const shot = await page.locator('#timeline').screenshot();
      expect(shot.length).toBeGreaterThan(1000);
      if (viewport.width === 1280) {
        // With a token shown and the build form folded, the page is a few screens, not 4,600 px.
        expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(2600);
        await page.locator('#build-details > summary').click();
        for (const name of ['exp', 'nbf']) {
          const help = await page.locator(`#b-${name}-help`).textContent();
          expect(help).not.toContain('(unix seconds)');
          expect(help).toContain('local time');
        }
      }
    }
  });

  it('follows a dark colour scheme', async () => {
    const token = await mint({ room_name: 'night' });
    const luminance = (page: Page, selector: string, prop: 'color' | 'backgroundColor') =>
      page.$eval(
        selector,
        (el, p) => {
          const [r, g, b] = (getComputedStyle(el)[p as 'color'].match(/\d+/g) ?? []).map(Number);
          return (0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)) / 255;
        },
        prop,
      );
    const dark = await open(secretsOf(token), { colorScheme: 'dark' });
    await pasteToken(dark.page, token);
    expect(await luminance(dark.page, 'body', 'backgroundColor')).toBeLessThan(0.15);
    expect(await luminance(dark.page, 'body', 'color')).toBeGreaterThan(0.8);
    expect(await luminance(dark.page, '#claims td', 'color')).toBeGreaterThan(0.6);
    const light = await open(secretsOf(token), { colorScheme: 'light' });
    expect(await luminance(light.page, 'body', 'backgroundColor')).toBeGreaterThan(0.9);
  });

  it('works opened straight from disk (file://)', async () => {
    const token = await mint({ room_name: 'offline' });
    const session = await openSession(ui.browser, NOW);
    sessions.push({ session, secrets: secretsOf(token) });
    await session.page.goto(`file://${join(DIST_DIR, 'index.html')}#token=${token}`);
    expect(await row(session.page, 'r').locator('.c-value').textContent()).toBe('offline');
    expect(session.requests.every((r) => r.url.startsWith('file://'))).toBe(true);
  });

  it('takes the README screenshot with the docs example token', async () => {
    // The payload of Daily's guide example: { nbf, exp, r: "hello", o: true, ss: true, er: "local", d, iat }.
    const token = await mint(
      { nbf: NOW_S - 300, room_name: 'hello', is_owner: true, enable_screenshare: true, enable_recording: 'local' },
      { now: new Date((NOW_S - 600) * 1000) },
    );
    const { page } = await open(secretsOf(token, API_KEY), {
      viewport: { width: 1100, height: 900 },
      deviceScaleFactor: 1,
    });
    await pasteToken(page, token);
    await page.locator('#verify-key').fill(API_KEY);
    await page.locator('#verify-domain').fill(DOMAIN);
    await page.locator('#verify-room').fill('hello');
    await expect.poll(() => page.locator('#verify-result').getAttribute('data-state')).toBe('valid');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const bottom = await page
      .locator('#verify-section')
      .evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
    // docs/inspector.png is written when missing or when asked (UPDATE_SCREENSHOTS=1), so a test run
    // on a machine with other fonts does not leave a changed binary in the checkout.
    const committed = join(PACKAGE_DIR, '..', '..', 'docs', 'inspector.png');
    const target =
      process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(committed)
        ? committed
        : join(mkdtempSync(join(tmpdir(), 'inspector-')), 'inspector.png');
    mkdirSync(dirname(target), { recursive: true });
    const png = await page.screenshot({
      path: target,
      fullPage: true,
      clip: { x: 0, y: 0, width: 1100, height: Math.ceil(bottom + 16) },
    });
    // A PNG of the page down to the verify box (signature, then IHDR width).
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1100);
  });
});

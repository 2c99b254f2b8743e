/** The page's pure parts, without a browser: token clean-up, the timeline layout, verify planning. */
import { MAX_TOKEN_LENGTH } from 'daily-tokens';
import { relativeTime } from 'daily-tokens/explain';
import { cleanTokenInput } from 'daily-tokens/token-input';
import { describe, expect, it } from 'vitest';
import { computeTimeline, LABEL_GAP } from '../src/timeline.js';
import { linkFor, MAX_PASTE_LENGTH, normalizeToken, queryHasToken, tokenFromFragment } from '../src/token-source.js';
import { planVerify } from '../src/verify-panel.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyIjoiaGVsbG8ifQ.c2lnbmF0dXJl';

describe('normalizeToken', () => {
  // The cases themselves are the core's (packages/core/test/token-input.test.ts): one cleaner for every paste.
  it("is the core's cleanTokenInput", () => {
    for (const raw of [
      `Authorization: Bearer "${TOKEN}"`,
      `${TOKEN.slice(0, 20)}\n  ${TOKEN.slice(20)}`,
      'not a token',
    ]) {
      expect(normalizeToken(raw)).toBe(cleanTokenInput(raw).token);
    }
    expect(normalizeToken(`https://tokens.example/#token=${TOKEN}`)).toBe(TOKEN);
  });

  it('allows room for a prefix and quotes around the longest token', () => {
    expect(MAX_PASTE_LENGTH).toBeGreaterThan(MAX_TOKEN_LENGTH);
  });
});

describe('token in the URL', () => {
  it('reads #token= and ignores other fragment keys', () => {
    expect(tokenFromFragment(`#token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromFragment(`#x=1&token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromFragment('#verify-section')).toBeUndefined();
    expect(tokenFromFragment('')).toBeUndefined();
  });

  it('notices a token in the query string', () => {
    expect(queryHasToken(`?token=${TOKEN}`)).toBe(true);
    expect(queryHasToken('?lang=de')).toBe(false);
  });

  it('links with the fragment, dropping any query and old fragment', () => {
    expect(linkFor('https://tokens.example/?token=old#token=older', TOKEN)).toBe(
      `https://tokens.example/#token=${TOKEN}`,
    );
    expect(linkFor('file:///srv/inspector/index.html', TOKEN)).toBe(`file:///srv/inspector/index.html#token=${TOKEN}`);
  });
});

describe('computeTimeline', () => {
  const now = 1_800_000_000;

  it('never puts two labels closer than LABEL_GAP in one row; crowded marks share a label', () => {
    const cases = [
      { iat: now - 120, nbf: now - 60, exp: now + 86_400 },
      { iat: now - 600, nbf: now - 300, exp: now + 3000 },
      { nbf: now + 30, exp: now + 86_400 },
      { iat: now - 86_400, exp: now - 10 },
    ];
    for (const claims of cases) {
      const t = computeTimeline(claims, now);
      for (const row of [0, 1]) {
        const labelled = t.marks.filter((m) => m.row === row && m.text !== '').sort((a, b) => a.at - b.at);
        labelled.slice(1).forEach((m, i) => {
          expect(m.at - (labelled[i] as { at: number }).at).toBeGreaterThanOrEqual(LABEL_GAP);
        });
      }
      // Every mark's label is shown, alone or shared.
      const shown = t.marks.map((m) => m.text).join(' · ');
      for (const m of t.marks) expect(shown).toContain(m.label);
    }
    const crowded = computeTimeline(cases[0] as Record<string, number>, now);
    expect(crowded.marks.find((m) => m.id === 'nbf')?.text).toBe('not before · now');
  });

  it('puts iat, nbf, exp and now in time order inside the bar', () => {
    const t = computeTimeline({ iat: now - 600, nbf: now - 300, exp: now + 3000 }, now);
    expect(t.state).toBe('valid');
    expect(t.marks.map((m) => m.id)).toEqual(['iat', 'nbf', 'exp', 'now']);
    const at = Object.fromEntries(t.marks.map((m) => [m.id, m.at]));
    expect(at.iat).toBeLessThan(at.nbf as number);
    expect(at.nbf).toBeLessThan(at.now as number);
    expect(at.now).toBeLessThan(at.exp as number);
    for (const m of t.marks) {
      expect(m.at).toBeGreaterThan(0);
      expect(m.at).toBeLessThan(100);
    }
    expect(t.window.start).toBeCloseTo(at.nbf as number);
    expect(t.window.end).toBeCloseTo(at.exp as number);
    expect(t.summary).toContain(relativeTime(now + 3000, now));
    expect(t.summary).toContain('Lifetime 1 h');
  });

  it('says expired at the second of exp, as Daily does', () => {
    expect(computeTimeline({ exp: now }, now).state).toBe('expired');
    const t = computeTimeline({ iat: now - 4 * 86_400, exp: now - 3 * 86_400 }, now);
    expect(t.state).toBe('expired');
    expect(t.summary).toContain('Expired 3 days ago');
  });

  it('says not yet valid before nbf', () => {
    const t = computeTimeline({ nbf: now + 120, exp: now + 3600 }, now);
    expect(t.state).toBe('not-yet-valid');
    expect(t.summary).toContain('in 2 min');
  });

  it('runs a token without exp off the right edge', () => {
    const t = computeTimeline({ iat: now - 60 }, now);
    expect(t.neverExpires).toBe(true);
    expect(t.window.end).toBe(100);
    expect(t.summary).toContain('never expires');
  });

  it('copes with no times at all and with non-numeric ones', () => {
    const t = computeTimeline({ exp: 'soon', iat: null }, now);
    expect(t.marks.map((m) => m.id)).toEqual(['now']);
    expect(Number.isFinite(t.marks[0]?.at)).toBe(true);
  });
});

describe('planVerify', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const input = { token: TOKEN, apiKey: 'secret-key', domainId: '', roomName: '' };

  it('does not check without a token or a key', () => {
    expect(planVerify({ ...input, token: '' }, now).state).toBe('not-checked');
    expect(planVerify({ ...input, apiKey: '' }, now).state).toBe('not-checked');
  });

  it('asks for the key when domain or room is filled in without it', () => {
    const plan = planVerify({ ...input, apiKey: '', roomName: 'standup' }, now);
    expect(plan).toMatchObject({ state: 'fix-input', field: 'apiKey' });
  });

  it('refuses a key with whitespace around it, without echoing it', () => {
    const plan = planVerify({ ...input, apiKey: ' secret-key' }, now);
    expect(plan).toMatchObject({ state: 'fix-input', field: 'apiKey' });
    expect(JSON.stringify(plan)).not.toContain('secret-key');
  });

  it('refuses spaces inside the domain id or room', () => {
    expect(planVerify({ ...input, domainId: 'a b' }, now)).toMatchObject({ state: 'fix-input', field: 'domainId' });
    expect(planVerify({ ...input, roomName: 'my room' }, now)).toMatchObject({ state: 'fix-input', field: 'roomName' });
    expect(planVerify({ ...input, roomName: 'x'.repeat(600) }, now)).toMatchObject({ state: 'fix-input' });
  });

  it('passes trimmed optional fields and the clock to the library', () => {
    const plan = planVerify({ ...input, domainId: ' d1 ', roomName: 'standup' }, now);
    expect(plan).toEqual({
      state: 'ready',
      options: { apiKey: 'secret-key', domainId: 'd1', roomName: 'standup', now },
    });
  });
});

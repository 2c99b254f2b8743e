import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { claimTableMarkdown, lintRulesMarkdown } from '../src/explain/index.js';
import { CLAIM_REGISTRY, PROPERTY_BY_CLAIM, PROPERTY_NAMES, REST_PROPERTY_NAMES } from '../src/index.js';
import { meetingTokenPropertiesSchema } from '../src/schema/index.js';

describe('claim registry', () => {
  it('has all 24 documented POST properties plus domain_id, iat, intercom_join_alert, meeting_join_hook', () => {
    expect(REST_PROPERTY_NAMES).toHaveLength(24);
    expect(PROPERTY_NAMES).toHaveLength(28);
    expect(PROPERTY_NAMES.filter((n) => !REST_PROPERTY_NAMES.includes(n)).sort()).toEqual(
      ['domain_id', 'iat', 'intercom_join_alert', 'meeting_join_hook'].sort(),
    );
  });

  it("uses Daily's abbreviations, unique, and none for the three full-name properties", () => {
    const claims = PROPERTY_NAMES.map((n) => CLAIM_REGISTRY[n].claim ?? n);
    expect(new Set(claims).size).toBe(claims.length);
    expect(PROPERTY_NAMES.filter((n) => CLAIM_REGISTRY[n].claim === null).sort()).toEqual(
      ['enable_live_captions_ui', 'enable_prejoin_ui', 'enable_terse_logging'].sort(),
    );
    const expected: Record<string, string> = {
      room_name: 'r',
      domain_id: 'd',
      user_id: 'ud',
      user_name: 'u',
      is_owner: 'o',
      knocking: 'k',
      close_tab_on_exit: 'ctoe',
      redirect_on_meeting_exit: 'rome',
      intercom_join_alert: 'ij',
      start_cloud_recording: 'sr',
      start_cloud_recording_opts: 'sro',
      auto_start_transcription: 'ast',
      enable_recording: 'er',
      enable_screenshare: 'ss',
      start_video_off: 'vo',
      start_audio_off: 'ao',
      meeting_join_hook: 'mjh',
      eject_at_token_exp: 'ejt',
      eject_after_elapsed: 'eje',
      lang: 'uil',
      enable_recording_ui: 'erui',
      permissions: 'p',
      nbf: 'nbf',
      exp: 'exp',
      iat: 'iat',
    };
    for (const [name, claim] of Object.entries(expected)) expect(PROPERTY_BY_CLAIM.get(claim)).toBe(name);
  });

  it('derives a JSON schema listing exactly the POST properties', () => {
    const schema = meetingTokenPropertiesSchema() as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties)).toEqual(REST_PROPERTY_NAMES);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.user_id).toMatchObject({ type: 'string', maxLength: 36 });
  });

  it.each([
    ['claim-table', claimTableMarkdown],
    ['lint-rules', lintRulesMarkdown],
  ])('README %s block is generated from the source (run `npm run readme` when this fails)', (name, generate) => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const m = readme.match(new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`));
    expect(m, `README has the ${name} markers`).not.toBeNull();
    expect(m?.[1]).toBe(generate());
  });
});

describe('evidence', () => {
  it('every token property, permission, lint rule, problem code and room property says where it comes from', async () => {
    const { CLAIM_EVIDENCE, EFFECT_EVIDENCE, PERMISSION_EVIDENCE, describeEvidence } = await import(
      '../src/explain/index.js'
    );
    const { LINT_RULES, PROBLEM_CODES, PROPERTY_NAMES, PERMISSION_FIELDS } = await import('../src/index.js');
    const { ROOM_PROPERTY_NAMES, roomPropertyEvidence } = await import('../src/rooms/index.js');
    const all = [
      ...PROPERTY_NAMES.map((n) => CLAIM_EVIDENCE[n]),
      ...Object.keys(PERMISSION_FIELDS).map((f) => PERMISSION_EVIDENCE[f as keyof typeof PERMISSION_EVIDENCE]),
      ...LINT_RULES.map((r) => EFFECT_EVIDENCE[r.id]),
      ...PROBLEM_CODES.map((c) => EFFECT_EVIDENCE[c]),
      ...ROOM_PROPERTY_NAMES.map(roomPropertyEvidence),
    ];
    for (const e of all) {
      expect(e?.says.length).toBeGreaterThan(10);
      expect(describeEvidence(e)).toMatch(/^(Daily's (docs|OpenAPI|SDK)|We infer|Third-party|Daily was observed)/);
    }
  });
});

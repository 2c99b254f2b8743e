/**
 * Conformance with Daily's published types (`@daily-co/daily-js`, a dev dependency): our tables say what its
 * index.d.ts says, and every value it types for a token (recording options, permissions, language) is
 * accepted by create → verify and lints without an error. The service's side is
 * packages/server/test/daily-js-conformance.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADMIN_CODES, MEDIA_CODES } from '../src/claims/permissions.js';
import {
  RECORDING_LAYOUTS,
  RECORDING_OPTIONS,
  RECORDING_PARTICIPANTS_SORTS,
  RECORDING_PORTRAIT_VARIANTS,
} from '../src/claims/recording.js';
import {
  CLAIM_REGISTRY,
  createMeetingToken,
  decodeUnverified,
  lintMeetingToken,
  type MeetingTokenInput,
  verifyMeetingToken,
} from '../src/index.js';
import {
  DAILY_JS_VERSION,
  lang,
  layoutPresets,
  permissions,
  recordingOptionFields,
  recordingOptions,
  unionOf,
} from './daily-js.js';
import { LANGS, LAYOUTS, PERMISSIONS, RECORDING_OPTIONS as RECORDING_FIXTURES } from './daily-js-fixtures.js';
import { DOMAIN, KEY, NOW } from './fixtures.js';

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe(`our tables say what daily-js ${DAILY_JS_VERSION}'s types say`, () => {
  it('recording options', () => {
    expect(sorted(Object.keys(RECORDING_OPTIONS))).toEqual(sorted(recordingOptionFields().map((f) => f.name)));
  });

  it('layout presets, and the keys each takes', () => {
    const theirs = layoutPresets();
    expect(sorted(Object.keys(RECORDING_LAYOUTS))).toEqual(sorted(theirs.keys()));
    for (const [preset, fields] of theirs) {
      expect(sorted(RECORDING_LAYOUTS[preset as keyof typeof RECORDING_LAYOUTS]), preset).toEqual(
        sorted(fields.map((f) => f.name)),
      );
    }
    expect(sorted(RECORDING_PORTRAIT_VARIANTS)).toEqual(sorted(unionOf('DailyStreamingPortraitLayoutVariant')));
    expect(sorted(RECORDING_PARTICIPANTS_SORTS)).toEqual(sorted(unionOf('DailyStreamingParticipantsSortMethod')));
  });

  it('recording types: the values of enable_recording and of the recording option type', () => {
    const type = recordingOptionFields().find((f) => f.name === 'type')?.type ?? '';
    const theirs = [...type.matchAll(/'([^']+)'/g)].map((m) => m[1] as string).filter((t) => t !== 'recording');
    expect(sorted(CLAIM_REGISTRY.enable_recording.values)).toEqual(sorted(theirs));
  });

  it('permission values and media kinds', () => {
    expect(sorted(Object.keys(MEDIA_CODES))).toEqual(sorted(unionOf('DailyParticipantPermissionsCanSendValues')));
    expect(sorted(Object.keys(ADMIN_CODES))).toEqual(sorted(unionOf('DailyParticipantPermissionsCanAdminValues')));
  });

  it('languages: every DailyLanguageSetting is a lang value', () => {
    expect(CLAIM_REGISTRY.lang.values).toEqual(expect.arrayContaining(unionOf('DailyLanguageSetting')));
  });
});

const json = (v: unknown) => JSON.parse(JSON.stringify(v));

/** create → decode → verify → lint, for one set of properties; the properties verify reads back. */
async function roundTrip(props: Record<string, unknown>) {
  const input = { room_name: 'conformance', exp: 1_900_000_000, ...props } as MeetingTokenInput;
  const token = await createMeetingToken(input, { apiKey: KEY, domainId: DOMAIN, now: NOW });
  expect(decodeUnverified(token).issues.filter((i) => i.severity === 'error')).toEqual([]);
  const verified = await verifyMeetingToken(token, { apiKey: KEY, domainId: DOMAIN, now: NOW });
  expect(verified.problems).toEqual([]);
  expect(verified.valid).toBe(true);
  const lintErrors = lintMeetingToken(token, { now: NOW }).filter((f) => f.severity === 'error');
  expect(lintErrors).toEqual([]);
  return verified.properties as Record<string, unknown>;
}

describe('values typed by daily-js pass create → verify → lint', () => {
  it.each(RECORDING_FIXTURES.map((o) => [JSON.stringify(o), o]))('recording options %s', async (_, opts) => {
    const props = await roundTrip({ start_cloud_recording: true, start_cloud_recording_opts: opts });
    expect(props.start_cloud_recording_opts).toEqual(opts);
  });

  it.each(PERMISSIONS.map((p) => [JSON.stringify(p), p]))('permissions %s', async (_, p) => {
    expect((await roundTrip({ permissions: p })).permissions).toBeDefined();
  });

  it.each(LANGS)('lang %j', async (l) => {
    await roundTrip({ lang: l });
  });

  it('every layout preset has a fixture', () => {
    expect(sorted(new Set(LAYOUTS.map((l) => l.preset)))).toEqual(sorted(layoutPresets().keys()));
  });

  it('and so does any value generated from the published types', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(recordingOptions(), permissions(), lang(), async (opts, perms, l) => {
        const preset = (opts as { layout?: { preset: string } }).layout?.preset;
        if (preset) seen.add(preset);
        const props = await roundTrip({ start_cloud_recording_opts: opts, permissions: perms, lang: l });
        // nothing dropped: the options come back as they were written (as JSON writes numbers)
        expect(props.start_cloud_recording_opts).toEqual(json(opts));
        expect(props.permissions).toBeDefined();
      }),
      { numRuns: 300 },
    );
    expect(sorted(seen)).toEqual(sorted(layoutPresets().keys()));
  });
});

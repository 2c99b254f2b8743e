/**
 * Values typed by Daily's own published types (`@daily-co/daily-js`), checked by `npm run typecheck`:
 * each fixture compiles only if daily-js accepts it, and the type assertions below compile only if our
 * types take everything daily-js's do. daily-js.test.ts then sends every fixture through create → verify.
 */
import type {
  DailyLanguageSetting,
  DailyParticipantPermissionsUpdate,
  DailyRoomInfo,
  DailyStreamingLayoutConfig,
  DailyStreamingOptions,
} from '@daily-co/daily-js';
import type { MeetingTokenInput, Permissions, RecordingLayout, RecordingOptions } from '../src/index.js';

/** One layout of every preset daily-js declares for a recording, with every key that preset takes. */
export const LAYOUTS: DailyStreamingLayoutConfig<'start'>[] = [
  { preset: 'default', max_cam_streams: 4, participants: { video: ['a'], audio: ['a', 'b'], sort: 'active' } },
  { preset: 'single-participant', session_id: 'a1b2' },
  { preset: 'active-participant', participants: { sort: 'active' } },
  { preset: 'portrait', variant: 'inset', max_cam_streams: 2, participants: { video: ['a'] } },
  { preset: 'portrait', variant: 'vertical' },
  { preset: 'audio-only', participants: { audio: ['a'] } },
  { preset: 'raw-tracks-audio-only' },
  {
    preset: 'custom',
    composition_id: 'daily:baseline',
    composition_params: { mode: 'grid', showTitles: true, 'videoSettings.maxCamStreams': 9 },
    session_assets: { 'images/logo.png': 'https://example.com/logo.png' },
    participants: { video: ['a'] },
  },
];

/** Recording options with every option daily-js declares. */
export const RECORDING_OPTIONS: DailyStreamingOptions<'recording', 'start'>[] = [
  {
    width: 1280,
    height: 720,
    fps: 25,
    videoBitrate: 2000,
    audioBitrate: 64,
    minIdleTimeOut: 300,
    maxDuration: 3600,
    backgroundColor: '#FF1F2D3D',
    instanceId: 'b3e5a6f0-0000-4000-8000-000000000000',
    dataOutputs: ['transcript'],
    type: 'cloud',
    layout: { preset: 'default' },
  },
  { type: 'cloud-audio-only', layout: { preset: 'audio-only' } },
  { type: 'raw-tracks', layout: { preset: 'raw-tracks-audio-only' } },
  { type: 'local' },
  ...LAYOUTS.map((layout) => ({ layout })),
];

/** daily-js's type without its `Set`s, which have no JSON form (a token carries arrays). */
type NoSets<T> = { [K in keyof T]: Exclude<T[K], Set<unknown>> };

/** Permissions as daily-js types an update. */
export const PERMISSIONS: NoSets<DailyParticipantPermissionsUpdate>[] = [
  { hasPresence: false },
  { canSend: ['video', 'audio', 'screenVideo', 'screenAudio', 'customVideo', 'customAudio'], canAdmin: true },
  { canSend: false, canAdmin: ['participants', 'streaming', 'transcription'] },
  { canAdmin: [] },
  {
    canReceive: {
      base: {
        video: true,
        audio: true,
        screenVideo: false,
        screenAudio: false,
        customVideo: { '*': true, whiteboard: false },
        customAudio: { '*': false },
      },
      byUserId: { alice: false, bob: { audio: true, customVideo: { whiteboard: true } } },
      byParticipantId: { 'f1e2d3c4-0000-4000-8000-000000000000': { screenVideo: true } },
    },
  },
  { canReceive: { byUserId: { carol: true } } },
];

/** Every language daily-js's tokenConfig allows, '' included. */
export const LANGS: DailyRoomInfo['tokenConfig']['lang'][] = ['', 'user', 'cs', 'sk', 'pt-BR', 'jp', 'no'];

// Our types take everything daily-js's take: each line fails to compile otherwise.
type Takes<Ours, Theirs extends Ours> = Theirs;
export type Conformance = [
  Takes<RecordingOptions, DailyStreamingOptions<'recording', 'start'>>,
  Takes<RecordingLayout, DailyStreamingLayoutConfig<'start'>>,
  Takes<NonNullable<MeetingTokenInput['start_cloud_recording_opts']>, DailyStreamingOptions<'recording', 'start'>>,
  Takes<Permissions, NoSets<DailyParticipantPermissionsUpdate>>,
  Takes<NonNullable<MeetingTokenInput['lang']>, DailyLanguageSetting | ''>,
  Takes<
    NonNullable<MeetingTokenInput['enable_recording']>,
    NonNullable<DailyStreamingOptions<'recording', 'start'>['type']>
  >,
  // …and every token property daily-js's room() reports is one of ours.
  Takes<keyof MeetingTokenInput, keyof DailyRoomInfo['tokenConfig']>,
  // The other way: a layout we type is one daily-js types.
  Takes<DailyStreamingLayoutConfig<'start'>, RecordingLayout>,
];

/**
 * `start_cloud_recording_opts` (`sro`): the options of daily-js `startRecording()`. Misspelt keys are
 * common (`videobitrate`, `min_idle_timeout`) and Daily drops them without a word, so unknown keys are
 * errors here, with the likely intended key.
 */
import { MAX_ISSUES, type ValidationIssue } from '../util/errors.js';
import { closest, isPlainObject, ownProperty, show } from '../util/object.js';

export const RECORDING_NUMBER_OPTIONS = [
  'width',
  'height',
  'fps',
  'videoBitrate',
  'audioBitrate',
  'minIdleTimeOut',
  'maxDuration',
] as const;
export const RECORDING_STRING_OPTIONS = ['backgroundColor', 'instanceId', 'type'] as const;
export const RECORDING_LAYOUT_PRESETS = [
  'default',
  'single-participant',
  'active-participant',
  'portrait',
  'audio-only',
  'custom',
] as const;

const LAYOUT_KEYS = [
  'preset',
  'max_cam_streams',
  'participants',
  'session_id',
  'variant',
  'composition_id',
  'composition_params',
  'session_assets',
] as const;

export interface RecordingLayout {
  preset: (typeof RECORDING_LAYOUT_PRESETS)[number];
  max_cam_streams?: number;
  session_id?: string;
  variant?: 'vertical' | 'inset';
  composition_id?: string;
  composition_params?: Record<string, unknown>;
  session_assets?: Record<string, string>;
  participants?: { video?: string[]; audio?: string[]; sort?: 'active' };
}

/** Options for the recording started by `start_cloud_recording`. */
export interface RecordingOptions {
  width?: number;
  height?: number;
  fps?: number;
  videoBitrate?: number;
  audioBitrate?: number;
  minIdleTimeOut?: number;
  maxDuration?: number;
  backgroundColor?: string;
  instanceId?: string;
  /** Recording type, e.g. `cloud` or `cloud-audio-only` (REST `startRecording` option). */
  type?: string;
  layout?: RecordingLayout;
}

const ALL_KEYS: readonly string[] = [...RECORDING_NUMBER_OPTIONS, ...RECORDING_STRING_OPTIONS, 'layout'];
/** Each option's form, looked up once per key. */
const FORM_OF: ReadonlyMap<string, 'number' | 'string' | 'layout'> = new Map([
  ...RECORDING_NUMBER_OPTIONS.map((k) => [k, 'number'] as const),
  ...RECORDING_STRING_OPTIONS.map((k) => [k, 'string'] as const),
  ['layout', 'layout'] as const,
]);
const LAYOUT_KEY_SET: ReadonlySet<string> = new Set(LAYOUT_KEYS);
const PRESETS: ReadonlySet<unknown> = new Set(RECORDING_LAYOUT_PRESETS);

export function validateRecordingOptions(v: unknown, path: string, issues: ValidationIssue[]): void {
  const err = (p: string, message: string) => issues.push({ path: p, message, severity: 'error' });
  if (!isPlainObject(v)) {
    err(path, `must be an object of recording options (e.g. {"layout": {"preset": "default"}}); got ${show(v)}`);
    return;
  }
  for (const key in v) {
    if (!ownProperty.call(v, key)) continue;
    // A payload full of typos must not cost a "did you mean" each.
    if (issues.length >= MAX_ISSUES) break;
    const val = v[key];
    switch (FORM_OF.get(key)) {
      case 'number':
        if (typeof val !== 'number' || !Number.isFinite(val) || val < 0)
          err(`${path}.${key}`, `must be a non-negative number, got ${show(val)}`);
        break;
      case 'string':
        if (typeof val !== 'string') err(`${path}.${key}`, `must be a string, got ${show(val)}`);
        break;
      case 'layout':
        validateLayout(val, `${path}.${key}`, err);
        break;
      default: {
        const hint = closest(key.replace(/_/g, ''), ALL_KEYS, 4);
        err(
          `${path}.${key}`,
          `is not a recording option${hint ? `; did you mean ${show(hint)}?` : ''} (Daily ignores unknown options)`,
        );
      }
    }
  }
}

function validateLayout(v: unknown, path: string, err: (p: string, m: string) => void): void {
  if (!isPlainObject(v)) {
    err(path, `must be an object with a preset (${RECORDING_LAYOUT_PRESETS.join(', ')}); got ${show(v)}`);
    return;
  }
  if (!PRESETS.has(v.preset)) {
    err(`${path}.preset`, `must be one of ${RECORDING_LAYOUT_PRESETS.join(', ')}; got ${show(v.preset)}`);
  }
  for (const key of Object.keys(v)) {
    if (!LAYOUT_KEY_SET.has(key)) {
      const hint = closest(key, LAYOUT_KEYS);
      err(`${path}.${key}`, `is not a layout option${hint ? `; did you mean ${show(hint)}?` : ''}`);
    }
  }
  if (v.max_cam_streams !== undefined && (!Number.isInteger(v.max_cam_streams) || (v.max_cam_streams as number) < 1)) {
    err(`${path}.max_cam_streams`, `must be a positive whole number, got ${show(v.max_cam_streams)}`);
  }
}

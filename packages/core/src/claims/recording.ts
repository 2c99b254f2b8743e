/**
 * `start_cloud_recording_opts` (`sro`): the options of daily-js `startRecording()`, as daily-js 0.92 types
 * them (`DailyStreamingOptions<'recording', 'start'>` and `DailyStreamingLayoutConfig<'start'>`; the
 * conformance tests check these tables against that index.d.ts).
 *
 * The object is open: Daily adds options over time and ignores the ones it does not know, so an unknown
 * key (of the options, a layout or its participants) is a warning naming the likely intended key
 * (`videobitrate` → `videoBitrate`), never an error. A known key with a value of the wrong type is an error.
 */
import { MAX_ISSUES, type ValidationIssue } from '../util/errors.js';
import { closest, hasOwn, isPlainObject, ownProperty, show } from '../util/object.js';
import { CLAIM_REGISTRY } from './registry.js';

/** How each recording option's value is written. */
export type RecordingOptionForm = 'number' | 'string' | 'string-array' | 'recording-type' | 'layout';

/** Every recording option daily-js types, with its value form. */
export const RECORDING_OPTIONS = {
  width: 'number',
  height: 'number',
  fps: 'number',
  videoBitrate: 'number',
  audioBitrate: 'number',
  minIdleTimeOut: 'number',
  maxDuration: 'number',
  backgroundColor: 'string',
  instanceId: 'string',
  dataOutputs: 'string-array',
  type: 'recording-type',
  layout: 'layout',
} as const satisfies Record<string, RecordingOptionForm>;

export type RecordingOptionName = keyof typeof RECORDING_OPTIONS;

/** How each layout key's value is written (the forms daily-js types for them). */
export const RECORDING_LAYOUT_KEYS = {
  max_cam_streams: 'number',
  participants: 'participants',
  session_id: 'string',
  variant: 'variant',
  composition_id: 'string',
  /** `{ [name]: boolean | number | string }` */
  composition_params: 'scalar-map',
  /** `{ [name]: string }` */
  session_assets: 'string-map',
} as const;

export type RecordingLayoutKey = keyof typeof RECORDING_LAYOUT_KEYS;

/** Each layout preset and the keys it takes besides `preset` (daily-js `DailyStreaming…LayoutConfig`). */
export const RECORDING_LAYOUTS = {
  default: ['max_cam_streams', 'participants'],
  'single-participant': ['session_id'],
  'active-participant': ['participants'],
  portrait: ['variant', 'max_cam_streams', 'participants'],
  'audio-only': ['participants'],
  'raw-tracks-audio-only': [],
  custom: ['participants', 'composition_params', 'composition_id', 'session_assets'],
} as const satisfies Record<string, readonly RecordingLayoutKey[]>;

export type RecordingLayoutPreset = keyof typeof RECORDING_LAYOUTS;

/** The layout presets, in daily-js's order. */
export const RECORDING_LAYOUT_PRESETS = Object.keys(RECORDING_LAYOUTS) as RecordingLayoutPreset[];
/** `portrait`'s variants. */
export const RECORDING_PORTRAIT_VARIANTS = ['vertical', 'inset'] as const;
/** The one sort method of a layout's `participants`. */
export const RECORDING_PARTICIPANTS_SORTS = ['active'] as const;

/** The recording `type`s: the same values as `enable_recording` (daily-js types the same four). */
const RECORDING = CLAIM_REGISTRY.enable_recording;
export type RecordingType = (typeof RECORDING.values)[number] | keyof typeof RECORDING.legacyValues;

/** Which participants a layout shows, and in what order. */
export interface RecordingLayoutParticipants {
  video?: string[];
  audio?: string[];
  sort?: (typeof RECORDING_PARTICIPANTS_SORTS)[number];
}

/** A recording layout: one of daily-js's presets with the keys that preset takes. */
export type RecordingLayout =
  | { preset: 'default'; max_cam_streams?: number; participants?: RecordingLayoutParticipants }
  | { preset: 'single-participant'; session_id: string }
  | { preset: 'active-participant'; participants?: RecordingLayoutParticipants }
  | {
      preset: 'portrait';
      variant?: (typeof RECORDING_PORTRAIT_VARIANTS)[number];
      max_cam_streams?: number;
      participants?: RecordingLayoutParticipants;
    }
  | { preset: 'audio-only'; participants?: RecordingLayoutParticipants }
  | { preset: 'raw-tracks-audio-only' }
  | {
      preset: 'custom';
      participants?: RecordingLayoutParticipants;
      composition_params?: Record<string, boolean | number | string>;
      composition_id?: string;
      session_assets?: Record<string, string>;
    };

/**
 * Options for the recording started by `start_cloud_recording`.
 *
 * @example
 * ```ts
 * const opts: RecordingOptions = { type: 'cloud', layout: { preset: 'portrait', variant: 'inset' } };
 * ```
 */
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
  dataOutputs?: string[];
  /** Recording type: `cloud`, `cloud-audio-only`, `raw-tracks` or `local`. */
  type?: RecordingType;
  layout?: RecordingLayout;
}

type Issues = ValidationIssue[];

/**
 * What becomes of a key Daily ignores (unknown, or not one its layout takes): by default a warning in
 * `issues`; the lint rule passes its own, to report it as a finding. It must push to `issues` (the walk
 * stops at MAX_ISSUES).
 */
export type IgnoredKey = (issues: Issues, path: string, message: string) => void;

const warn: IgnoredKey = (issues, path, message) => {
  issues.push({
    path,
    message,
    severity: 'warning',
    code: 'unknown-option',
    fix: 'Rename it as the message suggests, or remove it: Daily records without it.',
  });
};

// Lookups from untrusted keys go through Maps, never a plain object's prototype chain.
const OPTION_FORMS: ReadonlyMap<string, string> = new Map(Object.entries(RECORDING_OPTIONS));
const LAYOUT_FORMS: ReadonlyMap<string, string> = new Map([
  ['preset', 'preset'],
  ...Object.entries(RECORDING_LAYOUT_KEYS),
]);
const PARTICIPANT_FORMS: ReadonlyMap<string, string> = new Map(
  Object.entries({ video: 'string-array', audio: 'string-array', sort: 'sort' }),
);
const PRESET_KEYS: ReadonlyMap<unknown, ReadonlySet<string>> = new Map(
  Object.entries(RECORDING_LAYOUTS).map(([preset, keys]) => [preset, new Set<string>(keys)]),
);
/** The enumerated forms and their values (keyed by form names, never by input). */
const ENUMS: Readonly<Record<string, readonly string[] | undefined>> = {
  'recording-type': RECORDING.values,
  preset: RECORDING_LAYOUT_PRESETS,
  variant: RECORDING_PORTRAIT_VARIANTS,
  sort: RECORDING_PARTICIPANTS_SORTS,
};
/** What each non-enum form must be, for the error message. */
const FORM_WORDS: Readonly<Record<string, string | undefined>> = {
  number: 'a number',
  string: 'a string',
  'string-array': 'an array of strings',
  'scalar-map': 'an object of booleans, numbers and strings',
  scalar: 'a boolean, number or string',
  'string-map': 'an object of strings',
};
const isScalar = (x: unknown) => typeof x === 'string' || typeof x === 'boolean' || Number.isFinite(x);

function fail(issues: Issues, path: string, form: string, v: unknown): void {
  const list = ENUMS[form];
  const hint = list && typeof v === 'string' ? closest(v, list, 2) : undefined;
  issues.push({
    path,
    message: `must be ${list ? `one of ${list.join(', ')}` : (FORM_WORDS[form] ?? 'an object')}, got ${show(v)}${hint ? `; did you mean ${show(hint)}?` : ''}`,
    severity: 'error',
  });
}

/**
 * Checks a `start_cloud_recording_opts` value at `path`, adding its problems to `issues`: errors for
 * values of the wrong type, warnings (through `ignored`) for keys Daily ignores. Allocates nothing when
 * the value is good.
 */
export function validateRecordingOptions(v: unknown, path: string, issues: Issues, ignored: IgnoredKey = warn): void {
  checkObject(v, path, issues, OPTION_FORMS, ignored);
}

/** An object of options: each key checked by `checkKey`. */
function checkObject(
  v: unknown,
  path: string,
  issues: Issues,
  forms: ReadonlyMap<string, string>,
  ignored: IgnoredKey,
): void {
  if (!isPlainObject(v)) {
    fail(issues, path, 'object', v);
    return;
  }
  // (the layout has a loop of its own: a for-in that sees one kind of object stays fast)
  for (const key in v) {
    if (!ownProperty.call(v, key)) continue;
    // A payload full of typos must not cost a "did you mean" each.
    if (issues.length >= MAX_ISSUES) break;
    checkKey(v[key], key, path, issues, forms, ignored, undefined, undefined);
  }
}

/**
 * One key of an object of options: its value checked by its form; an unknown key is ignored by Daily, and
 * so is, in a layout, a key its preset does not take (`takes`, when the preset is known).
 */
function checkKey(
  val: unknown,
  key: string,
  path: string,
  issues: Issues,
  forms: ReadonlyMap<string, string>,
  ignored: IgnoredKey,
  takes: ReadonlySet<string> | undefined,
  preset: unknown,
): void {
  const form = forms.get(key);
  if (form === undefined) {
    // `min_idle_timeout` is meant as `minIdleTimeOut`: compare without the underscores, generously.
    const known = [...forms.keys()];
    const hint = closest(key.replace(/_/g, ''), known, 4) ?? closest(key, known);
    ignored(
      issues,
      `${path}.${key}`,
      `is not an option daily-js knows here (${known.join(', ')}); Daily ignores it${hint ? `. Did you mean ${show(hint)}?` : ''}`,
    );
    return;
  }
  // The common forms inline: a call per key costs more than the check. (The preset is checkLayout's.)
  if (form === 'preset') return;
  if (form === 'number') {
    if (!Number.isFinite(val)) fail(issues, `${path}.${key}`, form, val);
  } else if (form === 'string') {
    if (typeof val !== 'string') fail(issues, `${path}.${key}`, form, val);
  } else checkValue(form, val, path, key, issues, ignored);
  if (takes !== undefined && !takes.has(key)) {
    const presets = RECORDING_LAYOUT_PRESETS.filter((p) => PRESET_KEYS.get(p)?.has(key));
    ignored(
      issues,
      `${path}.${key}`,
      `is not taken by the ${show(preset)} layout (only by ${presets.join(', ')}); Daily ignores it`,
    );
  }
}

/**
 * Checks the value of `key` of the object at `parent`. Its path is written out only where it is needed (a
 * problem, a nested object), so that a good value costs no string.
 */
function checkValue(form: string, v: unknown, parent: string, key: string, issues: Issues, ignored: IgnoredKey): void {
  switch (form) {
    case 'string-array':
      if (!Array.isArray(v)) {
        fail(issues, `${parent}.${key}`, form, v);
        return;
      }
      for (let i = 0; i < v.length && issues.length < MAX_ISSUES; i++) {
        if (typeof v[i] !== 'string') fail(issues, `${parent}.${key}[${i}]`, 'string', v[i]);
      }
      return;
    case 'scalar-map':
    case 'string-map':
      if (!isPlainObject(v)) {
        fail(issues, `${parent}.${key}`, form, v);
        return;
      }
      for (const k in v) {
        if (!ownProperty.call(v, k)) continue;
        if (issues.length >= MAX_ISSUES) break;
        const x = v[k];
        if (form === 'scalar-map' ? !isScalar(x) : typeof x !== 'string') {
          fail(issues, `${parent}.${key}.${k}`, form === 'scalar-map' ? 'scalar' : 'string', x);
        }
      }
      return;
    case 'participants':
      checkObject(v, `${parent}.${key}`, issues, PARTICIPANT_FORMS, ignored);
      return;
    case 'layout':
      checkLayout(v, `${parent}.${key}`, issues, ignored);
      return;
    default:
      if ((ENUMS[form] as readonly unknown[]).includes(v)) return;
      // A legacy recording type is accepted, with a warning that says why.
      if (form === 'recording-type' && typeof v === 'string' && hasOwn(RECORDING.legacyValues, v)) {
        issues.push({
          path: `${parent}.${key}`,
          message: `${show(v)} is ${RECORDING.legacyValues[v as keyof typeof RECORDING.legacyValues]}; the current types are ${RECORDING.values.join(', ')}`,
          severity: 'warning',
          code: 'legacy-value',
          fix: `Use one of ${RECORDING.values.join(', ')}.`,
        });
      } else fail(issues, `${parent}.${key}`, form, v);
  }
}

/** A layout: a known preset, and the keys that preset takes (Daily ignores the others). */
function checkLayout(v: unknown, path: string, issues: Issues, ignored: IgnoredKey): void {
  if (!isPlainObject(v)) {
    fail(issues, path, 'object', v);
    return;
  }
  const preset = v.preset;
  const takes = PRESET_KEYS.get(preset);
  if (!takes) fail(issues, `${path}.preset`, 'preset', preset);
  for (const key in v) {
    if (!ownProperty.call(v, key)) continue;
    if (issues.length >= MAX_ISSUES) break;
    checkKey(v[key], key, path, issues, LAYOUT_FORMS, ignored, takes, preset);
  }
  // daily-js types single-participant's session_id as required.
  if (preset === 'single-participant' && v.session_id === undefined) {
    issues.push({
      path: `${path}.session_id`,
      message: 'is required by the single-participant layout',
      severity: 'error',
    });
  }
}

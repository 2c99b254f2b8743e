/**
 * Property flags for `create`, derived from the claim registry: every REST property gets
 * `--<kebab-name>` (booleans also `--no-<kebab-name>`), every permission field gets its own flag, and a
 * few short aliases map to registry names. Nothing here retypes a property's name, kind or values.
 */
import { type Command, Option } from 'commander';
import {
  CLAIM_REGISTRY,
  type ClaimSpec,
  PERMISSION_FIELDS,
  type PermissionField,
  type PropertyName,
  REST_PROPERTY_NAMES,
} from 'daily-tokens';
import { CLAIM_MEANINGS, PERMISSION_MEANINGS } from 'daily-tokens/explain';
import { usage } from '../errors.js';
import { parseJson } from '../io/json-input.js';
import { coerceProperty, parseBoolean, textFormOf } from './coerce.js';

const kebab = (s: string) => s.replace(/_/g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** Commander's attribute name for a long flag. */
const attr = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Short names for the most used properties (the issue's `--room`, `--owner`, `--recording`, `--not-before`). */
export const PROPERTY_ALIASES: Readonly<Record<string, PropertyName>> = {
  room: 'room_name',
  owner: 'is_owner',
  recording: 'enable_recording',
  'not-before': 'nbf',
  'expires-at': 'exp',
};

const GROUP =
  'Token properties (from the claim registry; each boolean also has --no-<flag>; anything else via --properties):';
const PERMISSION_GROUP = 'Permissions (merged into the permissions property):';

interface PropertyFlag {
  flag: string;
  name: PropertyName;
}
interface PermissionFlag {
  flag: string;
  field: PermissionField;
}

const propertyFlags: PropertyFlag[] = [
  ...REST_PROPERTY_NAMES.map((name) => ({ flag: kebab(name), name })),
  ...Object.entries(PROPERTY_ALIASES).map(([flag, name]) => ({ flag, name })),
];
const permissionFlags: PermissionFlag[] = (Object.keys(PERMISSION_FIELDS) as PermissionField[]).map((field) => ({
  flag: kebab(field),
  field,
}));

function describe(name: PropertyName, alias: boolean): string {
  const spec: ClaimSpec = CLAIM_REGISTRY[name];
  const { meaning } = CLAIM_MEANINGS[name];
  const bits = [alias ? `= --${kebab(name)}: ${meaning}` : meaning];
  if (spec.kind !== 'boolean') bits.push(`[${textFormOf(spec)}]`);
  if (spec.default !== undefined) bits.push(`(Daily's default: ${String(spec.default)})`);
  if (spec.prebuiltOnly) bits.push('(Prebuilt only)');
  return bits.join(' ');
}

/** Adds every property and permission flag to `cmd`. */
export function addPropertyOptions(cmd: Command): Command {
  for (const { flag, name } of propertyFlags) {
    const spec: ClaimSpec = CLAIM_REGISTRY[name];
    const alias = kebab(name) !== flag;
    if (spec.kind === 'boolean') {
      cmd.addOption(new Option(`--${flag}`, describe(name, alias)).helpGroup(GROUP));
      cmd.addOption(new Option(`--no-${flag}`, `set ${name} to false`).helpGroup(GROUP).hideHelp());
    } else {
      cmd.addOption(new Option(`--${flag} <value>`, describe(name, alias)).helpGroup(GROUP));
    }
  }
  for (const { flag, field } of permissionFlags) {
    const form = PERMISSION_FIELDS[field].value;
    const meaning = PERMISSION_MEANINGS[field];
    if (form.kind === 'boolean') {
      cmd.addOption(new Option(`--${flag}`, meaning).helpGroup(PERMISSION_GROUP));
      cmd.addOption(
        new Option(`--no-${flag}`, `set permissions.${field} to false`).helpGroup(PERMISSION_GROUP).hideHelp(),
      );
    } else if (form.kind === 'object') {
      cmd.addOption(
        new Option(`--${flag} <json>`, `${meaning} [true|false|JSON such as ${form.example}]`).helpGroup(
          PERMISSION_GROUP,
        ),
      );
    } else {
      cmd.addOption(
        new Option(`--${flag} <list>`, `${meaning} [all|none|comma list of ${form.items.join(',')}]`).helpGroup(
          PERMISSION_GROUP,
        ),
      );
    }
  }
  return cmd;
}

/**
 * The values a flag's argument may take, for shell completion: a registry enum's values, `all`/`none` and the
 * items of a permission set (a comma list), `true`/`false` for the object-valued permission.
 */
export function flagValueHints(): Record<string, { values: readonly string[]; list: boolean }> {
  const hints: Record<string, { values: readonly string[]; list: boolean }> = {};
  for (const { flag, name } of propertyFlags) {
    const spec: ClaimSpec = CLAIM_REGISTRY[name];
    if (spec.kind === 'enum' && spec.values) hints[`--${flag}`] = { values: spec.values, list: false };
  }
  for (const { flag, field } of permissionFlags) {
    const form = PERMISSION_FIELDS[field].value;
    if (form.kind === 'set') hints[`--${flag}`] = { values: ['all', 'none', ...form.items], list: true };
    else if (form.kind === 'object') hints[`--${flag}`] = { values: ['true', 'false'], list: false };
  }
  return hints;
}

export interface CollectedProperties {
  properties: Record<string, unknown>;
  /** Property (or `permissions.<field>`) → the flag that set it, for error messages. */
  origins: Map<string, string>;
}

/** Reads the property flags given on the command line into full-name properties. */
export function collectPropertyFlags(cmd: Command, now: number): CollectedProperties {
  const properties: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  const given = (flag: string) => cmd.getOptionValueSource(attr(flag)) === 'cli';

  for (const { flag, name } of propertyFlags) {
    if (!given(flag)) continue;
    const raw = cmd.getOptionValue(attr(flag)) as unknown;
    const seen = origins.get(name);
    if (seen && seen !== `--${flag}`) throw usage(`--${flag} and ${seen} both set ${name}; give it once`);
    origins.set(name, `--${flag}`);
    properties[name] = typeof raw === 'boolean' ? raw : coerceProperty(name, String(raw), now, `--${flag}`);
  }

  const permissions: Record<string, unknown> = {};
  for (const { flag, field } of permissionFlags) {
    if (!given(flag)) continue;
    const raw = cmd.getOptionValue(attr(flag)) as unknown;
    let value: unknown;
    if (typeof raw === 'boolean') value = raw;
    else if (PERMISSION_FIELDS[field].value.kind === 'object') {
      const text = String(raw).trim();
      value = text === 'true' || text === 'false' ? parseBoolean(text, `--${flag}`) : parseJson(text, `--${flag}`);
    } else value = parseSet(String(raw));
    permissions[field] = value;
    origins.set(`permissions.${field}`, `--${flag}`);
  }
  if (Object.keys(permissions).length > 0) {
    if (properties.permissions !== undefined) {
      throw usage(
        `--permissions and ${[...origins.entries()].find(([k]) => k.startsWith('permissions.'))?.[1]} both set permissions; put everything in one of them`,
      );
    }
    properties.permissions = permissions;
  }
  return { properties, origins };
}

/** `all` / `none` / `true` / `false` / `video,audio`: validation of the items is core's job. */
function parseSet(raw: string): boolean | string[] {
  const v = raw.trim().toLowerCase();
  if (v === 'all' || v === 'true') return true;
  if (v === 'none' || v === 'false' || v === '') return false;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Merges `--properties` JSON with flags; a property set in both is a usage error, not a silent override. */
export function mergeProperties(
  fromJson: Record<string, unknown>,
  fromFlags: CollectedProperties,
  jsonFlag: string,
): Record<string, unknown> {
  for (const key of Object.keys(fromFlags.properties)) {
    if (Object.hasOwn(fromJson, key)) {
      const flag = fromFlags.origins.get(key) ?? [...fromFlags.origins.values()][0];
      throw usage(`${key} is set both in ${jsonFlag} and by ${flag}; give it once`);
    }
  }
  return { ...fromJson, ...fromFlags.properties };
}

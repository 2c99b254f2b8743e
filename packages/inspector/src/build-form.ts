/**
 * The Build form, generated from the claim registry: one input per POST property, its kind choosing
 * the control (boolean → three-way select, enum → select of the registry's values, timestamp →
 * datetime-local, seconds → number, string/url → text with the registry's maxLength, permissions → one
 * input per permission field by its value form, recording options → JSON). Tokens are minted by
 * `createMeetingToken`, so the page has the library's defaults and refusals: a room unless "all rooms",
 * one hour unless "no expiry".
 */
import {
  CLAIM_REGISTRY,
  type ClaimSpec,
  PERMISSION_FIELDS,
  type PermissionField,
  type PermissionValueForm,
  type PropertyName,
  REST_PROPERTY_NAMES,
  type ValidationIssue,
} from 'daily-tokens';
import { CLAIM_MEANINGS, PERMISSION_MEANINGS } from 'daily-tokens/explain';
import { type Child, h } from './dom.js';

/** Reads a field: its value, or undefined when left empty; pushes an issue when it cannot be read. */
type Reader = (issues: ValidationIssue[]) => unknown;

interface Field {
  element: HTMLElement;
  read: Reader;
}

export const fieldId = (name: string) => `b-${name}`;
const MAX_JSON_LENGTH = 8192;

/**
 * A property's help text: its meaning, and the note when there is one. A time is picked in local date and time
 * here, so the registry's "(unix seconds)", true of the claim, would mislead beside the picker.
 */
function meaningOf(name: PropertyName, kind: ClaimSpec['kind']): string[] {
  const { meaning, note } = CLAIM_MEANINGS[name];
  const text =
    kind === 'timestamp'
      ? `${meaning.replace(/\s*\(unix seconds\)/, '')} Pick it in your local time; the token stores unix seconds.`
      : meaning;
  return note ? [text, ` ${note}`] : [text];
}

function notSetLabel(spec: ClaimSpec): string {
  return spec.default === undefined ? '(not set)' : `(not set: Daily uses ${String(spec.default)})`;
}

function select(id: string, options: Child[], describedBy: string): HTMLSelectElement {
  return h('select', { id, name: id, 'aria-describedby': describedBy }, ...options);
}

function triState(id: string, notSet: string, describedBy: string): { el: HTMLSelectElement; read: Reader } {
  const el = select(
    id,
    [
      h('option', { value: '' }, notSet),
      h('option', { value: 'true' }, 'true'),
      h('option', { value: 'false' }, 'false'),
    ],
    describedBy,
  );
  return { el, read: () => (el.value === '' ? undefined : el.value === 'true') };
}

function readJson(raw: string, path: string, issues: ValidationIssue[]): unknown {
  if (raw.trim() === '') return undefined;
  if (raw.length > MAX_JSON_LENGTH) {
    issues.push({ path, message: `is longer than ${MAX_JSON_LENGTH} characters`, severity: 'error' });
    return undefined;
  }
  try {
    return JSON.parse(raw);
  } catch (e) {
    issues.push({ path, message: `is not valid JSON (${(e as Error).message})`, severity: 'error' });
    return undefined;
  }
}

/** The label and help line of one permission field, from the registry's PERMISSION_FIELDS. */
function permissionLabel(field: PermissionField, id: string, suffix = ''): Child[] {
  return [
    h(
      'label',
      { for: id },
      h('code', {}, field),
      ' ',
      h('span', { class: 'claim' }, PERMISSION_FIELDS[field].claim),
      suffix,
    ),
    h('p', { class: 'help', id: `${id}-help` }, PERMISSION_MEANINGS[field]),
  ];
}

/** A set-valued permission (canSend, canAdmin): not set, all, none, or the ticked items. */
function permissionSet(field: PermissionField, items: readonly string[]): Field {
  const id = fieldId(`permissions.${field}`);
  const modeEl = select(
    id,
    [
      h('option', { value: '' }, '(not set)'),
      h('option', { value: 'true' }, 'everything (true)'),
      h('option', { value: 'false' }, 'nothing (false)'),
      h('option', { value: 'list' }, 'only the ticked ones'),
    ],
    `${id}-help`,
  );
  const boxes = items.map((item) => h('input', { type: 'checkbox', value: item, id: `${id}-${item}` }));
  // Ticking an item means "only these": switch the mode so the tick is not silently ignored.
  for (const box of boxes) box.addEventListener('change', () => (modeEl.value = 'list'));
  const element = h(
    'div',
    { class: 'field perm-field' },
    ...permissionLabel(field, id),
    modeEl,
    h(
      'div',
      { class: 'checks', role: 'group', 'aria-label': `${field} items` },
      ...boxes.map((box) => h('label', { class: 'check' }, box, ' ', box.value)),
    ),
  );
  const read: Reader = () => {
    if (modeEl.value === '') return undefined;
    if (modeEl.value !== 'list') return modeEl.value === 'true';
    return boxes.filter((b) => b.checked).map((b) => b.value);
  };
  return { element, read };
}

/** One permission field, its control chosen by the value form core gives it. */
function permissionField(field: PermissionField): Field {
  const form: PermissionValueForm = PERMISSION_FIELDS[field].value;
  const id = fieldId(`permissions.${field}`);
  switch (form.kind) {
    case 'set':
      return permissionSet(field, form.items);
    case 'boolean': {
      const t = triState(id, '(not set)', `${id}-help`);
      return { element: h('div', { class: 'field' }, ...permissionLabel(field, id), t.el), read: t.read };
    }
    case 'object': {
      const el = h('textarea', {
        id,
        rows: 3,
        spellcheck: 'false',
        placeholder: form.example,
        'aria-describedby': `${id}-help`,
      });
      return {
        element: h('div', { class: 'field' }, ...permissionLabel(field, id, ' (JSON)'), el),
        read: (issues) => readJson(el.value, `permissions.${field}`, issues),
      };
    }
  }
}

function permissionsField(name: PropertyName, spec: ClaimSpec): Field {
  const fields = (Object.keys(PERMISSION_FIELDS) as PermissionField[]).map(
    (field) => [field, permissionField(field)] as const,
  );
  const element = h(
    'fieldset',
    { class: 'field wide permissions', id: fieldId(name) },
    h('legend', {}, h('code', {}, name), ' ', h('span', { class: 'claim' }, spec.claim ?? '')),
    h('p', { class: 'help' }, ...meaningOf(name, spec.kind)),
    h('div', { class: 'perm-grid' }, ...fields.map(([, f]) => f.element)),
  );
  const read: Reader = (issues) => {
    const p: Record<string, unknown> = {};
    for (const [field, f] of fields) {
      const value = f.read(issues);
      if (value !== undefined) p[field] = value;
    }
    return Object.keys(p).length ? p : undefined;
  };
  return { element, read };
}

function simpleField(name: PropertyName, spec: ClaimSpec): Field {
  const id = fieldId(name);
  const help = `${id}-help`;
  let control: HTMLElement;
  let read: Reader;
  switch (spec.kind) {
    case 'boolean': {
      const t = triState(id, notSetLabel(spec), help);
      control = t.el;
      read = t.read;
      break;
    }
    case 'enum': {
      // ('' is lang's "not set", which the first option already is)
      const legacy = Object.entries(spec.legacyValues ?? {}).filter(([v]) => v !== '');
      const el = select(
        id,
        [
          h('option', { value: '' }, notSetLabel(spec)),
          ...(spec.values ?? []).map((v) => h('option', { value: v }, v)),
          legacy.length
            ? h(
                'optgroup',
                { label: 'Legacy (accepted with a warning)' },
                ...legacy.map(([v, why]) => h('option', { value: v }, `${v}: ${why}`)),
              )
            : null,
        ],
        help,
      );
      control = el;
      read = () => (el.value === '' ? undefined : el.value);
      break;
    }
    case 'timestamp': {
      const el = h('input', { id, type: 'datetime-local', step: 1, 'aria-describedby': help });
      control = el;
      read = (issues) => {
        if (el.value === '') return undefined;
        const date = new Date(el.value);
        if (Number.isNaN(date.getTime())) {
          issues.push({ path: name, message: 'is not a complete date and time', severity: 'error' });
          return undefined;
        }
        return date;
      };
      break;
    }
    case 'seconds': {
      const el = h('input', { id, type: 'number', min: 1, step: 1, inputmode: 'numeric', 'aria-describedby': help });
      control = el;
      read = (issues) => {
        if (el.value === '') {
          if (el.validity.badInput)
            issues.push({ path: name, message: 'must be a number of seconds', severity: 'error' });
          return undefined;
        }
        return Number(el.value);
      };
      break;
    }
    case 'recording-options': {
      const el = h('textarea', {
        id,
        rows: 3,
        spellcheck: 'false',
        placeholder: '{"layout": {"preset": "default"}}',
        'aria-describedby': help,
      });
      control = el;
      read = (issues) => readJson(el.value, name, issues);
      break;
    }
    default: {
      const el = h('input', {
        id,
        type: 'text',
        maxlength: spec.maxLength,
        inputmode: spec.kind === 'url' ? 'url' : undefined,
        placeholder: spec.kind === 'url' ? 'https://…' : undefined,
        autocomplete: 'off',
        spellcheck: 'false',
        'aria-describedby': help,
      });
      control = el;
      read = () => (el.value === '' ? undefined : el.value);
    }
  }
  const tags: Child[] = [];
  if (spec.prebuiltOnly) tags.push(h('span', { class: 'tag' }, 'Prebuilt only'));
  const element = h(
    'div',
    { class: `field kind-${spec.kind}${spec.kind === 'recording-options' ? ' wide' : ''}` },
    h('label', { for: id }, h('code', {}, name), ' ', h('span', { class: 'claim' }, spec.claim ?? 'no abbreviation')),
    h('p', { class: 'help', id: help }, ...meaningOf(name, spec.kind), ...tags),
    control,
  );
  return { element, read };
}

export interface BuildInputs {
  apiKey: string;
  domainId: string;
  expiresIn: string;
  noExpiry: boolean;
  allRooms: boolean;
}

export interface BuildForm {
  /** The property inputs, in registry order. */
  elements: HTMLElement[];
  /** Reads every property; problems reading the form itself (bad JSON) land in `issues`. */
  collect(): { properties: Record<string, unknown>; issues: ValidationIssue[] };
}

/** Generates the property inputs from the registry (POST properties only, as the REST API takes). */
export function createBuildForm(): BuildForm {
  const fields = REST_PROPERTY_NAMES.map((name) => {
    const spec: ClaimSpec = CLAIM_REGISTRY[name];
    return { name, ...(spec.kind === 'permissions' ? permissionsField(name, spec) : simpleField(name, spec)) };
  });
  return {
    elements: fields.map((f) => f.element),
    collect() {
      const issues: ValidationIssue[] = [];
      const properties: Record<string, unknown> = {};
      for (const f of fields) {
        const value = f.read(issues);
        if (value !== undefined) properties[f.name] = value;
      }
      return { properties, issues };
    },
  };
}

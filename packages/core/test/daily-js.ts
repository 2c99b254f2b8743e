/**
 * Daily's published types (`@daily-co/daily-js`'s index.d.ts), read at test time and turned into fast-check
 * arbitraries: the property tests draw recording options, permissions and languages from what that file
 * declares, so a new daily-js version's presets, options and values are exercised without editing a table
 * here. The reader understands the handful of type forms those declarations use, and throws on any other,
 * so a new form fails loudly instead of being skipped.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';

const require = createRequire(import.meta.url);
const dir = dirname(require.resolve('@daily-co/daily-js/package.json'));
export const DAILY_JS_VERSION: string = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
const DTS = readFileSync(join(dir, 'index.d.ts'), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/\/\/.*$/gm, '');

/** `text` split at `sep` outside brackets and quotes. */
function splitTop(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if ('{<(['.includes(c)) depth++;
    else if ('}>)]'.includes(c)) depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** The text from `open` at `from` to its matching close. */
function balanced(text: string, from: number, open = '{', close = '}'): string {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === open) depth++;
    else if (text[i] === close && --depth === 0) return text.slice(from + 1, i);
  }
  throw new Error(`unbalanced ${open} in daily-js index.d.ts`);
}

interface Field {
  name: string;
  optional: boolean;
  type: string;
}

/** The members of an object type's body; an index signature is named `[key]`. */
function fieldsOf(body: string): Field[] {
  return splitTop(body.replace(/\n/g, ' '), ';').map((m) => {
    const index = m.match(/^\[\s*\w+\s*:\s*string\s*\]\s*:\s*([\s\S]+)$/);
    if (index) return { name: '[key]', optional: true, type: (index[1] as string).trim() };
    const named = m.match(/^(?:readonly\s+)?('[^']*'|"[^"]*"|\w+)(\?)?\s*:\s*([\s\S]+)$/);
    if (!named) throw new Error(`a member of daily-js index.d.ts the test cannot read: ${m}`);
    return {
      name: (named[1] as string).replace(/^['"]|['"]$/g, ''),
      optional: !!named[2],
      type: (named[3] as string).trim(),
    };
  });
}

/** An interface's own and inherited members. */
export function interfaceFields(name: string): Field[] {
  const m = new RegExp(`interface ${name}\\b([^{]*)\\{`).exec(DTS);
  if (!m) throw new Error(`daily-js ${DAILY_JS_VERSION} has no interface ${name}`);
  const inherited = (m[1]?.replace(/^\s*<[^>]*>/, '').match(/extends\s+([\w\s,]+)/)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .flatMap(interfaceFields);
  const own = fieldsOf(balanced(DTS, m.index + m[0].length - 1));
  return [...inherited.filter((f) => !own.some((o) => o.name === f.name)), ...own];
}

/** A type alias's right-hand side, with its `Type extends 'start' ? A : B` conditionals read for 'start'. */
function aliasOf(name: string): string | undefined {
  const m = new RegExp(`type ${name}\\s*(<[^>]*>)?\\s*=`).exec(DTS);
  if (!m) return undefined;
  const rest = DTS.slice(m.index + m[0].length);
  const body = rest.trimStart().startsWith('{')
    ? `{${balanced(rest, rest.indexOf('{'))}}`
    : (splitTop(rest, ';')[0] as string);
  return body.replace(/\(\s*Type extends 'start'\s*\?\s*(\w+)\s*:\s*\w+\s*\)/g, '$1').trim();
}

/** The string literals a union type alias (through the aliases it names) allows. */
export function unionOf(name: string): string[] {
  const body = aliasOf(name);
  if (body === undefined) throw new Error(`daily-js ${DAILY_JS_VERSION} has no type ${name}`);
  return splitTop(body, '|').flatMap((part) => (/^'.*'$/.test(part) ? [part.slice(1, -1)] : unionOf(part)));
}

/** The type of member `field` of `iface` (a nested object literal's members: `tokenConfig.lang`). */
export function memberType(iface: string, path: string): string {
  const [first, ...rest] = path.split('.');
  let type = interfaceFields(iface).find((f) => f.name === first)?.type;
  for (const name of rest) type = type && fieldsOf(type.slice(1, -1)).find((f) => f.name === name)?.type;
  if (!type) throw new Error(`daily-js ${DAILY_JS_VERSION} has no ${iface}.${path}`);
  return type;
}

const key = fc.string({ minLength: 1, maxLength: 6 });
const scalars: Record<string, fc.Arbitrary<unknown>> = {
  number: fc.double({ noNaN: true, noDefaultInfinity: true }),
  string: fc.string({ maxLength: 8 }),
  boolean: fc.boolean(),
};

/**
 * An arbitrary of the JSON values a daily-js type allows. Conditional types are read for a recording
 * (`Method extends 'recording' ? A : B` is A); `Set<…>` has no JSON form and is left out.
 */
export function arbitraryOf(type: string): fc.Arbitrary<unknown> {
  const t = type.trim();
  const conditional = t.match(/^Method extends 'recording'\s*\?\s*([\s\S]*?)\s*:\s*[\s\S]*$/);
  if (conditional) return arbitraryOf(conditional[1] as string);
  const union = splitTop(t, '|').filter((p) => !p.startsWith('Set<'));
  if (union.length > 1) return fc.oneof(...union.map(arbitraryOf));
  if (/^'.*'$/.test(t)) return fc.constant(t.slice(1, -1));
  if (scalars[t]) return scalars[t] as fc.Arbitrary<unknown>;
  const array = t.match(/^Array<([\s\S]+)>$/) ?? t.match(/^(\w+)\[\]$/);
  if (array) return fc.array(arbitraryOf(array[1] as string), { maxLength: 3 });
  if (t.startsWith('{')) return objectOf(fieldsOf(t.slice(1, -1)));
  const partial = t.match(/^Partial<(\w+)>$/);
  if (partial) return objectOf(namedFields(partial[1] as string).map((f) => ({ ...f, optional: true })));
  const name = t.replace(/<[^>]*>$/, '');
  if (/^\w+$/.test(name)) {
    const alias = aliasOf(name);
    return alias !== undefined ? arbitraryOf(alias) : objectOf(interfaceFields(name));
  }
  throw new Error(`a daily-js type the test cannot read: ${t}`);
}

function namedFields(name: string): Field[] {
  const alias = aliasOf(name);
  return alias?.startsWith('{') ? fieldsOf(alias.slice(1, -1)) : interfaceFields(name);
}

/** An object with the named members (required ones always present) and, for an index signature, more. */
function objectOf(fields: Field[]): fc.Arbitrary<Record<string, unknown>> {
  const named = fields.filter((f) => f.name !== '[key]');
  const index = fields.find((f) => f.name === '[key]');
  const record = fc.record(Object.fromEntries(named.map((f) => [f.name, arbitraryOf(f.type)])), {
    requiredKeys: named.filter((f) => !f.optional).map((f) => f.name),
  });
  if (!index) return record as fc.Arbitrary<Record<string, unknown>>;
  const extra = fc.dictionary(key, arbitraryOf(index.type), { maxKeys: 3 });
  return fc.tuple(extra, record).map(([more, own]) => ({ ...more, ...own }));
}

/** The layout configs a recording may start with (`DailyStreamingLayoutConfig<'start'>`), by preset. */
export function layoutPresets(): Map<string, Field[]> {
  const union = aliasOf('DailyStreamingLayoutConfig') as string;
  return new Map(
    splitTop(union, '|').map((name) => {
      const fields = interfaceFields(name);
      const preset = fields.find((f) => f.name === 'preset')?.type.slice(1, -1) as string;
      return [preset, fields.filter((f) => f.name !== 'preset')];
    }),
  );
}

/** The recording options daily-js declares (`DailyStreamingOptions`), each with its type for a recording. */
export const recordingOptionFields = () => interfaceFields('DailyStreamingOptions');

/** What a token's `start_cloud_recording_opts` may hold: `tokenConfig.start_cloud_recording_opts`'s type. */
export const recordingOptions = () =>
  arbitraryOf(memberType('DailyRoomInfo', 'tokenConfig.start_cloud_recording_opts'));
/** A token's `permissions`, as daily-js types a permissions update (arrays for sets). */
export const permissions = () => arbitraryOf('DailyParticipantPermissionsUpdate');
/** A token's `lang`: `tokenConfig.lang`'s type. */
export const lang = () => arbitraryOf(memberType('DailyRoomInfo', 'tokenConfig.lang'));

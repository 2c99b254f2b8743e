/**
 * The registry's friendly validator and the route schema (which /openapi.json publishes) must agree on
 * every room property: a value one accepts, the other accepts; a value one refuses, the other refuses.
 */
import {
  readRoomProperties,
  ROOM_PROPERTY_NAMES,
  ROOM_PROPERTY_REGISTRY,
  type RoomPropertySpec,
} from 'daily-tokens/rooms';
import { describe, expect, it } from 'vitest';
import { bodyAjv } from '../src/http/plugins/validation.js';

function samples(spec: RoomPropertySpec): { good: unknown[]; bad: unknown[] } {
  // what daily-ruby sends for "not set" is accepted by both
  const notSet = [...(spec.notSetValues ?? [])];
  switch (spec.kind) {
    case 'boolean':
      return { good: [true, false], bad: ['yes', 1] };
    case 'integer':
      return { good: [spec.minimum ?? 1, spec.maximum ?? 1000], bad: [0.5, '4', (spec.minimum ?? 1) - 1] };
    case 'number':
      return { good: [0.5, 3], bad: ['x', -1] };
    case 'timestamp':
      return { good: [1_900_000_000], bad: [-1, 'soon', 1_900_000_000_000] };
    case 'seconds':
      return { good: [60], bad: [0, 1.5] };
    case 'enum':
      // an open list (regions) keeps an unknown string, with a warning
      return spec.openValues
        ? { good: [...(spec.values ?? []), ...notSet, 'zz-new-1'], bad: [3, true] }
        : { good: [...(spec.values ?? []), ...notSet], bad: ['zzz', 3] };
    case 'string':
      return { good: ['x'], bad: ['', 5, 'x'.repeat((spec.maxLength ?? 5000) + 1)] };
    case 'template':
      return {
        good: ['{room_name}/{epoch_time}.mp4', '{epoch_time}'],
        bad: ['', 7, '{room_name}/recording.mp4', `{epoch_time}${'x'.repeat(spec.maxLength ?? 5000)}`],
      };
    case 'url':
      return {
        good: ['https://example.com/hook', ...notSet],
        bad: ['not a url', 7, `https://e.com/${'x'.repeat(spec.maxLength ?? 5000)}`],
      };
    case 'object': {
      // a documented field of the wrong type is refused; a field the docs do not list is kept (a warning)
      const [field, type] = Object.entries(spec.fields ?? {})[0] ?? [];
      const wrong = type === 'string' ? 5 : 'x';
      return {
        good: [{}, { zz_undocumented: 1 }],
        bad: [[], 'x', ...(field ? [{ [field]: wrong }] : [])],
      };
    }
    case 'object-array':
      return { good: [[], [{ name: 'x' }]], bad: [[1], {}] };
    case 'permissions':
      return {
        good: [{ canSend: ['video'] }, { hasPresence: false }],
        bad: [{ canSend: ['screen'] }, { can_send: true }],
      };
  }
}

describe('registry validator ⇔ route schema', () => {
  const check = bodyAjv().compile({ $ref: 'RoomProperties#' });
  it.each(ROOM_PROPERTY_NAMES)('%s', (name) => {
    const { good, bad } = samples(ROOM_PROPERTY_REGISTRY[name]);
    for (const value of [...good, null]) {
      const errors = readRoomProperties({ [name]: value }).issues.filter((i) => i.severity === 'error');
      expect(errors, `registry accepts ${JSON.stringify(value)}`).toEqual([]);
      expect(check({ [name]: value }), `schema accepts ${JSON.stringify(value)}`).toBe(true);
    }
    for (const value of bad) {
      const errors = readRoomProperties({ [name]: value }).issues.filter((i) => i.severity === 'error');
      expect(errors.length, `registry refuses ${JSON.stringify(value)}`).toBeGreaterThan(0);
      expect(check({ [name]: value }), `schema refuses ${JSON.stringify(value)}`).toBe(false);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { maskJson } from '../src/emulator/mask.js';

describe('journal masking', () => {
  it('keeps a body\'s own "__proto__" field as a field, masked like any other', () => {
    const body = JSON.parse('{"__proto__": {"api_key": "sk_live_0123456789abcdef"}, "name": "room"}');
    const masked = maskJson(body, []) as Record<string, unknown>;
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(Object.keys(masked)).toEqual(['__proto__', 'name']);
    const inner = JSON.stringify(masked);
    expect(inner).toContain('"__proto__"');
    expect(inner).not.toContain('0123456789abcdef');
  });

  it('masks the signature of a token in any string and secret-named fields by their last characters', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJyIjoicm9vbSJ9.c2lnbmF0dXJlLXNlY3JldA';
    const masked = JSON.stringify(maskJson({ note: `t=${token}`, apiKey: 'key-0123456789abcdef' }, []));
    expect(masked).toContain('eyJhbGciOiJIUzI1NiJ9.eyJyIjoicm9vbSJ9.…');
    expect(masked).not.toContain('c2lnbmF0dXJlLXNlY3JldA');
    expect(masked).not.toContain('0123456789ab');
  });
});

/**
 * The one duration grammar used everywhere (library options, CLI flags, service config):
 * a number is seconds; a string is one or more `<integer><unit>` parts with units
 * `s`, `m`, `h`, `d`, `w` (`90s`, `15m`, `1h30m`, `7d`). A unitless string such as `"3600"` is
 * rejected, because it is ambiguous (seconds? milliseconds?).
 */

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const PART = /(\d+)([smhdw])/gy;

/**
 * Parses a duration into whole seconds, or throws `TypeError` naming the option and the grammar.
 *
 * @example
 * ```ts
 * parseDuration('1h30m') // 5400
 * parseDuration(90)      // 90
 * ```
 */
export function parseDuration(value: unknown, name = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0 || !Number.isInteger(value)) {
      throw new TypeError(`${name} must be a whole, non-negative number of seconds, got ${String(value)}`);
    }
    return value;
  }
  if (typeof value !== 'string') {
    throw new TypeError(`${name} must be a number of seconds or a string like "90s", "15m", "1h", "7d"`);
  }
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s)) {
    throw new TypeError(
      `${name} "${value}" has no unit, so it could mean seconds or milliseconds; write "${s}s" for seconds (units: s, m, h, d, w)`,
    );
  }
  let total = 0;
  let consumed = 0;
  PART.lastIndex = 0;
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number);
    consumed = PART.lastIndex;
  }
  if (s.length === 0 || consumed !== s.length || !Number.isSafeInteger(total)) {
    throw new TypeError(
      `${name} "${value}" is not a duration; use a number of seconds or e.g. "90s", "15m", "1h30m", "7d"`,
    );
  }
  return total;
}

/** Formats seconds for people: `2 h 3 min`, `45 s`, `3 days`. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const rest = s % 60;
    return rest ? `${m} min ${rest} s` : `${m} min`;
  }
  if (s < 86_400) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const days = `${d} day${d === 1 ? '' : 's'}`;
  return h ? `${days} ${h} h` : days;
}

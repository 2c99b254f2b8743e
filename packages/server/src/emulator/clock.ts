/**
 * The emulator's time. Every token and room decision reads `now()`; tests move it instead of waiting.
 * `startDailyEmulator` freezes it (time moves only when a test moves it, so runs repeat exactly);
 * `daily-tokens serve --emulator` lets it run with the real time, shifted by whatever was advanced or set.
 */
import { type Duration, parseDuration } from 'daily-tokens';

/** The emulator's time: the service reads it for every token and room decision. */
export interface VirtualClock {
  now(): Date;
  /** Moves time forward by a duration (`90s`, `2h`, or seconds); returns the new time. */
  advance(by: Duration): Date;
  /** Sets the time (a Date or unix seconds); returns it. */
  set(to: Date | number): Date;
  /** True when time moves only through `advance`/`set`; false when it also runs with the real time. */
  readonly frozen: boolean;
}

/** A Date or unix seconds → a valid Date, or a `TypeError` naming `name`. */
export function instant(value: Date | number, name: string): Date {
  const d = typeof value === 'number' ? new Date(value * 1000) : value;
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`${name} must be a Date or unix seconds`);
  return new Date(d.getTime());
}

/**
 * A clock that starts at `start` (default: the real time). Frozen: it stays there until moved. Running: it
 * keeps the offset from the real time that `advance`/`set` gave it.
 *
 * @example
 * ```ts
 * const clock = virtualClock({ start: new Date('2026-03-10T12:00:00Z'), frozen: true });
 * clock.advance('2h'); // 2026-03-10T14:00:00Z
 * ```
 */
export function virtualClock(options: { start?: Date | number; frozen?: boolean } = {}): VirtualClock {
  const frozen = options.frozen ?? true;
  const start = options.start === undefined ? new Date() : instant(options.start, 'now');
  // frozen: the time itself; running: the offset from Date.now()
  let ms = frozen ? start.getTime() : start.getTime() - Date.now();
  const read = () => (frozen ? ms : Date.now() + ms);
  const clock: VirtualClock = {
    frozen,
    now: () => new Date(read()),
    advance(by) {
      ms += parseDuration(by, 'advance') * 1000;
      return clock.now();
    },
    set(to) {
      const t = instant(to, 'set').getTime();
      ms = frozen ? t : t - Date.now();
      return clock.now();
    },
  };
  return clock;
}

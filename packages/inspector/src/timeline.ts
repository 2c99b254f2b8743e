/**
 * The validity timeline: `iat`, `nbf`, `exp` and now on one bar, so "not yet valid" and "expired"
 * are seen at a glance. `computeTimeline` is pure (positions in percent); `renderTimeline` draws it.
 */
import { formatDuration, isoFromSeconds, relativeTime } from 'daily-tokens/explain';
import { h, replace } from './dom.js';

export type ValidityState = 'valid' | 'expired' | 'not-yet-valid' | 'unknown';

export interface TimelineMark {
  id: 'iat' | 'nbf' | 'exp' | 'now';
  label: string;
  seconds: number;
  /** Position on the bar, 0–100. */
  at: number;
  /** Label row: 0 above the bar, 1 below. */
  row: 0 | 1;
  /** The text drawn by the mark; marks too close to label apart share one (`not before · now`). */
  text: string;
}

/** Labels closer than this (percent of the bar) would print on top of each other in one row. */
export const LABEL_GAP = 14;

export interface Timeline {
  state: ValidityState;
  /** One sentence: "Expired 3 days ago", "Valid now: expires in 42 min". */
  summary: string;
  marks: TimelineMark[];
  /** The span in which the token can be used, 0–100; `end` is 100 when it never expires. */
  window: { start: number; end: number };
  neverExpires: boolean;
}

const LABELS = { iat: 'issued', nbf: 'not before', exp: 'expires', now: 'now' } as const;

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Lays out the token's times around `now` (unix seconds). */
export function computeTimeline(claims: Record<string, unknown>, now: number): Timeline {
  const times = { iat: finite(claims.iat), nbf: finite(claims.nbf), exp: finite(claims.exp) };
  const known = [times.iat, times.nbf, times.exp, now].filter((t): t is number => t !== undefined);
  let min = Math.min(...known);
  let max = Math.max(...known);
  const neverExpires = times.exp === undefined;
  // A token without exp runs off the right edge: leave room to show that it goes on.
  if (neverExpires) max += Math.max((max - min) * 0.5, 3600);
  const span = Math.max(max - min, 60);
  min -= span * 0.06;
  max = min + span * 1.12;
  const pos = (t: number) => ((t - min) / (max - min)) * 100;

  const marks: TimelineMark[] = (['iat', 'nbf', 'exp', 'now'] as const)
    .map((id) => ({ id, seconds: id === 'now' ? now : times[id] }))
    .filter((m): m is { id: TimelineMark['id']; seconds: number } => m.seconds !== undefined)
    .map((m) => ({ ...m, label: LABELS[m.id], at: pos(m.seconds), row: 0 as 0 | 1, text: LABELS[m.id] }));
  placeLabels(marks);

  const from = times.nbf ?? times.iat;
  const window = { start: from === undefined ? 0 : pos(from), end: neverExpires ? 100 : pos(times.exp as number) };

  let state: ValidityState;
  let summary: string;
  if (times.exp !== undefined && now >= times.exp) {
    state = 'expired';
    summary = `Expired ${relativeTime(times.exp, now)}.`;
  } else if (times.nbf !== undefined && now < times.nbf) {
    state = 'not-yet-valid';
    summary = `Not yet valid: usable ${relativeTime(times.nbf, now)}.`;
  } else if (times.exp !== undefined) {
    state = 'valid';
    summary = `Within its validity window: expires ${relativeTime(times.exp, now)}.`;
  } else {
    state = 'valid';
    summary = 'Within its validity window, and it never expires (no exp).';
  }
  if (times.iat !== undefined && times.exp !== undefined && times.exp > times.iat) {
    summary += ` Lifetime ${formatDuration(times.exp - times.iat)}.`;
  }
  return { state, summary, marks, window, neverExpires };
}

/**
 * Gives each label a row so that no two labels in a row are closer than LABEL_GAP: left to right, a label takes
 * the first row with room; when neither has room it joins the nearest label's text instead of overprinting it.
 */
function placeLabels(marks: TimelineMark[]): void {
  const last: (TimelineMark | undefined)[] = [undefined, undefined];
  for (const m of [...marks].sort((a, b) => a.at - b.at)) {
    const free = ([0, 1] as const).find((r) => !last[r] || m.at - (last[r] as TimelineMark).at >= LABEL_GAP);
    if (free !== undefined) {
      m.row = free;
      last[free] = m;
      continue;
    }
    const nearest = ([0, 1] as const).reduce((a, b) =>
      (last[a] as TimelineMark).at >= (last[b] as TimelineMark).at ? a : b,
    );
    const host = last[nearest] as TimelineMark;
    host.text = `${host.text} · ${m.text}`;
    m.row = nearest;
    m.text = '';
  }
}

/** Places an element along the bar through a CSS custom property (CSSOM, which a CSP allows). */
function place(el: HTMLElement, name: string, percent: number): HTMLElement {
  el.style.setProperty(name, `${Math.min(100, Math.max(0, percent)).toFixed(2)}%`);
  return el;
}

/** Draws the timeline into `root`, or a note when the token has no times at all. */
export function renderTimeline(root: HTMLElement, claims: Record<string, unknown>, now: number): void {
  const t = computeTimeline(claims, now);
  const windowEl = place(place(h('div', { class: 'tl-window' }), '--start', t.window.start), '--end', t.window.end);
  const bar = h(
    'div',
    { class: `tl-bar${t.neverExpires ? ' tl-open' : ''}`, 'aria-hidden': 'true' },
    windowEl,
    ...t.marks.map((m) =>
      place(
        h(
          'div',
          {
            class: `tl-mark tl-${m.id} tl-row${m.row}${m.at < 12 ? ' tl-edge-left' : m.at > 88 ? ' tl-edge-right' : ''}`,
          },
          m.text ? h('span', { class: 'tl-label' }, m.text) : null,
        ),
        '--at',
        m.at,
      ),
    ),
  );
  const list = h(
    'ul',
    { class: 'tl-legend' },
    ...t.marks.map((m) =>
      h(
        'li',
        { class: `tl-item tl-${m.id}`, 'data-mark': m.id },
        h('span', { class: 'tl-dot', 'aria-hidden': 'true' }),
        h('strong', {}, m.id === 'now' ? 'now' : `${m.id} (${m.label})`),
        ' ',
        // The time and how long ago it is wrap as one piece: never a relative time alone on a line.
        h(
          'span',
          { class: 'tl-when' },
          h('time', { datetime: isoFromSeconds(m.seconds) }, new Date(m.seconds * 1000).toLocaleString()),
          m.id === 'now' ? null : h('span', { class: 'tl-relative' }, ` · ${relativeTime(m.seconds, now)}`),
        ),
      ),
    ),
    t.neverExpires ? h('li', { class: 'tl-item tl-exp' }, h('strong', {}, 'exp'), ' not set: never expires') : null,
  );
  replace(
    root,
    h('p', { class: `tl-summary state-${t.state}`, id: 'validity-summary', 'data-state': t.state }, t.summary),
    bar,
    list,
  );
}

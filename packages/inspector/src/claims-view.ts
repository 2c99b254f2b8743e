/**
 * The decoded token: its three parts coloured apart, the header, and one row per claim with its full
 * name, value and meaning from the registry (through `explainClaims`), times and permissions in words.
 */
import type { DecodedMeetingToken } from 'daily-tokens';
import { explainClaims } from 'daily-tokens/explain';
import { h, replace } from './dom.js';

/** The token split into header, payload and signature, each coloured; dots kept for copying. */
export function renderParts(root: HTMLElement, token: string): void {
  const [header = '', payload = '', ...rest] = token.split('.');
  const signature = rest.join('.');
  replace(
    root,
    h('span', { class: 'part part-header', title: 'header' }, header),
    h('span', { class: 'dot' }, '.'),
    h('span', { class: 'part part-payload', title: 'payload (claims)' }, payload),
    token.includes('.', header.length + 1) ? h('span', { class: 'dot' }, '.') : null,
    h('span', { class: 'part part-signature', title: 'signature' }, signature),
  );
}

const showValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 1).replace(/\n\s*/g, ' '));

/** One table row per claim. */
export function renderClaims(root: HTMLElement, decoded: DecodedMeetingToken, now: number): void {
  const rows = explainClaims(decoded.claims, decoded.properties, now);
  // Issue paths are claim keys (`exp`, `p.ca`): group them under the row of their claim.
  const issuesOf = (claim: string) => decoded.issues.filter((i) => i.path.split(/[.[]/)[0] === claim);
  replace(
    root,
    h(
      'table',
      { class: 'claims' },
      h('caption', { class: 'visually-hidden' }, 'Claims of the token'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Claim'),
          h('th', { scope: 'col' }, 'Property'),
          h('th', { scope: 'col' }, 'Value'),
          h('th', { scope: 'col' }, 'Meaning'),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map((row) => {
          return h(
            'tr',
            { 'data-claim': row.claim, class: row.name ? '' : 'unknown' },
            h('td', { class: 'c-claim', 'data-label': 'Claim' }, h('code', {}, row.claim)),
            h('td', { class: 'c-name', 'data-label': 'Property' }, row.name ? h('code', {}, row.name) : '—'),
            h('td', { class: 'c-value', 'data-label': 'Value' }, h('code', {}, showValue(row.value))),
            h(
              'td',
              { class: 'c-meaning', 'data-label': 'Meaning' },
              row.meaning,
              row.time
                ? h(
                    'span',
                    { class: 'c-time' },
                    h('time', { datetime: row.time.iso }, row.time.iso),
                    ' · ',
                    h('span', { class: 'c-local' }, new Date((row.value as number) * 1000).toLocaleString()),
                    ' · ',
                    h('strong', { class: 'c-relative' }, row.time.relative),
                  )
                : null,
              row.words ? h('span', { class: 'c-words' }, row.words) : null,
              ...issuesOf(row.claim).map((i) =>
                h(
                  'span',
                  { class: `c-issue sev-${i.severity}` },
                  `${i.severity === 'error' ? 'Ignored by Daily: ' : 'Note: '}${i.path} ${i.message}`,
                ),
              ),
            ),
          );
        }),
      ),
    ),
  );
}

/** The decoded header, as JSON. */
export function renderHeader(root: HTMLElement, decoded: DecodedMeetingToken): void {
  replace(root, h('code', {}, JSON.stringify(decoded.header)));
}

/** Lint findings grouped by severity, each with its fix (findings come from `lintMeetingToken`). */
import { type Finding, type Severity, verdictOf } from 'daily-tokens';
import { describeEvidence, EFFECT_EVIDENCE, verdictSentence } from 'daily-tokens/explain';
import { h, replace } from './dom.js';

/**
 * Daily's verdict as the claims alone decide it (the signature needs the key): the same model and words
 * as verify, the CLI and the service.
 */
function verdictLine(findings: readonly Finding[]): Node {
  const verdict = verdictOf(findings);
  const dropped = findings.filter((f) => f.effect === 'drops').map((f) => f.claim ?? f.rule);
  return h(
    'p',
    { class: 'lint-verdict', 'data-verdict': verdict },
    h('strong', {}, 'Daily: '),
    verdictSentence(verdict, dropped),
    verdict === 'refuses' ? '' : ' (if the signature holds: enter the key below to check it)',
  );
}

const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Notes' };
const ORDER: readonly Severity[] = ['error', 'warning', 'info'];
/** "1 error", "2 warnings": the tally above the groups. */
const COUNTED: Record<Severity, readonly [one: string, many: string]> = {
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  info: ['note', 'notes'],
};

export function renderFindings(root: HTMLElement, findings: readonly Finding[]): void {
  if (findings.length === 0) {
    replace(
      root,
      verdictLine(findings),
      h('p', { class: 'lint-clean' }, 'No findings: nothing dangerous, ignored or unwise in this token.'),
    );
    return;
  }
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  replace(
    root,
    verdictLine(findings),
    h(
      'p',
      { class: 'lint-count' },
      ORDER.filter((s) => count(s) > 0)
        .map((s) => `${count(s)} ${COUNTED[s][count(s) === 1 ? 0 : 1]}`)
        .join(', '),
    ),
    ...ORDER.filter((s) => count(s) > 0).map((severity) =>
      h(
        'section',
        { class: `lint-group sev-${severity}` },
        h('h3', {}, HEADINGS[severity]),
        h(
          'ul',
          {},
          ...findings
            .filter((f) => f.severity === severity)
            .map((f) =>
              h(
                'li',
                { class: 'finding', 'data-rule': f.rule },
                h('span', { class: `badge sev-${severity}` }, severity),
                ' ',
                h('code', { class: 'rule' }, f.rule),
                f.claim ? h('span', { class: 'finding-claim' }, ' on ', h('code', {}, f.claim)) : null,
                h('p', { class: 'finding-message' }, f.message),
                f.fix ? h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), f.fix) : null,
                h('p', { class: 'evidence' }, h('strong', {}, 'Why: '), describeEvidence(EFFECT_EVIDENCE[f.rule])),
              ),
            ),
        ),
      ),
    ),
  );
}

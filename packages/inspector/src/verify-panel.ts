/**
 * Verify: the token against an API key (and optionally a domain id and room), in one of four states
 * that never go stale: every input change starts a new check numbered in sequence, and a result is
 * shown only if no newer check has started since.
 */
import { type Problem, verifyMeetingToken, type VerifyMeetingTokenOptions, type VerifyResult } from 'daily-tokens';
import { describeEvidence, EFFECT_EVIDENCE, verdictSentence } from 'daily-tokens/explain';
import { h, replace } from './dom.js';

export type VerifyState = 'not-checked' | 'fix-input' | 'checking' | 'valid' | 'invalid';

export interface VerifyInput {
  token: string;
  apiKey: string;
  domainId: string;
  roomName: string;
  /** Accept a token whose nbf is still ahead, as Daily's `?ignoreNbf=true` does. */
  ignoreNbf?: boolean;
}

/** Either a reason not to check yet (with the field to fix), or the options to check with. */
export type VerifyPlan =
  | { state: 'not-checked' | 'fix-input'; message: string; field?: keyof VerifyInput }
  | { state: 'ready'; options: VerifyMeetingTokenOptions };

const MAX_KEY_LENGTH = 4096;
const MAX_FIELD_LENGTH = 512;

/** Reads the form the way a careful person would, saying what to fix; never echoes the key. */
export function planVerify(input: VerifyInput, now: Date): VerifyPlan {
  if (input.token === '') return { state: 'not-checked', message: 'Paste a token above to check it.' };
  if (input.apiKey === '') {
    if (input.domainId.trim() !== '' || input.roomName.trim() !== '') {
      return {
        state: 'fix-input',
        field: 'apiKey',
        message: "Enter the domain's API key: the domain and room are checked together with the signature.",
      };
    }
    return { state: 'not-checked', message: "Enter the domain's API key to check the signature." };
  }
  if (input.apiKey.length > MAX_KEY_LENGTH) {
    return { state: 'fix-input', field: 'apiKey', message: `The API key is longer than ${MAX_KEY_LENGTH} characters.` };
  }
  if (input.apiKey.trim() !== input.apiKey) {
    return {
      state: 'fix-input',
      field: 'apiKey',
      message: 'The API key starts or ends with a space or line break, which Daily keys never do; remove it.',
    };
  }
  for (const [field, what, where] of [
    ['domainId', 'domain id', 'copy domain_id from GET https://api.daily.co/v1/'],
    ['roomName', 'room name', 'enter the room exactly as in its URL'],
  ] as const) {
    const value = input[field];
    if (value.length > MAX_FIELD_LENGTH) {
      return { state: 'fix-input', field, message: `The ${what} is longer than ${MAX_FIELD_LENGTH} characters.` };
    }
    if (/\s/.test(value.trim())) {
      return { state: 'fix-input', field, message: `The ${what} contains spaces; ${where}.` };
    }
  }
  const options: VerifyMeetingTokenOptions = { apiKey: input.apiKey, now };
  if (input.domainId.trim() !== '') options.domainId = input.domainId.trim();
  if (input.roomName.trim() !== '') options.roomName = input.roomName.trim();
  if (input.ignoreNbf) options.ignoreNbf = true;
  return { state: 'ready', options };
}

/** Runs checks, dropping any result that a newer check has overtaken. */
export class Verifier {
  private sequence = 0;

  constructor(private readonly render: (state: VerifyState, body: Node[]) => void) {}

  async check(input: VerifyInput, now: Date): Promise<void> {
    const mine = ++this.sequence;
    const plan = planVerify(input, now);
    if (plan.state !== 'ready') {
      this.render(plan.state, [h('p', { 'data-field': plan.field }, plan.message)]);
      return;
    }
    // Clear the old verdict at once: it was computed for other inputs. aria-busy keeps screen readers
    // from announcing this interim state.
    this.render('checking', [h('p', {}, 'Checking…')]);
    let result: VerifyResult;
    try {
      result = await verifyMeetingToken(input.token, plan.options);
    } catch (e) {
      // Caller mistakes are TypeErrors whose messages never contain the key.
      if (mine !== this.sequence) return;
      this.render('fix-input', [h('p', {}, e instanceof Error ? e.message : 'These inputs cannot be checked.')]);
      return;
    }
    if (mine !== this.sequence) return;
    const dropped = result.warnings.filter((w) => w.effect === 'drops').map((w) => w.claim ?? w.code);
    const verdict = h(
      'p',
      { class: 'daily-verdict', 'data-verdict': result.verdict },
      verdictSentence(result.verdict, dropped),
    );
    const warnings = result.warnings.length ? [problemList(result.warnings, 'warnings')] : [];
    if (result.valid) this.render('valid', [...validBody(plan.options), verdict, ...warnings]);
    else this.render('invalid', [...invalidBody(result.problems), verdict, ...warnings]);
  }
}

function validBody(options: VerifyMeetingTokenOptions): Node[] {
  const checked = ['Signed with this key', 'within its validity window'];
  if (options.domainId) checked.push(`for domain ${options.domainId}`);
  if (options.roomName) checked.push(`usable in room ${options.roomName}`);
  const unchecked = [!options.domainId && 'domain', !options.roomName && 'room'].filter(Boolean);
  return [
    h('p', { class: 'verdict' }, `${checked.join(', ')}.`),
    unchecked.length
      ? h('p', { class: 'hint' }, `Not checked: ${unchecked.join(' and ')} (fill in the field to check it too).`)
      : h('span', {}),
  ];
}

function invalidBody(problems: readonly Problem[]): Node[] {
  return [
    h(
      'p',
      { class: 'verdict' },
      `${problems.length} problem${problems.length === 1 ? '' : 's'}; each says how to fix it.`,
    ),
    problemList(problems, 'problems'),
  ];
}

/** Problems (why Daily refuses) or warnings (what it drops or applies as written), each with its fix. */
function problemList(problems: readonly Problem[], kind: 'problems' | 'warnings'): Node {
  return h(
    'ul',
    { class: kind },
    ...problems.map((p) =>
      h(
        'li',
        { class: kind === 'problems' ? 'problem' : 'warning', 'data-code': p.code, 'data-effect': p.effect },
        h('code', { class: 'problem-code' }, p.code),
        p.claim ? h('span', {}, ' on ', h('code', {}, p.claim)) : null,
        h('p', {}, p.message),
        p.fix ? h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), p.fix) : null,
        h('p', { class: 'evidence' }, h('strong', {}, 'Why: '), describeEvidence(EFFECT_EVIDENCE[p.code])),
      ),
    ),
  );
}

const TITLES: Record<VerifyState, string> = {
  'not-checked': 'Not checked',
  'fix-input': 'Fix your input',
  checking: 'Checking',
  valid: 'Valid',
  invalid: 'Invalid',
};

/** Draws a state into the result box. */
export function renderVerify(root: HTMLElement, state: VerifyState, body: Node[]): void {
  root.dataset.state = state;
  root.setAttribute('aria-busy', String(state === 'checking'));
  replace(root, h('h3', { class: 'verify-title' }, TITLES[state]), ...body);
}

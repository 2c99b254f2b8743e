/**
 * Doctor: the token against its room (and domain), from JSON pasted from `GET /v1/rooms/:name` (and
 * `GET /v1/`). The library's `diagnoseMeetingToken` judges; this draws its findings. The room, the domain
 * and the key never leave the page. Like Verify, a newer check overtakes an older one.
 */
import { verifyMeetingToken, type VerifyResult } from 'daily-tokens';
import { type Diagnosis, diagnoseMeetingToken, type RoomLike } from 'daily-tokens/doctor';
import { verdictSentence } from 'daily-tokens/explain';
import { h, replace } from './dom.js';

/** A room or domain reply is a few KiB; anything far larger is not one. */
const MAX_JSON_LENGTH = 64 * 1024;

export interface DoctorInput {
  token: string;
  /** The room as JSON text (`GET /v1/rooms/:name`). */
  room: string;
  /** The domain as JSON text (`GET /v1/`), or ''. */
  domain: string;
  /** The API key, or '' (then the signature is not checked). */
  apiKey: string;
}

/** The pasted JSON read as the object it must be, or why not (said for a person). */
function readJson(text: string, what: string, needsName: boolean): Record<string, unknown> | string {
  if (text.length > MAX_JSON_LENGTH) return `The ${what} is ${text.length} characters; paste only the JSON reply.`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `The ${what} is not JSON: paste the reply of ${needsName ? 'GET /v1/rooms/:name' : 'GET /v1/'} as it is.`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `The ${what} must be a JSON object, as ${needsName ? 'GET /v1/rooms/:name' : 'GET /v1/'} returns it.`;
  if (needsName && typeof (value as { name?: unknown }).name !== 'string')
    return 'The room JSON has no "name": paste the whole reply of GET /v1/rooms/:name.';
  return value as Record<string, unknown>;
}

export class Doctor {
  private sequence = 0;

  constructor(private readonly root: HTMLElement) {}

  async check(input: DoctorInput, now: Date): Promise<void> {
    const mine = ++this.sequence;
    if (input.token === '' || input.room.trim() === '') {
      replace(
        this.root,
        h('p', { class: 'hint' }, 'Paste a token above and the room’s JSON here to see what happens when it joins.'),
      );
      this.root.dataset.state = 'not-checked';
      return;
    }
    const room = readJson(input.room.trim(), 'room', true);
    const domain = input.domain.trim() === '' ? undefined : readJson(input.domain.trim(), 'domain', false);
    const bad = typeof room === 'string' ? room : typeof domain === 'string' ? domain : undefined;
    if (bad !== undefined) {
      replace(this.root, h('p', { class: 'status', 'data-kind': 'error' }, bad));
      this.root.dataset.state = 'fix-input';
      return;
    }
    let verified: VerifyResult | undefined;
    if (input.apiKey !== '') {
      try {
        verified = await verifyMeetingToken(input.token, { apiKey: input.apiKey, now });
      } catch {
        // A key the verifier refuses (Verify says why); the doctor goes on without the signature.
      }
    }
    if (mine !== this.sequence) return;
    let diagnosis: Diagnosis;
    try {
      diagnosis = diagnoseMeetingToken({
        token: input.token,
        room: room as unknown as RoomLike,
        ...(domain ? { domain: domain as { config?: Record<string, unknown> } } : {}),
        ...(verified ? { verified } : {}),
        now,
      });
    } catch (e) {
      replace(this.root, h('p', { class: 'status', 'data-kind': 'error' }, e instanceof Error ? e.message : String(e)));
      this.root.dataset.state = 'fix-input';
      return;
    }
    this.render(diagnosis);
  }

  private render(d: Diagnosis): void {
    const dropped = d.findings.filter((f) => f.effect === 'drops').map((f) => f.claim ?? f.rule);
    this.root.dataset.state = d.verdict;
    replace(
      this.root,
      h(
        'p',
        { class: 'doctor-verdict', 'data-verdict': d.verdict },
        h('strong', {}, 'Daily: '),
        verdictSentence(d.verdict, dropped),
        d.verified ? '' : ' (signature not checked: enter the API key under Verify)',
      ),
      d.findings.length === 0
        ? h('p', { class: 'lint-clean' }, 'Nothing to change: the token does what it asks in this room.')
        : h(
            'ul',
            { class: 'doctor-findings' },
            ...d.findings.map((f) =>
              h(
                'li',
                { class: 'finding', 'data-rule': f.rule, 'data-source': f.source },
                h('span', { class: `badge sev-${f.severity}` }, f.severity),
                ' ',
                h('code', { class: 'rule' }, f.rule),
                f.claim ? h('span', { class: 'finding-claim' }, ' on ', h('code', {}, f.claim)) : null,
                h('p', { class: 'finding-message' }, f.message),
                h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), f.fix),
                h('p', { class: 'evidence' }, h('strong', {}, 'Why: '), f.evidence),
              ),
            ),
          ),
    );
  }
}

/**
 * Where each fact of the registries and each effect of the verdict model comes from, and so how sure it
 * is: Daily's docs or OpenAPI, Daily's SDK types or sources, a reply observed from Daily, third-party
 * clients, or our own inference. Data, so that `explain`, the CLI and the inspector can say "Daily's docs
 * say …" or "we infer …" beside a finding. Kept in the `daily-tokens/explain` entry with the other prose;
 * the types make every table cover every entry of what it describes.
 */
import type { PermissionField } from '../claims/permissions.js';
import type { PropertyName } from '../claims/registry.js';
import type { EffectCode } from './effects.js';

/** How a fact is known, strongest first. */
export type EvidenceSource =
  /** Daily's documentation pages (docs.daily.co), including the OpenAPI embedded in them. */
  | 'daily-docs'
  /** Daily's OpenAPI as its generated SDKs carry it (enums, nullability, defaults). */
  | 'daily-openapi'
  /** Daily's published SDKs: `@daily-co/daily-js` types (`index.d.ts`) and sources (`Permissions.js`). */
  | 'daily-sdk'
  /** A reply or behaviour observed from Daily's service. */
  | 'observed'
  /** Clients and write-ups by others (pipecat, dailyco-rs, guides). */
  | 'third-party'
  /** Our inference where Daily says nothing: a guess, said as one. */
  | 'inferred';

/** One fact's provenance. */
export interface Evidence {
  readonly source: EvidenceSource;
  /** What the source says, as a clause that follows the source's words ("Daily's docs say …"). */
  readonly says: string;
}

const docs = (says: string): Evidence => ({ source: 'daily-docs', says });
const sdk = (says: string): Evidence => ({ source: 'daily-sdk', says });
const inferred = (says: string): Evidence => ({ source: 'inferred', says });

/** How sure each kind of source makes a fact, for people. */
export const EVIDENCE_SOURCE_WORDS: Readonly<Record<EvidenceSource, string>> = {
  'daily-docs': "Daily's docs say",
  'daily-openapi': "Daily's OpenAPI says",
  'daily-sdk': "Daily's SDK (daily-js) says",
  observed: 'Daily was observed to',
  'third-party': 'Third-party clients show',
  inferred: 'We infer, without word from Daily, that',
};

/**
 * One fact's provenance as a sentence.
 *
 * @example
 * ```ts
 * describeEvidence(EFFECT_EVIDENCE['permissions-array'])
 * // "Daily's SDK (daily-js) says its Permissions.js decoder reads canAdmin and canSend only as a boolean or a comma string …"
 * ```
 */
export function describeEvidence(e: Evidence): string {
  return `${EVIDENCE_SOURCE_WORDS[e.source]} ${e.says}.`;
}

/** Where each token property, its claim and its values come from. */
export const CLAIM_EVIDENCE: { readonly [K in PropertyName]: Evidence } = {
  room_name: docs('a token without room_name (claim r) is valid for every room of the domain'),
  domain_id: docs(
    'a self-signed token must carry d, the domain_id from GET /v1/, and tokens of other domains are refused',
  ),
  iat: docs(
    'self-signed tokens must include iat (issued at); the dailyco Rust client omits it and its tokens validate',
  ),
  nbf: docs('nbf is unix seconds; a token cannot be used to join before it'),
  exp: docs('exp is unix seconds; a token without it is valid forever'),
  eject_at_token_exp: docs('eject_at_token_exp (ejt) ejects the participant at exp'),
  eject_after_elapsed: docs('eject_after_elapsed (eje) ejects the participant that many seconds after joining'),
  is_owner: docs('is_owner (o) gives meeting-owner privileges'),
  user_name: docs('user_name (u) is the display name, also saved in the meeting events log'),
  user_id: docs('user_id (ud) is at most 36 characters, and on HIPAA domains is shown only when it is a UUID'),
  enable_screenshare: docs('enable_screenshare (ss) defaults to true'),
  start_video_off: docs('start_video_off (vo) starts the camera off on a direct join()'),
  start_audio_off: docs('start_audio_off (ao) starts the microphone off on a direct join()'),
  enable_recording: docs(
    'enable_recording (er) is cloud, cloud-audio-only, local or raw-tracks; rtp-tracks and output-byte-stream appear only in older clients',
  ),
  enable_prejoin_ui: docs(
    'enable_prejoin_ui is a token property with no abbreviation; whether a self-signed JWT is read under the full name is not documented',
  ),
  enable_live_captions_ui: docs('enable_live_captions_ui is a Prebuilt-only token property with no abbreviation'),
  enable_recording_ui: docs('enable_recording_ui (erui) shows or hides the recording button in Prebuilt'),
  enable_terse_logging: docs(
    'enable_terse_logging is a token property with no abbreviation, advised above 200 participants',
  ),
  knocking: docs('knocking (k) makes a token holder knock in a room with knocking enabled'),
  start_cloud_recording: docs('start_cloud_recording (sr) starts a cloud recording when the participant joins'),
  start_cloud_recording_opts: sdk(
    'start_cloud_recording_opts (sro) takes the options of startRecording() (DailyStreamingOptions), an open object Daily adds options to over time',
  ),
  auto_start_transcription: docs('auto_start_transcription (ast) starts transcription when an owner joins'),
  close_tab_on_exit: docs('close_tab_on_exit (ctoe) closes the Prebuilt tab on leave'),
  redirect_on_meeting_exit: docs(
    'redirect_on_meeting_exit (rome) is the URL Prebuilt goes to on leave, and may be a mobile deep link',
  ),
  lang: docs('lang (uil) is one of da, de, en, es, fi, fr, it, jp, ka, nl, no, pt, pt-BR, pl, ru, sv, tr, user'),
  permissions: sdk('permissions (p) are minified by Permissions.js: hp, cs, cr, ca'),
  intercom_join_alert: docs('intercom_join_alert (ij) appears only in the self-signing abbreviation table'),
  meeting_join_hook: docs('meeting_join_hook (mjh) appears only in the self-signing abbreviation table'),
};

/** Where each permission field and its minified form come from. */
export const PERMISSION_EVIDENCE: { readonly [F in PermissionField]: Evidence } = {
  hasPresence: sdk('hasPresence (hp) is a boolean; false hides the participant'),
  canSend: sdk(
    'canSend (cs) is a boolean or a comma string of v, a, sv, sa, cv, ca (the REST docs list the first four)',
  ),
  canReceive: sdk('canReceive (cr) has b (base), u (byUserId) and p (byParticipantId); base lists all six media'),
  canAdmin: sdk('canAdmin (ca) is a boolean or a comma string of p, s, t'),
};

/** Where each effect in the verdict model (`EFFECTS`) comes from. */
export const EFFECT_EVIDENCE: { readonly [C in EffectCode]: Evidence } = {
  malformed: inferred(
    'a token that is not a readable JWT is ignored as invalid-token, as community reports of the join message say',
  ),
  'unsupported-algorithm': docs('meeting tokens are HS256 JWTs signed with the domain API key'),
  'bad-signature': docs('a token must be signed with the domain API key; another key makes it invalid'),
  'inactive-key': docs('a self-signed token is accepted only while its signing API key is still active'),
  expired: docs('a token cannot be used to join after exp'),
  'not-yet-valid': docs('a token cannot be used to join before nbf (validation takes ignoreNbf)'),
  'wrong-domain': docs('tokens of another Daily domain never grant access to your rooms'),
  'wrong-room': docs('a token with room_name is valid for that room only'),
  'missing-claim': docs('a self-signed token must include d, the domain id'),
  'no-domain': docs('a self-signed token must include d, the domain id'),
  'not-before-after-expiry': inferred('with nbf at or after exp there is no second at which both allow a join'),
  'invalid-claim': inferred(
    'Daily leaves out a claim whose value it cannot read and applies the rest of the token; it does not document what it does',
  ),
  'permissions-array': sdk(
    'its Permissions.js decoder reads cs and ca only as a boolean or a comma string and leaves an array out, applying the rest',
  ),
  'user-id-too-long': inferred(
    "Daily's docs limit user_id to 36 characters but do not say what happens to a longer one",
  ),
  'milliseconds-timestamp': inferred(
    'Daily compares times in seconds, so a millisecond value is a date tens of thousands of years away',
  ),
  'legacy-value': docs('the documented values; older clients (dailyco-rs, Bubble) send the legacy ones'),
  'unknown-option': sdk('the recording options are an open object; Daily ignores options it does not know'),
  'full-name-claim': docs('self-signed tokens use the abbreviated claims of the self-signing table'),
  'unknown-claim': inferred('Daily reads only the claims of its self-signing table and ignores others'),
  'no-expiry': docs('a token without exp is valid forever and cannot be revoked short of regenerating the API key'),
  'no-room': docs('a token without room_name is valid for every room of the domain; always set it'),
  'token-too-long': docs('keep the token under 2048 characters (in the start_cloud_recording_opts description)'),
  'long-lifetime': docs('tokens cannot be revoked: only exp, or regenerating the API key, limits a leaked one'),
  'user-id-not-uuid': docs('on HIPAA domains /meetings shows user_id only when it is a UUID'),
  'personal-data': docs('tokens are signed, not encrypted: never put secrets in a token'),
  'weak-key': inferred('HMAC-SHA256 secrets under 32 bytes are below the hash size'),
  'eject-without-expiry': docs('eject_at_token_exp ejects the participant at exp, so without exp it never fires'),
  'recording-not-enabled': docs('start_cloud_recording needs enable_recording "cloud" on the room or the token'),
  'no-issued-at': docs('self-signed tokens must include iat'),
};

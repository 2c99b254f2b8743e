/**
 * The registry's prose: what each property means, for people (CLI help, the inspector, the README, JSON
 * schema descriptions). Kept apart from the facts in registry.ts so that code which only mints, verifies
 * or decodes tokens ships without it; the type makes it cover every property, no more and no less.
 */
import { TOKEN_LENGTH_ADVICE } from '../jwt/parse.js';
import type { PermissionField } from './permissions.js';
import type { PropertyName } from './registry.js';

export interface ClaimMeaning {
  /** One line, for people: what it does. */
  readonly meaning: string;
  /** Anything a user must know that does not fit `meaning`. */
  readonly note?: string;
}

export const CLAIM_MEANINGS: { readonly [K in PropertyName]: ClaimMeaning } = {
  room_name: {
    meaning: 'The room this token is for. Without it the token works in every room of the domain.',
  },
  domain_id: {
    meaning: 'The Daily domain the token belongs to (domain_id from GET /v1/); tokens of other domains are ignored.',
  },
  iat: {
    meaning: 'When the token was issued (unix seconds).',
  },
  nbf: {
    meaning: 'The token cannot be used to join before this time (unix seconds).',
  },
  exp: {
    meaning: 'The token cannot be used to join after this time (unix seconds). Without it the token never expires.',
  },
  eject_at_token_exp: {
    meaning: 'Eject the participant when the token expires.',
    note: "Setting this or eject_after_elapsed makes Daily ignore the room's own ejection settings.",
  },
  eject_after_elapsed: {
    meaning: 'Eject the participant this many seconds after they join.',
  },
  is_owner: {
    meaning: 'Give the participant meeting-owner privileges (all permissions).',
  },
  user_name: {
    meaning: 'Display name of the participant; also kept in the meeting events log.',
  },
  user_id: {
    meaning: 'Your id for the participant, reported by participants() and /meetings (at most 36 characters).',
    note: 'On HIPAA domains /meetings shows it only if it is a UUID.',
  },
  enable_screenshare: {
    meaning: 'Allow screen sharing for the whole meeting (use permissions to change it during the call).',
  },
  start_video_off: {
    meaning: 'Start with the camera off.',
  },
  start_audio_off: {
    meaning: 'Start with the microphone off.',
  },
  enable_recording: {
    meaning: 'The kind of recording this participant may start.',
  },
  enable_prejoin_ui: {
    meaning: 'Show the pre-join screen (camera and mic check); overrides the room and domain setting.',
  },
  enable_live_captions_ui: {
    meaning: 'Show the closed-captions button in the tray.',
  },
  enable_recording_ui: {
    meaning: 'Show or hide the Recording button.',
  },
  enable_terse_logging: {
    meaning: 'Log less; advised for calls of more than 200 participants.',
  },
  knocking: {
    meaning: 'Make the holder knock to enter a room with knocking enabled, instead of skipping the lobby.',
  },
  start_cloud_recording: {
    meaning: 'Start a cloud recording when this participant joins (needs enable_recording "cloud").',
  },
  start_cloud_recording_opts: {
    meaning: 'Options for the recording that start_cloud_recording starts (as for startRecording()).',
    note: `Keep the whole token under ${TOKEN_LENGTH_ADVICE} characters.`,
  },
  auto_start_transcription: {
    meaning: 'Start transcription when an owner joins.',
  },
  close_tab_on_exit: {
    meaning: 'Close the browser tab when the participant leaves.',
  },
  redirect_on_meeting_exit: {
    meaning: 'Send the participant to this URL when they leave (Daily appends ?recent-call=<domain>/<room>).',
  },
  lang: {
    meaning: 'Language of the Prebuilt UI; "user" follows the browser.',
    note: '"no" and "ru" exist only in the new Prebuilt.',
  },
  permissions: {
    meaning: 'Initial permissions: presence, what the participant may send, receive and administer.',
    note: "Owners get every permission; a token can only add to an owner's admin rights.",
  },
  intercom_join_alert: {
    meaning: 'Alert (intercom) when this participant joins. Documented only in the self-signing table.',
  },
  meeting_join_hook: {
    meaning: 'Webhook URL called when this participant joins. Documented only in the self-signing table.',
  },
};

/** What each permission field means, for people (CLI help, the inspector's form). */
export const PERMISSION_MEANINGS: { readonly [F in PermissionField]: string } = {
  hasPresence: 'Whether other participants see this participant at all (false needs SFU mode).',
  canSend: 'Which media the participant may send: true (all), false (none) or a list.',
  canReceive: 'Which media the participant may receive, by default and per user or participant.',
  canAdmin: 'Which admin rights the participant has: participants, streaming, transcription.',
};

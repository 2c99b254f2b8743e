// The token shapes the benchmark measures: what real apps send, each reported on its own, never averaged.
// Full-name properties, as createMeetingToken takes them; the peers sign the claims we make of them.

/** @param {number} now unix seconds */
export function tokenShapes(now) {
  return {
    minimal: { room_name: 'standup', exp: now + 3600 },
    // The common guide's "full-featured token".
    'guide full-featured': {
      room_name: 'standup',
      nbf: now,
      exp: now + 3600,
      is_owner: false,
      user_name: 'Ada Lovelace',
      user_id: 'user-1234',
      enable_screenshare: true,
      enable_recording: 'cloud',
      start_audio_off: true,
      start_video_off: false,
      eject_at_token_exp: true,
      permissions: {
        hasPresence: true,
        canSend: ['video', 'audio'],
        canReceive: { base: true },
        canAdmin: ['participants'],
      },
    },
    'owner + recording options': {
      room_name: 'all-hands',
      exp: now + 1800,
      is_owner: true,
      user_name: 'Host',
      enable_recording: 'cloud',
      start_cloud_recording: true,
      start_cloud_recording_opts: {
        maxDuration: 3600,
        layout: { preset: 'default', max_cam_streams: 4 },
      },
    },
    'per-media canReceive': {
      room_name: 'webinar',
      exp: now + 3600,
      user_id: 'viewer-42',
      permissions: {
        canSend: false,
        canReceive: {
          base: {
            video: true,
            audio: true,
            screenVideo: true,
            screenAudio: true,
            customVideo: { '*': false },
            customAudio: { '*': false },
          },
          byUserId: { 'host-1': true, 'guest-7': { audio: true, video: false } },
          byParticipantId: { '9b1c7e1e-5a4e-4d2e-9d35-7a3c1e2f4b5a': { screenVideo: false } },
        },
      },
    },
    'unicode name + redirect URL': {
      room_name: 'café-équipe',
      exp: now + 3600,
      user_name: 'Zoë Åkesson-Ngüyễn 山田太郎 — équipe produit 🎉',
      redirect_on_meeting_exit: 'https://example.com/after-call?team=produit&ref=daily',
    },
    'full-name-only properties': {
      room_name: 'standup',
      exp: now + 3600,
      enable_prejoin_ui: true,
      enable_live_captions_ui: false,
      enable_terse_logging: true,
    },
    // The "ordinary but richer token".
    'nbf + lang + redirect + prejoin + receive rules': {
      room_name: 'class-7b',
      nbf: now,
      exp: now + 3600,
      lang: 'pt-BR',
      redirect_on_meeting_exit: 'https://school.example/after',
      enable_prejoin_ui: true,
      permissions: {
        canReceive: {
          base: {
            video: true,
            audio: true,
            screenVideo: false,
            screenAudio: false,
            customVideo: { '*': true },
            customAudio: { '*': true },
          },
          byUserId: { teacher: true },
        },
      },
    },
  };
}

// The app under test in every runner's example: its Daily calls, written as an app writes them. It talks to
// Daily's REST API through ky (an HTTP client from npm, not written here) with the retries an app sets up for
// a rate-limited API: 429, 502-504 and dropped connections are tried again, after the Retry-After Daily
// sends, else with backoff.
// It reads DAILY_API_URL and DAILY_API_KEY, so a test points it at the emulator and production at Daily.
import ky, { HTTPError } from 'ky';

const seconds = () => Math.floor(Date.now() / 1000);

/** The app's Daily client, from DAILY_API_URL / DAILY_API_KEY unless given. */
export function dailyClient(options = {}) {
  const baseUrl = options.baseUrl ?? process.env.DAILY_API_URL ?? 'https://api.daily.co/v1';
  const apiKey = options.apiKey ?? process.env.DAILY_API_KEY;
  if (!apiKey) throw new Error('DAILY_API_KEY is not set: give the app its Daily API key');
  const api = ky.create({
    prefixUrl: baseUrl,
    headers: { authorization: `Bearer ${apiKey}` },
    timeout: 10_000,
    retry: {
      limit: 3,
      // POST too: the app names its rooms, so a repeat cannot make a second one (Daily answers 400 for a
      // name in use), and a meeting token is stored nowhere, so a second one is harmless.
      methods: ['get', 'post', 'delete'],
      statusCodes: [429, 502, 503, 504],
      afterStatusCodes: [429, 503],
      maxRetryAfter: 30_000,
      backoffLimit: 5_000,
    },
    // the app's logging and metrics hook in here; its tests time the retries through it
    hooks: options.hooks ?? {},
  });
  /** `fn()`, or `fallback` when Daily answers `status`. */
  const unless = async (status, fallback, fn) => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof HTTPError && e.response.status === status) return fallback;
      throw e;
    }
  };

  return {
    /** A room that closes after `expiresIn` seconds. */
    createRoom: (name, { expiresIn = 3600 } = {}) =>
      api.post('rooms', { json: { name, properties: { exp: seconds() + expiresIn } } }).json(),
    /** The room, or null once it is gone (deleted, or its exp has passed). */
    getRoom: (name) => unless(404, null, () => api.get(`rooms/${encodeURIComponent(name)}`).json()),
    /** A meeting token for one user in one room, valid for `expiresIn` seconds. */
    createJoinToken: async (room, userName, { expiresIn = 600 } = {}) => {
      const properties = { room_name: room, user_name: userName, exp: seconds() + expiresIn };
      const { token } = await api.post('meeting-tokens', { json: { properties } }).json();
      return token;
    },
    /** Whether Daily still accepts the token (Daily answers 400 for an expired or forged one). */
    tokenIsValid: (token) =>
      unless(400, false, async () => {
        await api.get(`meeting-tokens/${encodeURIComponent(token)}`);
        return true;
      }),
  };
}

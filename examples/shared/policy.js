// A stand-in for your app's own sessions and rules, shared by the examples so each shows only its
// server's wiring. In your app: look the session up in your store, and decide from your data.

/** Session cookie value → user. */
const SESSIONS = new Map([
  ['session-ada', { id: 'user-ada', name: 'Ada', rooms: ['standup', 'design-review'], owns: ['standup'] }],
  ['session-bob', { id: 'user-bob', name: 'Bob', rooms: ['standup'], owns: [] }],
  // A user record a bug left with a 40-character id, over Daily's 36: the endpoint refuses to mint for it.
  ['session-broken', { id: 'x'.repeat(40), name: 'Broken', rooms: ['standup'], owns: [] }],
]);

/** The signed-in user from a `Cookie` header (`session=…`), or null. */
export function userFromCookie(cookieHeader) {
  const match = /(?:^|;\s*)session=([^;]+)/.exec(String(cookieHeader ?? ''));
  return (match && SESSIONS.get(match[1])) ?? null;
}

/** The token properties this user gets in this room, or null when they may not join it. */
export function grantFor(user, room) {
  if (!user.rooms.includes(room)) return null;
  return { user_name: user.name, user_id: user.id, is_owner: user.owns.includes(room) };
}

/** A front end on another origin (a Vite dev server, say) that may call the endpoint. */
export const ALLOWED_ORIGINS = ['http://localhost:5173'];

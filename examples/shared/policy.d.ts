export interface ExampleUser {
  id: string;
  name: string;
  rooms: string[];
  owns: string[];
}
export function userFromCookie(cookieHeader: string | string[] | null | undefined): ExampleUser | null;
export function grantFor(
  user: ExampleUser,
  room: string,
): { user_name: string; user_id: string; is_owner: boolean } | null;
export const ALLOWED_ORIGINS: string[];

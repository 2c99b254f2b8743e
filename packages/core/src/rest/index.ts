/**
 * `daily-tokens/rest`: a small client for Daily's REST API (`https://api.daily.co/v1/`) and for this
 * project's token service, which speaks the same endpoints. A separate entry, so token code does not
 * ship it.
 *
 * @example
 * ```ts
 * import { DailyRestClient } from 'daily-tokens/rest';
 * const daily = new DailyRestClient({ apiKey: process.env.DAILY_API_KEY });
 * const token = await daily.createMeetingToken({ room_name: 'standup' });
 * ```
 * @packageDocumentation
 */
export { DailyRestClient } from './client.js';
export type {
  CreateRoomRequest,
  DailyDomain,
  DailyRestClientOptions,
  DailyRoom,
  FetchLike,
  FetchLikeResponse,
  ListRoomsOptions,
  ValidateMeetingTokenOptions,
} from './client.js';
export { DailyApiError } from './errors.js';
export { DAILY_ERROR_TYPES } from './error-types.js';
export type { DailyErrorType } from './error-types.js';

import type { Hooks } from 'ky';

export interface DailyRoom {
  id: string;
  name: string;
  url: string;
  privacy: string;
  config: { exp?: number } & Record<string, unknown>;
}
export interface DailyClientOptions {
  /** Default: DAILY_API_URL, else https://api.daily.co/v1. */
  baseUrl?: string;
  /** Default: DAILY_API_KEY. */
  apiKey?: string;
  /** ky's hooks (beforeRequest, beforeRetry …), for logging and metrics. */
  hooks?: Hooks;
}
export interface DailyClient {
  createRoom(name: string, options?: { expiresIn?: number }): Promise<DailyRoom>;
  getRoom(name: string): Promise<DailyRoom | null>;
  createJoinToken(room: string, userName: string, options?: { expiresIn?: number }): Promise<string>;
  tokenIsValid(token: string): Promise<boolean>;
}
export function dailyClient(options?: DailyClientOptions): DailyClient;

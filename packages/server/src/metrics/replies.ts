/** The reply counter: each reply counted by method, route pattern and status, and timed by route. */
import type { Metrics } from './registry.js';

/** Distinct (method, route, status) series kept prepared; routes are patterns, so real traffic stays far below. */
const MAX_PREPARED = 1000;

/** One (method, route, status) series of the replies: its count and the route's duration histogram. */
export interface ReplySeries {
  count(seconds: number): void;
}

/** `replyCounter`'s function, and the series of one label set, for a caller that keeps it. */
export interface ReplyCounter {
  (method: string, route: string, status: number, seconds: number): void;
  series(method: string, route: string, status: number): ReplySeries;
}

/**
 * Counts a reply by method, route pattern (never the raw URL, which may hold a token) and status, and its
 * duration by route. Fastify's reply hook and the hot routes both count with this (the hot routes keep the
 * series of their 200s, found once).
 */
export function replyCounter(metrics: Metrics): ReplyCounter {
  // label sets are few (routes × methods × statuses): each one's series is looked up once, not per request
  const replies = new Map<string, ReplySeries>();
  const durations = new Map<string, { observe(seconds: number): void }>();
  const series = (method: string, route: string, status: number): ReplySeries => {
    const id = `${method} ${status} ${route}`;
    let s = replies.get(id);
    if (!s) {
      if (replies.size >= MAX_PREPARED) replies.clear();
      const counter = metrics.counterFor('daily_tokens_http_requests_total', { method, route, status: String(status) });
      let histogram = durations.get(route);
      if (!histogram) {
        if (durations.size >= MAX_PREPARED) durations.clear();
        histogram = metrics.histogramFor('daily_tokens_http_request_duration_seconds', { route });
        durations.set(route, histogram);
      }
      const h = histogram;
      s = {
        count(seconds) {
          counter.inc();
          h.observe(seconds);
        },
      };
      replies.set(id, s);
    }
    return s;
  };
  const count = (method: string, route: string, status: number, seconds: number) =>
    series(method, route, status).count(seconds);
  return Object.assign(count, { series });
}

/**
 * The service's Prometheus metrics, through prom-client: every family declared once here with its HELP text
 * and type, plus prom-client's default process and Node.js runtime metrics (CPU, memory, event loop lag, GC,
 * handles). One registry per app, so several apps in one process (tests) never share counts.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Counter families: name → help text and label names. */
const COUNTERS = {
  daily_tokens_http_requests_total: {
    help: 'HTTP replies, by method, route pattern (never the raw URL) and status code.',
    labels: ['method', 'route', 'status'],
  },
  daily_tokens_tokens_minted_total: { help: 'Meeting tokens minted by POST /v1/meeting-tokens.', labels: [] },
  daily_tokens_tokens_validated_total: {
    help: 'Meeting tokens checked by GET /v1/meeting-tokens/:token, by outcome (valid true or false).',
    labels: ['valid'],
  },
  daily_tokens_rate_limited_total: { help: 'Requests refused with 429 by the per-key rate limit.', labels: [] },
  daily_tokens_rate_limit_fallback_total: {
    help: 'Rate-limit decisions taken by the in-process limiter because Redis did not answer.',
    labels: [],
  },
  daily_tokens_connections_dropped_total: {
    help: 'Connections closed at once because the connection cap (of the server, or of one client address) was reached.',
    labels: [],
  },
  daily_tokens_log_lines_dropped_total: {
    help: 'Log lines dropped because stderr was slower than the service and the log queue was full.',
    labels: [],
  },
  daily_tokens_fast_path_requests_total: {
    help: 'Requests to the token routes answered without the framework (cached key, plain URL), by route pattern; the rest of http_requests_total went through Fastify.',
    labels: ['route'],
  },
  daily_tokens_client_errors_total: {
    help: 'Requests Node could not parse or that timed out before routing, by reason.',
    labels: ['reason'],
  },
} as const satisfies Record<string, { help: string; labels: readonly string[] }>;

const HISTOGRAMS = {
  daily_tokens_http_request_duration_seconds: {
    help: 'Time to answer an HTTP request, in seconds, by route pattern.',
    labels: ['route'],
  },
} as const satisfies Record<string, { help: string; labels: readonly string[] }>;

/** Gauges, read when /metrics is scraped. */
const GAUGES = {
  daily_tokens_store_up: { help: '1 when the store (SQLite or Postgres) answered its last check, else 0.' },
  daily_tokens_redis_up: { help: '1 while Redis answers, 0 while the service works without it.' },
} as const satisfies Record<string, { help: string }>;

export type CounterName = keyof typeof COUNTERS;
export type HistogramName = keyof typeof HISTOGRAMS;
export type GaugeName = keyof typeof GAUGES;

/** A series of a counter counted in a plain number, handed to prom-client when /metrics is scraped. */
class PendingCount {
  pending = 0;
  constructor(readonly labels: Record<string, string>) {}
  inc(by = 1): void {
    this.pending += by;
  }
}

/** prom-client's record of one histogram series (an internal of prom-client 15, checked before use). */
interface HistogramSeries {
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

/**
 * A histogram series observed without prom-client's per-call label hashing: the bucket bounds are found once,
 * and each observation adds to prom-client's own record of the series, so /metrics prints it as before.
 */
function fastObserver(histogram: Histogram, labels: Record<string, string>, bounds: readonly number[]) {
  const find = () => {
    const map = (histogram as unknown as { hashMap?: Record<string, HistogramSeries> }).hashMap;
    return map && Object.values(map).find((v) => sameLabels((v as { labels?: object }).labels, labels));
  };
  // zero() would also empty a series that already has observations
  if (!find()) histogram.zero(labels);
  const series = find();
  if (!series || typeof series.sum !== 'number' || typeof series.bucketValues !== 'object')
    return histogram.labels(labels); // another prom-client: its own (slower) path
  return {
    observe(seconds: number) {
      for (const b of bounds) {
        if (seconds <= b) {
          series.bucketValues[b] = (series.bucketValues[b] ?? 0) + 1;
          break;
        }
      }
      series.sum += seconds;
      series.count += 1;
    },
  };
}

function sameLabels(a: object | undefined, b: Record<string, string>): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => (a as Record<string, unknown>)[k] === b[k]);
}

export class Metrics {
  /** prom-client's registry, for adding families of one's own. */
  readonly registry = new Registry();
  private readonly counters = new Map<CounterName, Counter>();
  /** Hot series per counter, added to prom-client's counts on every scrape. */
  private readonly pending = new Map<CounterName, Map<string, PendingCount>>();
  private readonly histograms = new Map<HistogramName, Histogram>();
  private readonly gauges = new Map<GaugeName, Gauge>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Gauges named *_total, which promtool rejects; the same counts are in nodejs_active_{handles,requests,
    // resources} by type.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
      this.registry.removeSingleMetric(name);
    for (const [name, { help, labels }] of Object.entries(COUNTERS)) {
      const labelNames = [...labels];
      const series = new Map<string, PendingCount>();
      this.pending.set(name as CounterName, series);
      const counter = new Counter({
        name,
        help,
        labelNames,
        registers: [this.registry],
        collect() {
          for (const s of series.values()) {
            if (s.pending === 0) continue;
            this.inc(s.labels, s.pending);
            s.pending = 0;
          }
        },
      });
      this.counters.set(name as CounterName, counter);
    }
    for (const [name, { help, labels }] of Object.entries(HISTOGRAMS)) {
      const labelNames = [...labels];
      const h = new Histogram({ name, help, labelNames, buckets: BUCKETS, registers: [this.registry] });
      this.histograms.set(name as HistogramName, h);
    }
  }

  /** The Content-Type of `render()`'s text (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  inc(name: CounterName, labels: Record<string, string> = {}, by = 1): void {
    (this.counters.get(name) as Counter).inc(labels, by);
  }

  observe(name: HistogramName, labels: Record<string, string>, seconds: number): void {
    (this.histograms.get(name) as Histogram).observe(labels, seconds);
  }

  /**
   * The counter for fixed label values, for a hot path to keep: a plain number per count (no label hashing),
   * added to the family when /metrics is scraped. The same label values give the same series.
   */
  counterFor(name: CounterName, labels: Record<string, string>): { inc(by?: number): void } {
    const series = this.pending.get(name) as Map<string, PendingCount>;
    const id = JSON.stringify(labels);
    let s = series.get(id);
    if (!s) {
      s = new PendingCount({ ...labels });
      series.set(id, s);
    }
    return s;
  }

  /** The histogram for fixed label values, for a hot path to keep: no label hashing per observation. */
  histogramFor(name: HistogramName, labels: Record<string, string>): { observe(seconds: number): void } {
    return fastObserver(this.histograms.get(name) as Histogram, labels, BUCKETS);
  }

  /**
   * The exposition text, with the gauges set to these values first. A gauge appears from its first value on
   * (so `daily_tokens_redis_up` only where Redis is configured).
   */
  async render(gauges: Partial<Record<GaugeName, number>>): Promise<string> {
    for (const [name, value] of Object.entries(gauges) as [GaugeName, number][]) {
      let gauge = this.gauges.get(name);
      if (!gauge) {
        gauge = new Gauge({ name, help: GAUGES[name].help, registers: [this.registry] });
        this.gauges.set(name, gauge);
      }
      gauge.set(value);
    }
    return this.registry.metrics();
  }
}

/** A few Prometheus metrics, kept by hand (no dependency): requests, latency, tokens, limits. */
import type { FastifyInstance } from 'fastify';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly hist = new Map<string, { buckets: number[]; sum: number; count: number }>();

  inc(name: string, labels: Record<string, string> = {}, by = 1): void {
    const key = `${name}${fmt(labels)}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  observe(name: string, labels: Record<string, string>, seconds: number): void {
    const key = `${name}${fmt(labels)}`;
    let h = this.hist.get(key);
    if (!h) {
      h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.hist.set(key, h);
    }
    BUCKETS.forEach((b, i) => {
      if (seconds <= b && h) h.buckets[i] = (h.buckets[i] ?? 0) + 1;
    });
    h.sum += seconds;
    h.count += 1;
  }

  render(gauges: Record<string, number>): string {
    const lines: string[] = [];
    const seen = new Set<string>();
    const type = (name: string, t: string) => {
      if (!seen.has(name)) lines.push(`# TYPE ${name} ${t}`);
      seen.add(name);
    };
    for (const [key, v] of [...this.counters].sort()) {
      type(key.split('{')[0] ?? key, 'counter');
      lines.push(`${key} ${v}`);
    }
    for (const [key, h] of [...this.hist].sort()) {
      const name = key.split('{')[0] ?? key;
      const labels = key.slice(name.length);
      const inner = labels ? `${labels.slice(1, -1)},` : '';
      type(name, 'histogram');
      BUCKETS.forEach((b, i) => {
        lines.push(`${name}_bucket{${inner}le="${b}"} ${h.buckets[i]}`);
      });
      lines.push(
        `${name}_bucket{${inner}le="+Inf"} ${h.count}`,
        `${name}_sum${labels} ${h.sum}`,
        `${name}_count${labels} ${h.count}`,
      );
    }
    for (const [name, v] of Object.entries(gauges)) {
      type(name, 'gauge');
      lines.push(`${name} ${v}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function fmt(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** Counts every reply by method, route pattern (never the raw URL, which may hold a token) and status. */
export function metricsPlugin(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    metrics.inc('daily_tokens_http_requests_total', labels);
    metrics.observe('daily_tokens_http_request_duration_seconds', { route }, reply.elapsedTime / 1000);
  });
}

/** Log lines as a person reads them on a terminal. */

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Keys the terminal line shows in its own place, not as `key=value`. */
const PLACED = new Set(['level', 'time', 'msg', 'reqId', 'method', 'route', 'url', 'status', 'ms', 'domain', 'keyId']);

/**
 * One JSON log line as a person reads it on a terminal: time, level, and for a request line
 * `POST /v1/meeting-tokens/ 200 1.2ms req-7 dev/key_…`; other fields follow as `key=value`.
 *
 * @example
 * ```ts
 * prettyLine('{"level":30,"time":0,"reqId":"req-1","method":"GET","route":"/healthz","status":200,"ms":0.4,"msg":"request"}');
 * // '00:00:00.000 INFO  GET /healthz 200 0.4ms req-1\n'
 * ```
 */
export function prettyLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 23) : '';
  const level = (LEVEL_NAMES[o.level as number] ?? String(o.level)).padEnd(5);
  const parts: string[] = [time, level];
  if (o.method !== undefined && o.status !== undefined) {
    parts.push(String(o.method), String(o.route ?? o.url), String(o.status), `${o.ms}ms`);
    if (o.reqId !== undefined) parts.push(String(o.reqId));
    if (o.domain !== undefined) parts.push(`${o.domain}/${o.keyId}`);
  } else {
    parts.push(String(o.msg ?? ''));
    if (o.reqId !== undefined) parts.push(String(o.reqId));
  }
  for (const [k, v] of Object.entries(o)) {
    if (PLACED.has(k) || (k === 'msg' && o.method !== undefined)) continue;
    parts.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return `${parts.join(' ')}\n`;
}

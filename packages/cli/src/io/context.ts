/**
 * Everything a command touches in the outside world, in one object: streams, environment and colours.
 * Commands take it as an argument so they never reach for globals.
 */
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export interface Context {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Colours for stdout and stderr, each on only when that stream is a terminal and NO_COLOR is unset. */
  out: Colors;
  err: Colors;
  /** Secrets seen in this run, scrubbed from every error message as a last line of defence. */
  secrets: Set<string>;
}

/**
 * Colours only on a terminal, never with NO_COLOR (https://no-color.org: any non-empty value);
 * FORCE_COLOR (non-empty, not "0") turns them on for pipes, NO_COLOR still wins.
 */
export function colorsEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function processContext(): Context {
  const { stdin, stdout, stderr, env } = process;
  return {
    stdin,
    stdout,
    stderr,
    env,
    out: pc.createColors(colorsEnabled(stdout, env)),
    err: pc.createColors(colorsEnabled(stderr, env)),
    secrets: new Set(),
  };
}

/** Replaces every known secret in `text`; used on all error output. */
export function scrub(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

/**
 * `create --batch`: one token per input row, written as NDJSON in input order. Streams end to end
 * (one row in flight, output written with backpressure), so memory stays flat for any input size.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import cliProgress from 'cli-progress';
import {
  type CreateMeetingTokenOptions,
  createMeetingToken,
  createMeetingTokenSigner,
  MeetingTokenError,
} from 'daily-tokens';
import { usage } from '../errors.js';
import type { Context } from '../io/context.js';
import { describeFsError } from '../io/read.js';
import { cliWords } from '../commands/shared.js';
import { csvRows, ndjsonRows, type Row } from './rows.js';

export interface BatchOptions {
  input: string;
  format: 'ndjson' | 'csv' | undefined;
  /** Properties from flags, the defaults for every row (a row's own values win). */
  defaults: Record<string, unknown>;
  options: CreateMeetingTokenOptions;
  now: number;
  quiet: boolean;
}

const FLUSH_BYTES = 64 * 1024;
const MAX_ERROR_LINES_SHOWN = 10;

function formatOf(input: string, format: BatchOptions['format']): 'ndjson' | 'csv' {
  if (format) return format;
  const ext = extname(input).toLowerCase();
  if (ext === '.csv') return 'csv';
  return 'ndjson';
}

/** A row's error in one line, naming every bad property. */
function rowError(e: unknown): string {
  if (e instanceof MeetingTokenError && e.issues.length) {
    return e.issues
      .filter((i) => i.severity === 'error')
      .map((i) => `${i.path} ${cliWords(i.message)}`)
      .join('; ');
  }
  return cliWords(e instanceof Error ? e.message : String(e));
}

/** The input's size (undefined for stdin), after checking that it is a regular file. */
async function checkInput(input: string): Promise<number | undefined> {
  if (input === '-') return undefined;
  let size: number;
  try {
    const info = await stat(input);
    if (!info.isFile()) throw usage(`--batch ${JSON.stringify(input)} is not a regular file`);
    size = info.size;
  } catch (e) {
    if (e instanceof Error && 'exitCode' in e) throw e;
    throw usage(`cannot read --batch ${JSON.stringify(input)}: ${describeFsError(e)}`);
  }
  return size;
}

/**
 * A file's bytes in chunks read into one buffer, reused for every chunk. A read stream allocates a new 64 KiB
 * buffer per chunk; those outlive a few scavenges while their lines are minted, reach the old generation and are
 * freed only by a full collection, which a short run never needs: 100,000 rows (16 MB) grew the peak RSS by
 * about as much. readLines copies what it keeps of a chunk, so the buffer can be reused.
 */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'r');
  } catch (e) {
    throw usage(`cannot read --batch ${JSON.stringify(path)}: ${describeFsError(e)}`);
  }
  try {
    const buffer = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

/**
 * Writes to stdout in 64 KiB chunks, waiting for 'drain' when the consumer is slower than we are. Lines are
 * encoded into one reused buffer rather than joined into a string: a string that grows over some hundred rows
 * outlives young-generation collections, and 100,000 rows of such garbage in the old generation grew the peak
 * RSS with the row count until a full collection. Each chunk handed to the stream is a copy, so a stream that
 * holds it (a pipe) never sees the buffer change.
 */
function writer(out: NodeJS.WritableStream) {
  const buffer = Buffer.allocUnsafe(FLUSH_BYTES);
  let used = 0;
  const send = async (chunk: Buffer) => {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  const flush = async () => {
    if (used === 0) return;
    const chunk = Buffer.from(buffer.subarray(0, used));
    used = 0;
    await send(chunk);
  };
  return {
    async write(line: string) {
      const bytes = Buffer.byteLength(line);
      if (used + bytes > FLUSH_BYTES) await flush();
      if (bytes > FLUSH_BYTES) await send(Buffer.from(line));
      else used += buffer.write(line, used);
    },
    flush,
  };
}

export async function runBatch(b: BatchOptions, ctx: Context): Promise<number> {
  // Options that contradict each other would fail every row: say so once, before reading any.
  try {
    const { now, ...signing } = b.options;
    createMeetingTokenSigner(signing).claims({ room_name: 'options-check' }, { now });
  } catch (e) {
    if (e instanceof TypeError) throw usage(cliWords(e.message));
  }
  const format = formatOf(b.input, b.format);
  const size = await checkInput(b.input);
  const stdin = b.input === '-';
  let rows: AsyncIterable<Row>;
  if (format === 'csv') {
    rows = csvRows(stdin ? ctx.stdin : createReadStream(b.input, { highWaterMark: 64 * 1024 }), b.now);
  } else rows = ndjsonRows(stdin ? (ctx.stdin as AsyncIterable<Buffer>) : fileChunks(b.input));
  const out = writer(ctx.stdout);
  const showProgress = !b.quiet && ctx.stderr.isTTY === true;
  const bar = showProgress ? progressBar(ctx, size) : undefined;
  const started = Date.now();
  let ok = 0;
  let failed = 0;
  const failedLines: number[] = [];
  let lastTick = 0;
  const hasDefaults = Object.keys(b.defaults).length > 0;

  for await (const row of rows) {
    let line: string;
    if (row.properties) {
      try {
        const props = hasDefaults ? { ...b.defaults, ...row.properties } : row.properties;
        const token = await createMeetingToken(props, b.options);
        line = `{"token":"${token}"}\n`;
        ok++;
      } catch (e) {
        row.error = rowError(e);
      }
    }
    if (row.error !== undefined) {
      failed++;
      if (failedLines.length < MAX_ERROR_LINES_SHOWN) failedLines.push(row.line);
      line = `${JSON.stringify({ line: row.line, error: row.error })}\n`;
      ctx.stderr.write(`${ctx.err.red(`line ${row.line}:`)} ${row.error}\n`);
    }
    await out.write(line!);
    if (bar && Date.now() - lastTick > 100) {
      lastTick = Date.now();
      bar.update(size ? row.bytes : ok + failed, { rows: ok + failed, failed });
    }
  }
  await out.flush();
  if (bar) {
    bar.update(size ?? ok + failed, { rows: ok + failed, failed });
    bar.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  if (!b.quiet) {
    const rate = seconds > 0 ? Math.round((ok + failed) / seconds) : ok + failed;
    const c = ctx.err;
    const summary = failed
      ? `${c.red('✗')} minted ${ok} token${ok === 1 ? '' : 's'}; ${failed} row${failed === 1 ? '' : 's'} failed (line${failed === 1 ? '' : 's'} ${failedLines.join(', ')}${failed > failedLines.length ? ', …' : ''})`
      : `${c.green('✓')} minted ${ok} token${ok === 1 ? '' : 's'}`;
    ctx.stderr.write(`${summary} in ${seconds.toFixed(1)} s (${rate} rows/s)\n`);
  }
  if (ctx.env.DAILY_TOKENS_REPORT_MAXRSS === '1') {
    // Hidden, for the constant-memory test: peak resident set size of this process, in KiB.
    ctx.stderr.write(`max-rss-kib: ${process.resourceUsage().maxRSS}\n`);
  }
  return failed ? 1 : 0;
}

function progressBar(ctx: Context, size: number | undefined) {
  const format = size
    ? ' {bar} {percentage}% | {rows} rows, {failed} failed | {rate} rows/s | ETA {eta_formatted}'
    : ' {rows} rows, {failed} failed | {rate} rows/s';
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      format: (options, params, payload: { rows: number; failed: number }) => {
        const secs = Math.max((Date.now() - started) / 1000, 0.001);
        const values: Record<string, string | number> = {
          ...payload,
          rate: Math.round(payload.rows / secs),
          percentage: Math.floor(params.progress * 100),
          eta_formatted: cliProgress.Format.TimeFormat(params.eta, options, 1),
          bar: cliProgress.Format.BarFormat(params.progress, options),
        };
        return format.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
      },
      stream: ctx.stderr as NodeJS.WriteStream,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(size ?? 0, 0, { rows: 0, failed: 0 });
  return bar;
}

/** Where the service's log lines go: stderr, batched and written off the request path. */
import pino from 'pino';
import { prettyLine } from './pretty.js';

/** Where log lines go: anything with `write(line)` (pino's own streams, a test's array). */
export interface LogStream {
  write(line: string): void;
  /** Writes what is queued, synchronously (called when the app closes). */
  flush?(): void;
}

/** Log bytes queued at most while stderr is slower than the service; past it lines are dropped, and counted. */
export const LOG_QUEUE_BYTES = 8 * 1024 * 1024;

/** Lines are handed to stderr in batches of about this many bytes, or … */
export const LOG_BATCH_CHARS = 64 * 1024;
/** … after at most this long: a write (and a wake-up of the reader) per batch, not per line. */
export const LOG_BATCH_MS = 50;

/** What the log code uses of sonic-boom (pino's destination) in its buffer mode. */
interface BufferWriter {
  write(chunk: Buffer): boolean;
  flushSync(): void;
  on(event: 'drop', listener: (chunk: Buffer) => void): unknown;
}

/**
 * Room of a batch buffer: a batch is handed once it holds LOG_BATCH_CHARS bytes, so a queued batch keeps
 * little more memory alive than its bytes; a line that does not fit starts the next batch (or, longer than a
 * batch, is a chunk of its own).
 */
const BATCH_ROOM = LOG_BATCH_CHARS + 8 * 1024;

/**
 * The service's log destination: stderr written asynchronously (lines are batched, then written off the
 * request path; `flush()` writes what is queued, on close), as JSON when stderr is piped and as short
 * readable lines on a terminal. A reader slower than the service (a stalled pipe) costs at most
 * `LOG_QUEUE_BYTES` of memory: lines beyond are dropped and `onDrop` told how many. A line waits at most
 * `LOG_BATCH_MS` before it is written.
 *
 * Lines are encoded into a batch buffer as they come, and the buffer is what reaches the writer: a batch of
 * joined strings cost a flatten, a length count, an encode and a copy of the whole batch per write (a tenth of a
 * minted token's time on the bench), the bytes written once cost none of that.
 */
export function stderrLog(tty = process.stderr.isTTY === true, onDrop: (lines: number) => void = () => {}): LogStream {
  // (in buffer mode the writer takes Buffers, which pino's types, written for its string mode, do not say)
  const dest = pino.destination({
    dest: 2,
    sync: false,
    maxLength: LOG_QUEUE_BYTES,
    contentMode: 'buffer',
  }) as unknown as BufferWriter;
  dest.on('drop', (data: Buffer) => {
    let lines = 0;
    for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, i + 1)) lines++;
    onDrop(Math.max(1, lines));
  });
  let batch = Buffer.allocUnsafeSlow(BATCH_ROOM);
  let used = 0;
  const hand = () => {
    if (used === 0) return;
    // the writer keeps the chunk until it is written: the next lines go to a new buffer
    const chunk = batch.subarray(0, used);
    batch = Buffer.allocUnsafeSlow(BATCH_ROOM);
    used = 0;
    dest.write(chunk);
  };
  const timer = setInterval(hand, LOG_BATCH_MS);
  timer.unref();
  const flush = () => {
    hand();
    try {
      dest.flushSync();
    } catch {
      // nothing queued yet (flushSync throws before the first write has opened the stream)
    }
  };
  const add = (text: string) => {
    // a UTF-16 unit is at most 3 bytes of UTF-8; only a line that may not fit has its bytes counted
    if (text.length * 3 > BATCH_ROOM - used && Buffer.byteLength(text) > BATCH_ROOM - used) {
      hand();
      // longer than a whole batch (an unmatched URL of many KB): a chunk of its own
      if (Buffer.byteLength(text) > BATCH_ROOM) {
        dest.write(Buffer.from(text, 'utf8'));
        return;
      }
    }
    used += batch.write(text, used, 'utf8');
    if (used >= LOG_BATCH_CHARS) hand();
  };
  return { write: tty ? (line: string) => add(prettyLine(line)) : add, flush };
}

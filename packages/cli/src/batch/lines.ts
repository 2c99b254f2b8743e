/**
 * Splits a byte stream into lines with a cap on line length, so memory stays bounded whatever the
 * input: an over-long line is reported (and skipped) instead of being buffered.
 */
export interface Line {
  /** 1-based line number in the input. */
  number: number;
  text?: string;
  /** Set instead of `text` when the line was longer than the cap. */
  tooLong?: boolean;
  /** Bytes consumed so far, for progress. */
  bytes: number;
}

export async function* readLines(input: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let partBytes = 0;
  let tooLong = false;
  let number = 0;
  let bytes = 0;
  const finish = (tail: Buffer): Line => {
    number++;
    if (tooLong || partBytes + tail.length > maxLineBytes) {
      parts = [];
      partBytes = 0;
      tooLong = false;
      return { number, tooLong: true, bytes };
    }
    const buf = parts.length ? Buffer.concat([...parts, tail]) : tail;
    parts = [];
    partBytes = 0;
    let text = buf.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return { number, text, bytes };
  };
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      bytes += nl + 1 - start;
      yield finish(buf.subarray(start, nl));
      start = nl + 1;
    }
    if (start < buf.length) {
      const rest = buf.subarray(start);
      bytes += rest.length;
      if (tooLong || partBytes + rest.length > maxLineBytes) {
        tooLong = true;
        parts = [];
        partBytes = 0;
      } else {
        // Copy: the chunk's memory may be reused by the stream.
        parts.push(Buffer.from(rest));
        partBytes += rest.length;
      }
    }
  }
  if (partBytes > 0 || tooLong) yield finish(Buffer.alloc(0));
}

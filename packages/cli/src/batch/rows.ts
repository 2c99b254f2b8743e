/** Rows of properties from NDJSON or CSV, streamed one at a time with their line numbers. */
import { parse } from 'csv-parse';
import { type PropertyName, REST_PROPERTY_NAMES } from 'daily-tokens';
import { usage } from '../errors.js';
import { coerceProperty } from '../properties/coerce.js';
import { readLines } from './lines.js';

/** The longest row accepted; longer rows are reported, not buffered. */
export const MAX_ROW_BYTES = 64 * 1024;

export interface Row {
  line: number;
  properties?: Record<string, unknown>;
  error?: string;
  /** Input bytes consumed so far. */
  bytes: number;
}

const REST_NAMES: ReadonlySet<string> = new Set(REST_PROPERTY_NAMES);

export async function* ndjsonRows(input: AsyncIterable<Buffer | string>): AsyncGenerator<Row> {
  for await (const line of readLines(input, MAX_ROW_BYTES)) {
    if (line.tooLong) {
      yield { line: line.number, bytes: line.bytes, error: `row is longer than ${MAX_ROW_BYTES} bytes` };
      continue;
    }
    const text = (line.text as string).trim();
    if (text === '' || (line.number === 1 && text === '\ufeff')) continue;
    let value: unknown;
    try {
      value = JSON.parse(line.number === 1 ? text.replace(/^\ufeff/, '') : text);
    } catch (e) {
      yield { line: line.number, bytes: line.bytes, error: `not valid JSON (${e instanceof Error ? e.message : e})` };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield {
        line: line.number,
        bytes: line.bytes,
        error: 'must be a JSON object of properties, e.g. {"room_name":"standup"}',
      };
      continue;
    }
    yield { line: line.number, bytes: line.bytes, properties: value as Record<string, unknown> };
  }
}

function checkHeader(header: string[]): string[] {
  const names = header.map((h) => h.trim());
  const unknown = names.filter((n) => !REST_NAMES.has(n));
  if (unknown.length) {
    throw usage(
      `CSV header: ${unknown.map((n) => JSON.stringify(n)).join(', ')} ${unknown.length === 1 ? 'is not a' : 'are not'} token propert${unknown.length === 1 ? 'y' : 'ies'}; columns are named by full property name: ${REST_PROPERTY_NAMES.join(', ')}`,
    );
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw usage(`CSV header names ${dup} twice`);
  return names;
}

/**
 * CSV with a header of property names; cells are read by each property's kind, empty cells are
 * left out. Rows the parser cannot read (wrong column count, bad quoting) are reported by line.
 */
export async function* csvRows(input: NodeJS.ReadableStream, now: number): AsyncGenerator<Row> {
  const skipped: Row[] = [];
  let headerError: unknown;
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      try {
        return checkHeader(header);
      } catch (e) {
        headerError = e;
        throw e;
      }
    },
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_ROW_BYTES,
    on_skip: (err: { message: string; lines?: number } | undefined) => {
      if (err)
        skipped.push({ line: err.lines ?? 0, bytes: 0, error: err.message.replace(/^Invalid Record Length: /, '') });
    },
  });
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  try {
    for await (const rec of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number; bytes: number };
    }>) {
      while (skipped.length) yield skipped.shift() as Row;
      const { record, info } = rec;
      const properties: Record<string, unknown> = {};
      let error: string | undefined;
      for (const [name, cell] of Object.entries(record)) {
        if (cell === '' || cell === undefined) continue;
        try {
          properties[name] = coerceProperty(name as PropertyName, cell, now, name);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
          break;
        }
      }
      yield error
        ? { line: info.lines, bytes: info.bytes, error }
        : { line: info.lines, bytes: info.bytes, properties };
    }
  } catch (e) {
    if (headerError) throw headerError;
    throw usage(`cannot read the CSV: ${e instanceof Error ? e.message : String(e)}`);
  }
  while (skipped.length) yield skipped.shift() as Row;
}

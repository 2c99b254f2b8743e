/** Bounded reads of stdin and files: every input from outside has a size limit. */
import { readFile, stat } from 'node:fs/promises';
import { usage } from '../errors.js';

/** Reads a whole stream as UTF-8, refusing more than `limit` bytes. */
export async function readStreamLimited(stream: NodeJS.ReadableStream, limit: number, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) throw usage(`${what} is larger than ${limit} bytes; refusing to read more`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a whole file as UTF-8 with a size limit and an error that names the file and the cause. */
export async function readFileLimited(path: string, limit: number, what: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw usage(`${what} ${JSON.stringify(path)} is not a regular file`);
    if (info.size > limit) throw usage(`${what} ${JSON.stringify(path)} is larger than ${limit} bytes`);
    return await readFile(path, 'utf8');
  } catch (e) {
    if (e instanceof Error && 'exitCode' in e) throw e;
    throw usage(`cannot read ${what} ${JSON.stringify(path)}: ${describeFsError(e)}`);
  }
}

export function describeFsError(e: unknown): string {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return e instanceof Error ? e.message : String(e);
}

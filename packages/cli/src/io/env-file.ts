/** `--env-file PATH`: the only way a dotenv file is read. Nothing is loaded implicitly. */
import { parseEnv } from 'node:util';
import { usage } from '../errors.js';
import type { Context } from './context.js';
import { readFileLimited } from './read.js';

const ENV_FILE_LIMIT = 256 * 1024;

/** Loads variables from `path` into ctx.env; variables already set in the environment win, as with `node --env-file`. */
export async function loadEnvFile(path: string, ctx: Context): Promise<void> {
  const text = await readFileLimited(path, ENV_FILE_LIMIT, '--env-file');
  let vars: Record<string, string>;
  try {
    vars = parseEnv(text) as Record<string, string>;
  } catch (e) {
    throw usage(
      `--env-file ${JSON.stringify(path)} is not a dotenv file: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  for (const [k, v] of Object.entries(vars)) if (ctx.env[k] === undefined) ctx.env[k] = v;
}

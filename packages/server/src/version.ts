/** The service's name and version, read from its package.json (never hard-coded). */
import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

export const SERVER_NAME = pkg.name;
export const SERVER_VERSION = pkg.version;
/** Sent on every reply, so a test can tell it is talking to the emulator and which version. */
export const EMULATOR_HEADER = 'x-daily-emulator';
export const EMULATOR_HEADER_VALUE = `daily-tokens/${SERVER_VERSION}`;

import { fileURLToPath } from 'node:url';

/** Absolute path of the built inspector (`dist/`), for serving it as static files. */
export const inspectorDir = fileURLToPath(new URL('./dist/', import.meta.url));

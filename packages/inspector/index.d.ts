/**
 * Absolute path of the built inspector page (`dist/`, ending in a path separator): serve this
 * folder as static files, e.g. at `/` of the token service.
 *
 * @example
 * ```ts
 * import { inspectorDir } from '@daily-tokens/inspector';
 * app.register(fastifyStatic, { root: inspectorDir });
 * ```
 */
export declare const inspectorDir: string;

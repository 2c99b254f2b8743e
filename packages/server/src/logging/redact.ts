/**
 * Logging that never leaks: anything token-shaped in a URL is masked, headers (Authorization) are never
 * logged.
 */

/**
 * A run of characters a token (or an API key) can be written with: base64url, dots, standard base64's
 * `+ / =` minus the slash (a path separator), `~`, and percent-escapes (so `%2E` dots or a `%2F` slash before
 * the token do not split it).
 */
const RUN = /(?:[A-Za-z0-9_.+=~-]|%[0-9A-Fa-f]{2})+/g;
/** Runs this long are masked: a JWT header alone is 20+ characters, API keys 64; room names are shorter. */
const MASK_FROM = 32;
/** Ids are not secrets and help when reading logs. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Masks every token-shaped run anywhere in a URL (path of any case, percent-encoded, query), keeping its
 * first six characters and its length.
 *
 * @example
 * ```ts
 * maskUrl('/v1/meeting-tokens/eyJhbGciOi…'); // '/v1/meeting-tokens/eyJhbG…(312 chars)'
 * maskUrl('/join?token=eyJhbGciOi…');        // '/join?token=eyJhbG…(312 chars)'
 * ```
 */
export function maskUrl(url: string): string {
  return url.replace(RUN, (run) => {
    if (run.length < MASK_FROM || UUID.test(run)) return run;
    // `token=eyJ…` keeps its parameter name
    const eq = run.indexOf('=');
    const name = eq >= 0 && eq < 32 && /^[A-Za-z_][\w-]*$/.test(run.slice(0, eq)) ? run.slice(0, eq + 1) : '';
    const secret = run.slice(name.length);
    return secret.length < MASK_FROM ? run : `${name}${secret.slice(0, 6)}…(${secret.length} chars)`;
  });
}

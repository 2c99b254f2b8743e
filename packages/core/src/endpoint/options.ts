/** The endpoint's options, checked once when it is made: every mistake is a TypeError saying what to pass. */
import { createMeetingTokenSigner, type MeetingTokenSigner } from '../jwt/create.js';
import { hmac } from '../jwt/hmac.js';
import { parseDuration } from '../util/duration.js';
import { hasOwn, isPlainObject, show } from '../util/object.js';
import { assertKnownOptions, optionNames } from '../util/options.js';
import type { EndpointStage, TokenEndpointOptions } from './types.js';

export const DEFAULT_EXPIRES_IN = 15 * 60;
export const DEFAULT_MAX_LIFETIME = 3600;
export const DEFAULT_MAX_BODY_BYTES = 1024;
/** Bounds of `maxBodyBytes`: room for `{"room": …}` with a 128-character name, and no more than 1 MiB. */
const MIN_BODY_BYTES = 256;
const MAX_BODY_BYTES = 1 << 20;

/** Options, checked, with the signer made. */
export interface EndpointConfig<Req, Session> {
  readonly signer: MeetingTokenSigner;
  /** The signer's backend (node:crypto) signs synchronously, so `mintSync` saves a promise per call. */
  readonly syncSigner: boolean;
  readonly maxLifetime: number;
  readonly maxBodyBytes: number;
  readonly hipaa: boolean;
  readonly isAllowedOrigin: (origin: string) => boolean;
  readonly authenticate: TokenEndpointOptions<Req, Session>['authenticate'];
  readonly authorize: TokenEndpointOptions<Req, Session>['authorize'];
  readonly rateLimit: TokenEndpointOptions<Req, Session>['rateLimit'];
  readonly onError: (error: unknown, details: { stage: EndpointStage; request: Req }) => void;
}

export const ENDPOINT_KEYS = [
  'apiKey',
  'domainId',
  'expiresIn',
  'maxLifetime',
  'authenticate',
  'authorize',
  'rateLimit',
  'allowedOrigins',
  'maxBodyBytes',
  'hipaa',
  'onError',
] as const;
const ENDPOINT_OPTIONS = optionNames<TokenEndpointOptions<unknown, unknown>>()(ENDPOINT_KEYS);
/** Signer options an endpoint refuses on purpose, with the reason. */
const REFUSED: Record<string, string> = {
  allRooms: 'an endpoint always mints tokens for one room; authorize picks it',
  noExpiry: 'an endpoint always mints expiring tokens; set expiresIn/maxLifetime instead',
  allowExpired: 'an endpoint never mints expired tokens',
};

const defaultOnError = (error: unknown, { stage }: { stage: EndpointStage }) => {
  console.error(`daily-tokens endpoint: ${stage} failed:`, error);
};

/**
 * An allowed origin is written exactly as browsers send it: scheme, host and port if not the default,
 * with no path or trailing slash (`https://app.example.com`, `http://localhost:3000`).
 */
function checkOrigin(origin: unknown, i: number): string {
  let canonical: string | undefined;
  if (typeof origin === 'string') {
    try {
      canonical = new URL(origin).origin;
    } catch {
      canonical = undefined;
    }
  }
  if (typeof origin !== 'string' || canonical === undefined || canonical === 'null' || canonical !== origin) {
    const hint = canonical && canonical !== 'null' ? ` (did you mean ${JSON.stringify(canonical)}?)` : '';
    throw new TypeError(
      `allowedOrigins[${i}] must be an origin such as "https://app.example.com" (scheme, host, port; no path), got ${show(origin)}${hint}`,
    );
  }
  return origin;
}

function originPolicy(allowed: unknown): (origin: string) => boolean {
  if (allowed === undefined) return () => false;
  if (typeof allowed === 'function') return (origin) => (allowed as (o: string) => unknown)(origin) === true;
  if (allowed === '*' || (Array.isArray(allowed) && allowed.includes('*'))) {
    throw new TypeError(
      'allowedOrigins cannot be "*": the endpoint answers with the caller\'s credentials; list the origins, or pass a function',
    );
  }
  if (!Array.isArray(allowed)) throw new TypeError('allowedOrigins must be an array of origins or a function');
  const set = new Set(allowed.map(checkOrigin));
  return (origin) => set.has(origin);
}

function optionalFunction(options: Record<string, unknown>, name: string): void {
  if (options[name] !== undefined && typeof options[name] !== 'function') {
    throw new TypeError(`${name} must be a function`);
  }
}

/** `known`: the options of the caller (the Node endpoint has one more). */
export function prepareEndpoint<Req, Session>(
  options: TokenEndpointOptions<Req, Session>,
  caller: string,
  known: ReadonlySet<string> = ENDPOINT_OPTIONS,
): EndpointConfig<Req, Session> {
  if (!isPlainObject(options)) {
    throw new TypeError(`${caller} needs options { apiKey, domainId, authorize }`);
  }
  for (const name of Object.keys(REFUSED)) {
    if (hasOwn(options, name)) throw new TypeError(`${caller} takes no ${name}: ${REFUSED[name]}`);
  }
  assertKnownOptions(options, known, caller);
  if (typeof options.authorize !== 'function') {
    throw new TypeError(
      `${caller} needs authorize(request, { room, session }): return the token properties for this caller, or null to refuse`,
    );
  }
  for (const name of ['authenticate', 'rateLimit', 'onError']) optionalFunction(options, name);
  if (options.hipaa !== undefined && typeof options.hipaa !== 'boolean') throw new TypeError('hipaa must be a boolean');

  const maxLifetime =
    options.maxLifetime === undefined ? DEFAULT_MAX_LIFETIME : parseDuration(options.maxLifetime, 'maxLifetime');
  const expiresIn =
    options.expiresIn === undefined
      ? Math.min(DEFAULT_EXPIRES_IN, maxLifetime)
      : parseDuration(options.expiresIn, 'expiresIn');
  if (maxLifetime === 0) throw new TypeError('maxLifetime must be more than 0');
  if (expiresIn > maxLifetime) {
    throw new TypeError(`expiresIn (${expiresIn} s) is longer than maxLifetime (${maxLifetime} s); raise maxLifetime`);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < MIN_BODY_BYTES || maxBodyBytes > MAX_BODY_BYTES) {
    throw new TypeError(`maxBodyBytes must be a whole number from ${MIN_BODY_BYTES} to ${MAX_BODY_BYTES}`);
  }
  // The signer checks apiKey and domainId (and says how to fix them).
  const signer = createMeetingTokenSigner({ apiKey: options.apiKey, domainId: options.domainId, expiresIn });
  return {
    signer,
    // The backend the signer was just made with: it keeps it, whatever is chosen later.
    syncSigner: hmac().sync,
    maxLifetime,
    maxBodyBytes,
    hipaa: options.hipaa === true,
    isAllowedOrigin: originPolicy(options.allowedOrigins),
    authenticate: options.authenticate,
    authorize: options.authorize,
    rateLimit: options.rateLimit,
    onError: options.onError ?? defaultOnError,
  };
}

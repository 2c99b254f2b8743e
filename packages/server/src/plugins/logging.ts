/**
 * Logging that never leaks: tokens in URLs are masked, headers (Authorization) are never logged.
 */
const TOKEN_IN_PATH = /(\/meeting-tokens\/)([^/?#]+)/;

/** `/v1/meeting-tokens/eyJhbGciOi…` → `/v1/meeting-tokens/eyJhbG…(312 chars)`. */
export function maskUrl(url: string): string {
  return url.replace(
    TOKEN_IN_PATH,
    (_m, prefix: string, token: string) => `${prefix}${token.slice(0, 6)}…(${token.length} chars)`,
  );
}

export function loggerOptions(level: string) {
  return {
    level,
    serializers: {
      req(req: { method: string; url: string; ip?: string }) {
        return { method: req.method, url: maskUrl(req.url), ip: req.ip };
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode };
      },
    },
  };
}

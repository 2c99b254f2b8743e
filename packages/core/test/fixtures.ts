/** Shared test data: Daily's documented example token, a frozen clock, and a key. */

export const DOCS_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJuYmYiOjE1NDg3MjE1NjksImV4cCI6MTg2NDA4MTUzOCwiciI6ImhlbGxvIiwibyI6dHJ1ZSwic3MiOnRydWUsImVyIjoibG9jYWwiLCJkIjoiMjVkZjUwNTctZWYwZC00ZDk3LWJkZTYtMGNmMjg3Mjc2Y2JiIiwiaWF0IjoxNTQ4NzIxODMxfQ.mvVciAengBR4xCblhFpo4mKYftQv1skYO4Y6IKr9Zgo';

export const DOCS_PAYLOAD = {
  nbf: 1548721569,
  exp: 1864081538,
  r: 'hello',
  o: true,
  ss: true,
  er: 'local',
  d: '25df5057-ef0d-4d97-bde6-0cf287276cbb',
  iat: 1548721831,
};

/** 2024-03-09T15:00:00Z */
export const NOW = new Date('2024-03-09T15:00:00Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);
export const KEY = 'a-domain-api-key-of-more-than-32-bytes-0123456789';
export const OTHER_KEY = 'another-domain-api-key-of-more-than-32-bytes-xyz';
export const DOMAIN = '25df5057-ef0d-4d97-bde6-0cf287276cbb';

const enc = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');

/** Builds a token by hand, for inputs our own signer refuses to make. */
export async function handToken(header: unknown, payload: unknown, secret: string | Uint8Array = KEY): Promise<string> {
  const { createHmac } = await import('node:crypto');
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export const HS256 = { alg: 'HS256', typ: 'JWT' };

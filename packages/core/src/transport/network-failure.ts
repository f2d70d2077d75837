/**
 * Where a thrown transport error happened: `before-send` means the request surely never
 * reached the server (refused, no such host), `after-send` means it may have.
 * `not-network` covers aborts and programming errors, which are never retried.
 */
export type NetworkFailureStage = 'before-send' | 'after-send' | 'not-network';

const BEFORE_SEND_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const AFTER_SEND_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  // Node's fetch wraps the socket's error as `cause`; n8n's helpers wrap once more.
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/**
 * Node's fetch refuses, before connecting, the ports the Fetch standard blocks (6000, 10080,
 * ...): "fetch failed" caused by "bad port". Nothing was sent, and trying again cannot help.
 */
export function isBlockedPort(error: unknown): boolean {
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause;
  return error instanceof TypeError && cause?.message === 'bad port';
}

export function networkFailureStage(error: unknown): NetworkFailureStage {
  if ((error as { name?: unknown } | null)?.name === 'AbortError') return 'not-network';
  if (isBlockedPort(error)) return 'before-send';
  const codes = codesOf(error);
  if (codes.some((code) => BEFORE_SEND_CODES.has(code))) return 'before-send';
  if (codes.some((code) => AFTER_SEND_CODES.has(code))) return 'after-send';
  // "fetch failed" with no known code: we cannot tell, so assume the worst for submits.
  if (error instanceof TypeError && /fetch failed|network/i.test(error.message)) return 'after-send';
  return 'not-network';
}

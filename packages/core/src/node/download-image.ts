import { ApiError } from '../errors/api-error.js';
import { ConnectionError, KontextError } from '../errors/index.js';
import { decodeBase64 } from '../images/base64.js';
import { detectImageType } from '../images/image-type.js';
import { decideRetry } from '../retry/retry-decision.js';
import { resolveRetryPolicy, type RetryPolicy } from '../retry/retry-policy.js';
import type { OutputImage } from '../types.js';
import { nodeSleep } from './sleep.js';

export interface DownloadedImage {
  bytes: Uint8Array;
  contentType: string;
  /** From the bytes when they are a known image type, else from the content type. */
  extension: string;
}

export interface DownloadOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
}

/**
 * Fetches a result image (fal's file host URL, or a data URI from sync_mode) to bytes.
 * Results expire on the server, so save what you need.
 */
export async function downloadImage(image: string | OutputImage, options: DownloadOptions = {}): Promise<DownloadedImage> {
  const url = typeof image === 'string' ? image : image.url;
  if (url.startsWith('data:')) return fromDataUri(url);
  const doFetch = options.fetch ?? fetch;
  const policy = resolveRetryPolicy(options.retry);
  for (let retry = 0; ; retry += 1) {
    let response: Response;
    try {
      response = await doFetch(url, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      const decision = decideRetry({ kind: 'network-error', error }, 'idempotent', retry, policy, Date.now());
      if (options.signal?.aborted || !decision.retry) {
        if (options.signal?.aborted) throw error;
        throw new ConnectionError(`Download of ${url} failed: ${(error as Error).message}`, { cause: error });
      }
      await nodeSleep(decision.delay, options.signal);
      continue;
    }
    const headers = Object.fromEntries([...response.headers].map(([k, v]) => [k.toLowerCase(), v]));
    if (response.ok) return fromBytes(new Uint8Array(await response.arrayBuffer()), headers['content-type']);
    const decision = decideRetry({ kind: 'response', status: response.status, headers }, 'idempotent', retry, policy, Date.now());
    if (!decision.retry) {
      const body = await response.text().catch(() => '');
      throw new ApiError({
        status: response.status,
        body,
        headers,
        message: `Download of ${url} failed with ${response.status}${response.status === 404 ? ' (results expire; save them soon after the job ends)' : ''}`,
      });
    }
    await response.body?.cancel().catch(() => undefined);
    await nodeSleep(decision.delay, options.signal);
  }
}

function fromDataUri(uri: string): DownloadedImage {
  const match = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(uri);
  if (!match?.[2]) throw new KontextError('The result image is a data URI that is not base64');
  return fromBytes(decodeBase64(match[3]!), match[1]);
}

function fromBytes(bytes: Uint8Array, contentType: string | undefined): DownloadedImage {
  const type = detectImageType(bytes);
  const mime = type?.mime ?? contentType?.split(';')[0]?.trim() ?? 'application/octet-stream';
  const extension = type?.extension ?? mime.split('/')[1] ?? 'bin';
  return { bytes, contentType: mime, extension: extension === 'jpeg' ? 'jpg' : extension };
}
